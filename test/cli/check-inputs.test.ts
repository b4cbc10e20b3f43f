import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { load } from "js-yaml";
import { afterAll, describe, expect, it } from "vitest";
import { runCheck } from "../../src/cli/check.js";
import type { CliIO } from "../../src/cli/io.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/check/", import.meta.url));
const WARNING_DEPLOYMENT = readFileSync(path.join(FIXTURES, "warnings/apps/search/api.yaml"), "utf8");
const PRIVILEGED_POD =
  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: root\nspec:\n  containers:\n    - name: app\n      image: busybox:1.36\n      securityContext:\n        privileged: true\n";

async function run(argv: string[], cwd: string, extra: Partial<CliIO> = {}) {
  let stdout = "";
  let stderr = "";
  const code = await runCheck(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, ...extra });
  return { code, stdout, stderr };
}

const scratch = mkdtempSync(path.join(tmpdir(), "gitops-bot-inputs-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function tree(name: string, files: Record<string, string>): string {
  const dir = path.join(scratch, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

const errorFiles = (stdout: string) =>
  [
    ...new Set(
      stdout
        .split("\n")
        .filter((l) => / error: /.test(l))
        .map((l) => l.split(":")[0]),
    ),
  ].sort();

describe("gitops-bot check: what is read", () => {
  const dir = tree("named", {
    ".hidden/pod.yaml": PRIVILEGED_POD,
    "odd/pod.txt": PRIVILEGED_POD,
    "json/pod.json": JSON.stringify(load(PRIVILEGED_POD), null, "\t"),
    "apps/a/pod.yaml": PRIVILEGED_POD,
    "apps/b/pod.yaml": PRIVILEGED_POD,
    "apps/b/skip-me.yaml": PRIVILEGED_POD,
  });

  it.each([
    ["a file in a hidden folder", [".hidden/pod.yaml"], [".hidden/pod.yaml"]],
    ["a file with any extension", ["odd/pod.txt"], ["odd/pod.txt"]],
    ["a JSON file, read as manifests", ["json/pod.json"], ["json/pod.json"]],
    ["a file behind ../ through a hidden folder", ["../.hidden/pod.yaml"], [path.join(dir, ".hidden/pod.yaml")]],
  ])("always checks a named file: %s", async (_, argv, files) => {
    const result = await run(argv, argv[0]!.startsWith("..") ? path.join(dir, "apps") : dir);
    expect(result.code).toBe(1);
    expect(errorFiles(result.stdout)).toEqual(files);
    expect(result.stdout).toMatch(/Checked 1 file against/);
  });

  it("always checks a named file behind an absolute path with a dot-folder", async () => {
    const file = path.join(dir, ".hidden/pod.yaml");
    const result = await run([file], path.join(dir, "apps"));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${file}:10:9: error: Pod "root": Privileged mode is not allowed`);
  });

  it("expands a quoted glob itself and leaves out --exclude matches", async () => {
    const result = await run(["apps/**/*.yaml", "--exclude", "**/skip-me.yaml"], dir);
    expect(result.code).toBe(1);
    expect(errorFiles(result.stdout)).toEqual(["apps/a/pod.yaml", "apps/b/pod.yaml"]);
  });

  it("leaves out --exclude matches from a walked folder", async () => {
    const result = await run(["apps", "--exclude", "apps/b/**"], dir);
    expect(errorFiles(result.stdout)).toEqual(["apps/a/pod.yaml"]);
  });

  it("reads manifests from standard input with -", async () => {
    const result = await run(["-"], scratch, { readStdin: async () => PRIVILEGED_POD });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('<stdin>:10:9: error: Pod "root": Privileged mode is not allowed');
    expect(result.stdout).toMatch(/Checked 1 file against/);
  });

  it("says it checked 0 files, and exits 0, only when nothing was named", async () => {
    const empty = tree("empty", { "README.md": "nothing here\n" });
    expect(await run([], empty)).toMatchObject({ code: 0, stdout: expect.stringContaining("Checked 0 files") });
    const named = await run(["."], empty);
    expect(named.code).toBe(2);
    expect(named.stdout).toContain("Nothing to check in .");
  });
});

describe("gitops-bot check: inputs that cannot be read are findings, and the run exits 2", () => {
  const dir = tree("unreadable", { "apps/pod.yaml": PRIVILEGED_POD });
  symlinkSync("missing.yaml", path.join(dir, "broken.yaml"));
  execFileSync("mkfifo", [path.join(dir, "pipe.yaml")]);

  it.each([
    ["a missing file", "nope.yaml", "nope.yaml does not exist."],
    ["a broken link", "broken.yaml", "broken.yaml is a broken symbolic link."],
    ["a pipe", "pipe.yaml", "pipe.yaml is not a regular file"],
    ["a device", "/dev/null", "/dev/null is not a regular file"],
    ["a glob that matches nothing", "apps/**/*.json", "The pattern `apps/**/*.json` matches no file."],
  ])("%s", async (_, name, message) => {
    const result = await run(["apps/pod.yaml", name], dir);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(`${name}:1:1: error: ${message}`);
    // The readable file is still judged.
    expect(result.stdout).toContain("apps/pod.yaml:10:9: error:");
  });

  it("prints the findings of an unreadable file in JSON too", async () => {
    const result = await run(["broken.yaml", "--format", "json"], dir);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout).findings).toEqual([
      expect.objectContaining({ file: "broken.yaml", rule: "cli.unreadable", severity: "error" }),
    ]);
  });
});

describe("gitops-bot check: output options", () => {
  const warnings = path.join(FIXTURES, "warnings");

  it("--fail-on warning exits 1 on warnings", async () => {
    expect((await run(["apps"], warnings)).code).toBe(0);
    expect((await run(["apps", "--fail-on", "warning"], warnings)).code).toBe(1);
    expect((await run(["apps", "--fail-on", "notice"], warnings)).code).toBe(2);
  });

  it("--quiet prints the findings only", async () => {
    const result = await run(["apps", "--quiet"], warnings);
    expect(result.stdout).toBe(
      'apps/search/api.yaml:17:11: warning: Deployment "api": Add a readinessProbe and a livenessProbe to every container. [require-probes/probes]\n',
    );
    const clean = await run(["-q"], path.join(FIXTURES, "clean"));
    expect(clean).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("colours severities on a terminal, and not with --no-color", async () => {
    expect((await run(["apps"], warnings, { color: true })).stdout).toContain("\u001b[1;33mwarning\u001b[0m");
    expect((await run(["apps", "--no-color"], warnings, { color: true })).stdout).not.toContain("\u001b[");
    expect((await run(["apps"], warnings)).stdout).not.toContain("\u001b[");
  });

  it("drops terminal control characters that a file name would carry", async () => {
    const dir = tree("control", { "e\u001b[31mvil.yaml": WARNING_DEPLOYMENT.replace("replicas: 2", "replicas: 2\n  x: [") });
    const result = await run(["."], dir);
    expect(result.stdout).not.toContain("\u001b");
  });
});

describe("gitops-bot check inside a GitOps repository", () => {
  const repo = tree("gitops", {
    ".github/gitops-bot.yml": "gitops:\n  policiesPath: ./guardrails/\n",
    "guardrails/require-team-label.yaml": readFileSync(path.join(FIXTURES, "custom-policies/policies/require-team-label.yaml"), "utf8"),
    "apps/config.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: unlabelled\ndata:\n  key: value\n",
    "apps/search/api.yaml": WARNING_DEPLOYMENT,
  });
  cpSync(path.join(FIXTURES, "custom-policies/policies"), path.join(scratch, "extra-policies"), { recursive: true });

  it("reads the repository's config and adds its policies folder to the built-in policies, as the pull request check does", async () => {
    const result = await run([], repo);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'apps/config.yaml:3:1: error: ConfigMap "unlabelled": Every ConfigMap needs a team label. [require-team-label/team-label]',
    );
    expect(result.stdout).toContain("[require-probes/probes]");
    expect(result.stdout).toContain(
      "Checked 2 files against 17 policies (16 built-in + 1 from guardrails) and the platform rules, configured by .github/gitops-bot.yml.",
    );
  });

  it("from a subfolder, judges only what is named, with paths relative to where it runs", async () => {
    const result = await run(["search"], path.join(repo, "apps"));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("search/api.yaml:17:11: warning:");
    expect(result.stdout).not.toContain("config.yaml");
    expect(result.stdout).toContain("Checked 1 file against 17 policies (16 built-in + 1 from guardrails)");
  });

  it("--no-builtin-policies leaves the built-in ones out; --policies adds a folder", async () => {
    const result = await run(["--no-builtin-policies", "--policies", "../extra-policies"], repo);
    expect(result.stdout).not.toContain("require-probes");
    // The extra folder holds the same policy: it overrides the repository's, and is counted where it won.
    expect(result.stdout).toContain(
      "Checked 2 files against 1 policy (0 from guardrails + 1 from ../extra-policies), configured by .github/gitops-bot.yml.",
    );
  });

  it("reports an invalid config with the App's lines and hints, and checks nothing", async () => {
    const broken = tree("broken-config", { ".github/gitops-bot.yml": "gitops:\n  policiesPth: x\n", "apps/config.yaml": "kind: x\n" });
    const result = await run([], broken);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      ".github/gitops-bot.yml:2:3: error: .github/gitops-bot.yml: unknown key `policiesPth` in `gitops`.\n  hint: Did you mean `policiesPath`?",
    );
    expect(result.stdout).toBe("");
  });
});
