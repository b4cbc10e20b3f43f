import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const PROJECT = fileURLToPath(new URL("../../", import.meta.url));
const TSX = pathToFileURL(path.join(PROJECT, "node_modules/tsx/dist/loader.mjs")).href;
const POD =
  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: app\n      image: registry.example.com/web:1.2.3\n";
const RULE = `apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: web
  namespace: shop
spec:
  groups:
    - name: web
      rules:
        - alert: WebDown
          expr: up{job="web"} == 0
          labels: { severity: critical }
          annotations: { summary: Web is down }
`;

/** Every ES module the process loads (a loader hook) and every CommonJS require, one per line on stderr. */
const RECORD_HOOKS = `data:text/javascript,${encodeURIComponent("export async function load(url, context, next) { process.stderr.write('loaded ' + url + '\\n'); return next(url, context); }")}`;
const RECORD = `data:text/javascript,${encodeURIComponent(
  `import module from "node:module"; module.register(${JSON.stringify(RECORD_HOOKS)}); const load = module._load; module._load = function (request, ...rest) { process.stderr.write("required " + request + "\\n"); return load.call(this, request, ...rest); };`,
)}`;

const dir = mkdtempSync(path.join(tmpdir(), "gitops-bot-imports-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function loadedBy(file: string): Promise<{ stdout: string; loaded: string[] }> {
  const result = await run(process.execPath, ["--import", TSX, "--import", RECORD, path.join(PROJECT, "src/cli.ts"), "check", file], {
    cwd: dir,
  }).catch((error: { stdout: string; stderr: string }) => error);
  const loaded = result.stderr
    .split("\n")
    .flatMap((line) => (/^(loaded|required) /.test(line) ? [line.replace(/^\w+ /, "").replace(pathToFileURL(PROJECT).href, "")] : []));
  return { stdout: result.stdout, loaded };
}

/** `gitops-bot check` imports what its inputs need: start-up is paid for what is used (issue 16). */
describe("gitops-bot check loads only what the check needs", () => {
  it("checks a Pod without the other commands, the catalog, PromQL's grammar, RE2 or diff", async () => {
    writeFileSync(path.join(dir, "pod.yaml"), POD);
    const { stdout, loaded } = await loadedBy("pod.yaml");
    expect(stdout).toContain("Checked 1 file against 16 built-in policies");
    // What it needs is seen: the check, the parser, the Pod's schema.
    for (const needed of ["src/cli/check.ts", "js-yaml", "_schemas/IoK8sApiCoreV1Pod"])
      expect(
        loaded.some((m) => m.includes(needed)),
        needed,
      ).toBe(true);
    // Only the schema set in use (the built-in configuration's 1.31 takes the 1.33 set), never the others.
    expect(loaded.filter((m) => m.includes("node_modules/kubernetes-models/_schemas/")).length).toBeGreaterThan(0);
    const unneeded = [
      "kubernetes-models-1.27",
      "kubernetes-models-1.34",
      "src/cli/request-commands.ts",
      "src/cli/upgrade.ts",
      "src/cli/demo.ts",
      "src/cli/validate.ts",
      "src/cli/kyverno-test.ts",
      "src/core/catalog/load-catalog.ts",
      "src/core/catalog/template.schema.ts",
      "src/core/render/",
      "lezer",
      "re2js",
      "node_modules/diff/",
      "probot",
    ];
    expect(loaded.filter((m) => unneeded.some((u) => m.includes(u)))).toEqual([]);
  }, 120_000);

  it("loads PromQL's grammar when a PrometheusRule needs it", async () => {
    writeFileSync(path.join(dir, "rule.yaml"), RULE);
    const { stdout, loaded } = await loadedBy("rule.yaml");
    expect(stdout).toContain("Checked 1 file");
    expect(loaded).toContain("@prometheus-io/lezer-promql");
  }, 120_000);
});
