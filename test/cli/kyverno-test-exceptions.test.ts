import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";

const POLICY = fileURLToPath(new URL("../../policies/disallow-host-ports/disallow-host-ports.yaml", import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), "gitops-bot-test-exceptions-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const pod = (name: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: monitoring
spec:
  containers:
    - name: app
      image: registry.example.com/agent:1.0
      ports:
        - containerPort: 9100
          hostPort: 9100
`;

/** A Kyverno CLI test folder with `exceptions:`, the layout of upstream's test/cli/test exception cases. */
function testFolder(results: string): string {
  const dir = mkdtempSync(path.join(scratch, "case-"));
  writeFileSync(path.join(dir, "policy.yaml"), readFileSync(POLICY, "utf8"));
  writeFileSync(path.join(dir, "resources.yaml"), `${pod("node-agent")}---\n${pod("web")}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, "exception.yaml"),
    `apiVersion: kyverno.io/v2
kind: PolicyException
metadata:
  name: node-agent
  namespace: kyverno
spec:
  exceptions:
    - policyName: disallow-host-ports
      ruleNames: [host-ports, autogen-host-ports]
  match:
    any:
      - resources:
          kinds: [Pod]
          names: [node-agent]
          namespaces: [monitoring]
`,
  );
  writeFileSync(
    path.join(dir, "kyverno-test.yaml"),
    `apiVersion: cli.kyverno.io/v1alpha1
kind: Test
metadata:
  name: host-ports-exception
policies: [policy.yaml]
resources: [resources.yaml]
exceptions: [exception.yaml]
results:
${results}`,
  );
  return dir;
}

async function run(dir: string) {
  let stdout = "";
  const code = await main(["test", dir], { stdout: (t) => (stdout += t), stderr: () => undefined, cwd: scratch });
  return { code, stdout };
}

describe("gitops-bot test honours `exceptions:` as kyverno test does", () => {
  it("the excepted resource's rule is skip, the other still fails", async () => {
    const result = await run(
      testFolder(`  - policy: disallow-host-ports
    rule: host-ports
    resources: [monitoring/node-agent]
    kind: Pod
    result: skip
  - policy: disallow-host-ports
    rule: host-ports
    resources: [monitoring/web]
    kind: Pod
    result: fail
`),
    );
    expect(result.stdout).toMatch(/Test Summary: 2 tests passed and 0 tests failed/);
    expect(result.code).toBe(0);
  });

  it("expecting fail for the excepted resource is a mismatch", async () => {
    const result = await run(
      testFolder(`  - policy: disallow-host-ports
    rule: host-ports
    resources: [monitoring/node-agent]
    kind: Pod
    result: fail
`),
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("Want fail, got skip");
  });
});
