import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const PROJECT = fileURLToPath(new URL("../../", import.meta.url));
const VERSION = (JSON.parse(readFileSync(path.join(PROJECT, "package.json"), "utf8")) as { version: string }).version;
const POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: app\n      image: nginx:latest\n";

/**
 * The package as users get it: `npm pack` (which builds dist/ through `prepare`), then
 * `npm install -g <tarball>` into a private prefix, and the `gitops-bot` bin run from an unrelated
 * folder. Dependencies come from npm's cache, which `npm ci` filled (`--prefer-offline`).
 */
// Every test runs the installed bin as a process: a generous timeout for a loaded machine.
describe("the npm package, installed from its tarball", { timeout: 120_000 }, () => {
  const scratch = mkdtempSync(path.join(tmpdir(), "gitops-bot-package-"));
  const prefix = path.join(scratch, "global");
  const elsewhere = path.join(scratch, "elsewhere");
  let bin = "";
  // The installed package with its dependencies is tens of megabytes: removing it takes a while on a loaded machine.
  afterAll(() => rmSync(scratch, { recursive: true, force: true }), 120_000);

  beforeAll(async () => {
    const started = Date.now();
    const { stdout } = await run("npm", ["pack", "--silent", "--pack-destination", scratch], { cwd: PROJECT });
    const tarball = path.join(scratch, stdout.trim().split("\n").at(-1) ?? "");
    await run(
      "npm",
      ["install", "--global", "--prefix", prefix, "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball],
      { cwd: scratch },
    );
    bin = path.join(prefix, "bin", "gitops-bot");
    await run("mkdir", ["-p", elsewhere]);
    console.log(`npm pack and npm install -g from the tarball: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 180_000);

  it("answers --version with the package's version", async () => {
    expect((await run(bin, ["--version"], { cwd: elsewhere })).stdout).toBe(`${VERSION}\n`);
  });

  it("checks a manifest in any folder with the built-in policies it carries", async () => {
    writeFileSync(path.join(elsewhere, "pod.yaml"), POD);
    const result = await run(bin, ["check", "pod.yaml"], { cwd: elsewhere }).then(
      () => ({ code: 0, stdout: "" }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('pod.yaml:8:7: error: Pod "web": The `latest` tag is not allowed');
    expect(result.stdout).toContain("Checked 1 file against 16 built-in policies and the platform rules.");
    expect(result.stdout).toContain("Schemas: Kubernetes 1.33 (configured 1.31, nearest shipped of 1.27, 1.33, 1.34)");
  });

  it("loads the newest schema set, an npm alias with dependencies of its own, when no version is configured", async () => {
    writeFileSync(path.join(elsewhere, "pod.yaml"), POD.replace("  containers:", "  hostnameOverride: web-0\n  containers:"));
    const result = await run(bin, ["check", "pod.yaml", "--no-builtin-policies"], { cwd: elsewhere }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    expect(result.stdout).toContain("Schemas: Kubernetes 1.34 (newest shipped; no deprecatedApis.kubernetesVersion is configured)");
    expect(result.stdout).not.toContain("hostnameOverride");
  });

  it("runs the demo from the installed package's own example repository", async () => {
    const { stdout } = await run(bin, ["demo"], { cwd: elsewhere });
    expect(stdout).toContain("Wrote branch gitops-bot/web-service/payments-checkout-dev: one commit");
    expect(stdout).toContain("The demo repository stays at");
    expect(stdout).not.toContain("\u001b[");
  }, 120_000);

  it("carries its license, and the license matches package.json", () => {
    const manifest = JSON.parse(readFileSync(path.join(PROJECT, "package.json"), "utf8")) as { license: string; files: string[] };
    expect(manifest.license).toBe("Apache-2.0");
    expect(readFileSync(path.join(prefix, "lib/node_modules/gitops-bot/LICENSE"), "utf8")).toMatch(
      /^\s+Apache License\s+Version 2\.0, January 2004/,
    );
    for (const folder of [
      "dist/cli.js",
      "templates/web-service/template.yaml",
      "policies/platform.yaml",
      "examples/gitops-repo/.github/gitops-bot.yml",
    ]) {
      expect(() => readFileSync(path.join(prefix, "lib/node_modules/gitops-bot", folder)), folder).not.toThrow();
    }
  });
});
