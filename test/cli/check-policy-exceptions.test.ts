import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCheck } from "../../src/cli/check.js";
import { deployment } from "../helpers/policy-check-scenario.js";
import { WEB_EXCEPTION, hostPortDeployment } from "../helpers/policy-exception-fixtures.js";

const scratch = mkdtempSync(path.join(tmpdir(), "gitops-bot-exceptions-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function repository(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(scratch, "repo-"));
  for (const [file, text] of Object.entries({ ".github/gitops-bot.yml": "gitops:\n  baseBranch: main\n", ...files })) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

async function run(argv: string[], cwd: string) {
  let stdout = "";
  const code = await runCheck(argv, { stdout: (t) => (stdout += t), stderr: () => undefined, cwd });
  return { code, stdout };
}

describe("gitops-bot check honours the repository's Kyverno PolicyExceptions", () => {
  it("a PolicyException next to the resource excepts its violation, shown as a notice naming it; the last line says which were honoured", async () => {
    const root = repository({ "apps/shop/web.yaml": hostPortDeployment(), "apps/shop/web.policy-exception.yaml": WEB_EXCEPTION });
    const result = await run(["apps/shop/web.yaml"], root);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'apps/shop/web.yaml:21:15: notice: Excepted by PolicyException shop-dev/web-host-port: Deployment "web": Host ports are not allowed',
    );
    expect(result.stdout).toMatch(/honouring 1 Kyverno PolicyException \(shop-dev\/web-host-port\)/);
  });

  it("without it the same Deployment fails, and a PolicyException in the policy folder counts too", async () => {
    expect((await run(["apps/shop/web.yaml"], repository({ "apps/shop/web.yaml": hostPortDeployment() }))).code).toBe(1);
    const inPolicies = repository({
      "apps/shop/web.yaml": hostPortDeployment(),
      "platform/policies/exceptions/web.yaml": WEB_EXCEPTION,
      "apps/shop/other.yaml": deployment({ name: "other" }),
    });
    expect((await run(["apps/shop/web.yaml"], inPolicies)).code).toBe(0);
  });

  it("a malformed PolicyException is an error at its line, and excepts nothing", async () => {
    const root = repository({
      "apps/shop/web.yaml": hostPortDeployment(),
      "apps/shop/web.policy-exception.yaml": WEB_EXCEPTION.replace("    - policyName: disallow-host-ports\n", '    - policyName: ""\n'),
    });
    const result = await run(["apps"], root);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'apps/shop/web.policy-exception.yaml:8:7: error: PolicyException "web-host-port": exceptions[0] needs a policyName.',
    );
  });
});
