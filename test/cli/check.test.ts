import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { afterAll, describe, expect, it } from "vitest";
import { runCheck } from "../../src/cli/check.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/check/", import.meta.url));
const CRDS = "@kubernetes-models/argo-cd 2.7.2, @kubernetes-models/prometheus-operator 5.0.1";
// The line naming the schema set: the built-in PlatformConfig targets Kubernetes 1.31, which no set is shipped for.
const SCHEMAS_131 = `Schemas: Kubernetes 1.33 (configured 1.31, nearest shipped of 1.27, 1.33, 1.34), from kubernetes-models 4.5.1, ${CRDS}. Fields and kinds that changed between 1.31 and 1.33 are judged as 1.33 has them.`;

async function run(argv: string[], cwd: string) {
  let stdout = "";
  let stderr = "";
  const code = await runCheck(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd });
  return { code, stdout, stderr };
}

/** The `bad` fixture copied next to a node_modules and a .git folder, which git cannot hold. */
const scratch = mkdtempSync(path.join(tmpdir(), "gitops-bot-check-"));
const badCopy = path.join(scratch, "bad");
cpSync(path.join(FIXTURES, "bad"), badCopy, { recursive: true });
for (const folder of ["node_modules/pkg", ".git/objects"]) {
  mkdirSync(path.join(badCopy, folder), { recursive: true });
  writeFileSync(path.join(badCopy, folder, "pod.yaml"), readFileSync(path.join(FIXTURES, "bad/apps/shop/.kyverno-test/resource.yaml")));
}
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("gitops-bot check", () => {
  it("exits 0 and says so when everything passes", async () => {
    const result = await run([], path.join(FIXTURES, "clean"));
    expect(result).toEqual({
      code: 0,
      stdout: `No findings.\nChecked 1 file against 16 built-in policies and the platform rules.\n${SCHEMAS_131}\n`,
      stderr: "",
    });
  });

  it("exits 1 on errors and prints each finding like a compiler, skipping what is not a manifest", async () => {
    const result = await run(["."], badCopy);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("");
    const lines = result.stdout.split("\n");
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^apps\/shop\/broken\.yaml:7:1: error: The YAML cannot be parsed: .* \[gitops-bot\/yaml\.syntax\]$/),
        'apps/shop/web.yaml:14:7: error: Deployment "web": Host namespaces are not allowed: remove spec.hostNetwork, spec.hostPID and spec.hostIPC or set them to false. [disallow-host-namespaces/host-namespaces]',
        'apps/shop/web.yaml:19:11: error: Deployment "web": Every image needs an explicit tag or digest, for example registry.example.com/app:1.4.2. [disallow-latest-tag/require-image-tag]',
        'apps/shop/web.yaml:21:13: error: Deployment "web": Privileged mode is not allowed: remove securityContext.privileged or set it to false on every container. [disallow-privileged-containers/privileged-containers]',
      ]),
    );
    expect(result.stdout).not.toMatch(/node_modules|\.git\//);
    // Argo CD applies YAML in hidden folders too: the privileged Pod there is judged.
    expect(lines).toContain(
      'apps/shop/.kyverno-test/resource.yaml:10:26: error: Pod "bad": Privileged mode is not allowed: remove securityContext.privileged or set it to false on every container. [disallow-privileged-containers/privileged-containers]',
    );
    expect(lines.slice(-7)).toEqual([
      expect.stringMatching(/^\d+ errors, \d+ warnings? in 3 files\.$/),
      "Checked 3 files against 16 built-in policies and the platform rules.",
      SCHEMAS_131,
      "Not judged: 1 file Argo CD could read.",
      "  1 file holding no Kubernetes object (Argo CD ignores such files too):",
      "    apps/shop/values.yaml",
      "",
    ]);
  });

  it("exits 0 when there are only warnings", async () => {
    const result = await run(["apps"], path.join(FIXTURES, "warnings"));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'apps/search/api.yaml:17:11: warning: Deployment "api": Add a readinessProbe and a livenessProbe to every container. [require-probes/probes]',
    );
    expect(
      result.stdout.endsWith(
        `0 errors, 1 warning in 1 file.\nChecked 1 file against 16 built-in policies and the platform rules.\n${SCHEMAS_131}\n`,
      ),
    ).toBe(true);
  });

  it("checks just the files it is given, with paths as given relative to the working folder", async () => {
    const result = await run(["bad/apps/shop/web.yaml"], FIXTURES);
    expect(result.code).toBe(1);
    const files = new Set(
      result.stdout
        .split("\n")
        .filter((l) => l.includes(": error:"))
        .map((l) => l.split(":")[0]),
    );
    expect(files).toEqual(new Set(["bad/apps/shop/web.yaml"]));
  });

  it("prints absolute paths for files outside the working folder", async () => {
    const result = await run([path.join(badCopy, "apps/shop/web.yaml")], path.join(FIXTURES, "clean"));
    expect(result.stdout.split("\n")[0]).toContain(`${path.join(badCopy, "apps/shop/web.yaml")}:14:7: error:`);
  });

  it("with --no-builtin-policies, uses the policies of --policies instead of the defaults, and does not judge them as manifests", async () => {
    const result = await run([".", "--policies", "policies", "--no-builtin-policies"], path.join(FIXTURES, "custom-policies"));
    expect(result).toEqual({
      code: 1,
      stdout: `manifests/config.yaml:3:1: error: ConfigMap "unlabelled": Every ConfigMap needs a team label. [require-team-label/team-label]\n\n1 error, 0 warnings in 1 file.\nChecked 1 file against 1 policy (1 from policies).\nSchemas: Kubernetes 1.34 (newest shipped; no deprecatedApis.kubernetesVersion is configured), from kubernetes-models 5.1.0, ${CRDS}.\n`,
      stderr: "",
    });
  });

  it("with --no-builtin-policies and no policy folder, says it checked against 0 policies and warns", async () => {
    const result = await run([".", "--no-builtin-policies"], path.join(FIXTURES, "clean"));
    expect(result.stdout).toMatch(
      /^Checked \d+ files? against 0 policies and the platform rules\.$|^Checked \d+ files? against 0 policies\.$/m,
    );
    expect(result.stdout).not.toContain("()");
    expect(result.stderr).toContain("no policies were found");
  });

  it("prints JSON", async () => {
    const result = await run(["--format", "json"], badCopy);
    const parsed = JSON.parse(result.stdout) as {
      version: number;
      summary: { errors: number };
      findings: { file: string }[];
      schemas?: unknown;
    };
    expect(parsed.version).toBe(1);
    expect(parsed.schemas).toEqual({
      source: `kubernetes-models 4.5.1, ${CRDS}`,
      kubernetesVersion: "1.33",
      configuredVersion: "1.31",
      selection: "nearest",
      shipped: ["1.27", "1.33", "1.34"],
      matchesConfigured: false,
      note: SCHEMAS_131,
    });
    expect(parsed.summary.errors).toBeGreaterThanOrEqual(4);
    expect(parsed.findings.map((f) => f.file)).toContain("apps/shop/web.yaml");
    expect(result.code).toBe(1);
  });

  it("prints SARIF 2.1.0 that validates against the schema, with rule descriptions from the policies", async () => {
    const result = await run(["--format=sarif"], badCopy);
    const sarif = JSON.parse(result.stdout) as {
      runs: {
        tool: { driver: { version?: string; rules: { id: string; shortDescription: { text: string } }[] } };
        results: unknown[];
        invocations?: { toolExecutionNotifications: { level: string; message: { text: string } }[] }[];
        properties?: { schemas?: { kubernetesVersion: string; selection: string } };
      }[];
    };
    const require = createRequire(import.meta.url);
    const schema = JSON.parse(readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8")) as Record<
      string,
      unknown
    >;
    const { $schema: _draft, id, ...rest } = schema;
    const ajv = new Ajv({ strict: false, unicodeRegExp: false });
    addFormats.default(ajv);
    const validate = ajv.compile({ ...rest, $id: String(id) });
    expect(validate(sarif)).toBe(true);
    const run0 = sarif.runs[0];
    expect(run0?.tool.driver.version).toBe("0.1.0");
    // The schema set, for people as a note of the run and for tools in its properties.
    expect(run0?.invocations?.[0]?.toolExecutionNotifications).toEqual([{ level: "note", message: { text: SCHEMAS_131 } }]);
    expect(run0?.properties?.schemas).toMatchObject({ kubernetesVersion: "1.33", selection: "nearest" });
    expect(run0?.tool.driver.rules).toContainEqual(
      expect.objectContaining({
        id: "disallow-privileged-containers/privileged-containers",
        shortDescription: { text: "Disallow privileged containers (privileged-containers)" },
      }),
    );
  });

  it.each([
    [["--format", "xml"], "unknown format `xml`"],
    [["--colour"], "Unknown option '--colour'"],
    [["--policies", "clean/README.md"], "--policies must name a folder: clean/README.md"],
  ])("exits 2 on bad usage: %j", async (argv, message) => {
    const result = await run(argv, FIXTURES);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain("Usage: gitops-bot check");
  });

  it("prints its help", async () => {
    const result = await run(["--help"], FIXTURES);
    expect(result.code).toBe(0);
    for (const option of [
      "--policies",
      "--no-builtin-policies",
      "--config",
      "--exclude",
      "--format",
      "--fail-on",
      "--quiet",
      "--no-color",
      "--help",
    ])
      expect(result.stdout).toContain(option);
    expect(result.stdout).toContain("Exit codes: 0 no errors (warnings may be printed), 1 error findings");
  });
});

