import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { load } from "js-yaml";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const PROJECT = fileURLToPath(new URL("../../", import.meta.url));
const CLI = path.join(PROJECT, "src/cli.ts");
const TSX = pathToFileURL(path.join(PROJECT, "node_modules/tsx/dist/loader.mjs")).href;

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  shell?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Action {
  name: string;
  description: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: Step[] };
}

const actionText = readFileSync(path.join(PROJECT, "action.yml"), "utf8");
const action = load(actionText) as Action;
const checkStep = action.runs.steps.find((step) => step.id === "check");

const scratch = mkdtempSync(path.join(tmpdir(), "gitops-bot-action-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("action.yml", () => {
  it("is a composite action whose every input is described, defaulted and used", () => {
    expect(action.runs.using).toBe("composite");
    expect(action.name).toBe("gitops-bot check");
    for (const [name, input] of Object.entries(action.inputs)) {
      expect(input.description, name).toMatch(/\w/);
      expect(typeof input.default, name).toBe("string");
      expect(actionText, name).toMatch(new RegExp(`inputs\\.${name}\\b`));
    }
    const referenced = [...actionText.matchAll(/inputs\.([a-z-]+)/g)].map((m) => m[1] ?? "");
    for (const name of referenced) expect(Object.keys(action.inputs)).toContain(name);
  });

  it("never puts an expression inside a script, so no input can inject shell code", () => {
    for (const step of action.runs.steps) {
      if (step.run !== undefined) {
        expect(step.run, step.name).not.toContain("${{");
        expect(step.shell, step.name).toBe("bash");
      }
      if (step.uses !== undefined) expect(step.uses, step.name).toMatch(/^[\w-]+\/[\w-]+(\/[\w-]+)?@v\d+$/);
    }
    expect(action.runs.steps.map((s) => s.uses).filter(Boolean)).toEqual(["actions/setup-node@v4", "github/codeql-action/upload-sarif@v3"]);
  });

  async function runCheckStep(params: { cwd: string; inputs?: Record<string, string> }) {
    const output = path.join(params.cwd, "github-output");
    writeFileSync(output, "");
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      GITHUB_OUTPUT: output,
      GITOPS_BOT: `node --import ${TSX} ${CLI}`,
    };
    for (const [key, value] of Object.entries(checkStep?.env ?? {})) {
      const input = /^\$\{\{ inputs\.([a-z-]+) \}\}$/.exec(value)?.[1];
      if (input) env[key] = params.inputs?.[input] ?? action.inputs[input]?.default ?? "";
    }
    const result = await run("bash", ["-c", checkStep?.run ?? "exit 99"], { cwd: params.cwd, env }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
    const outputs = Object.fromEntries(
      readFileSync(output, "utf8")
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((line) => line.split("=", 2) as [string, string]),
    );
    return { ...result, outputs };
  }

  it("runs gitops-bot check with the inputs' defaults: findings in the log, SARIF on disk, the exit code as an output", async () => {
    const repo = path.join(scratch, "repo");
    mkdirSync(path.join(repo, ".github"), { recursive: true });
    mkdirSync(path.join(repo, "apps/shop"), { recursive: true });
    writeFileSync(path.join(repo, ".github/gitops-bot.yml"), "labels: [gitops]\n");
    writeFileSync(
      path.join(repo, "apps/shop/pod.yaml"),
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: app\n      image: nginx:latest\n",
    );
    const result = await runCheckStep({ cwd: repo });
    // Findings do not end the step: the upload runs first, and a later step fails the job.
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('apps/shop/pod.yaml:8:7: error: Pod "web": The `latest` tag is not allowed');
    expect(result.outputs).toEqual({ "exit-code": "1", "sarif-file": "gitops-bot.sarif" });
    const sarif = JSON.parse(readFileSync(path.join(repo, "gitops-bot.sarif"), "utf8")) as {
      version: string;
      runs: { results: { ruleId: string }[] }[];
    };
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0]?.results.map((r) => r.ruleId)).toContain("disallow-latest-tag/disallow-latest-tag");
  }, 120_000);

  it("passes glob paths to gitops-bot unexpanded, and fails at once on an input that cannot be read", async () => {
    const repo = path.join(scratch, "repo");
    const globbed = await runCheckStep({ cwd: repo, inputs: { paths: "apps/**/*.yaml", "fail-on": "warning", "upload-sarif": "false" } });
    expect(globbed.outputs["exit-code"]).toBe("1");
    const missing = await runCheckStep({ cwd: repo, inputs: { paths: "nope.yaml" } });
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain("nope.yaml:1:1: error: nope.yaml does not exist.");
  }, 120_000);
});

describe(".pre-commit-hooks.yaml", () => {
  it("offers check and validate hooks that run gitops-bot commands", () => {
    const hooks = load(readFileSync(path.join(PROJECT, ".pre-commit-hooks.yaml"), "utf8")) as {
      id: string;
      entry: string;
      language: string;
      files: string;
      pass_filenames: boolean;
    }[];
    expect(hooks.map((h) => h.id)).toEqual(["gitops-bot-check", "gitops-bot-validate"]);
    for (const hook of hooks) {
      expect(hook.language).toBe("node");
      expect(hook.entry).toMatch(/^gitops-bot (check|validate)\b/);
      expect(() => new RegExp(hook.files)).not.toThrow();
    }
    expect(new RegExp(hooks[0]?.files ?? "").test("apps/shop/web.yaml")).toBe(true);
    expect(new RegExp(hooks[0]?.files ?? "").test("README.md")).toBe(false);
  });
});