describe("gitops-bot check on templates", () => {
  const TEMPLATES = fileURLToPath(new URL("../../templates/", import.meta.url));

  it("renders the built-in templates in every size with their examples: all clean, and not read as manifests", async () => {
    const result = await run(["templates"], path.join(TEMPLATES, ".."));
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      "No findings.\nChecked 0 files and 4 templates (every size, rendered with their examples) against 16 built-in policies and the platform rules.\n",
    );
  });

  it("fails a template whose deployment would run privileged, at the template's own line, naming the sizes", async () => {
    const dir = path.join(scratch, "catalog");
    cpSync(path.join(TEMPLATES, "web-service"), path.join(dir, "platform/templates/web-service"), { recursive: true });
    const deployment = path.join(dir, "platform/templates/web-service/deployment.yaml");
    const text = readFileSync(deployment, "utf8");
    writeFileSync(deployment, text.replace("privileged: false", "privileged: true"));
    const line = text.split("\n").findIndex((l) => l.includes("privileged: false")) + 1;
    const result = await run(["."], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `platform/templates/web-service/deployment.yaml:${line}:13: error: In sizes small, medium, large: Deployment "example": Privileged mode is not allowed`,
    );
  });

  it("asks for an example of every required parameter, on template.yaml", async () => {
    const dir = path.join(scratch, "no-examples");
    cpSync(path.join(TEMPLATES, "cron-job"), path.join(dir, "cron-job"), { recursive: true });
    const spec = path.join(dir, "cron-job/template.yaml");
    writeFileSync(spec, readFileSync(spec, "utf8").replace(/^examples:\n( {2}.*\n)+/m, ""));
    const result = await run(["."], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^cron-job\/template\.yaml:\d+:\d+: error: .*example/m);
  });
});
