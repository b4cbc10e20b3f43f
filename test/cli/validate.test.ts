import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";

const PROJECT = fileURLToPath(new URL("../../", import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), "gitops-bot-validate-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function run(argv: string[], cwd: string) {
  let stdout = "";
  let stderr = "";
  const code = await main(["validate", ...argv], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd });
  return { code, stdout, stderr };
}

describe("gitops-bot validate", () => {
  it("passes the example GitOps repository and the built-in templates", async () => {
    expect(await run(["examples/gitops-repo"], PROJECT)).toEqual({
      code: 0,
      stdout: "No findings.\nValidated examples/gitops-repo/.github/gitops-bot.yml.\n",
      stderr: "",
    });
    expect(await run(["templates"], PROJECT)).toEqual({ code: 0, stdout: "No findings.\nValidated 4 templates.\n", stderr: "" });
  });

  it("shows every problem of the config, the PlatformConfig and the templates, each at file:line with did you mean", async () => {
    const repo = path.join(scratch, "repo");
    mkdirSync(path.join(repo, ".github"), { recursive: true });
    writeFileSync(
      path.join(repo, ".github/gitops-bot.yml"),
      "gitops:\n  policiesPath: guardrails\naccess:\n  minPermision: write\nlabels: yes\n",
    );
    mkdirSync(path.join(repo, "guardrails"), { recursive: true });
    writeFileSync(
      path.join(repo, "guardrails/platform.yaml"),
      readFileSync(path.join(PROJECT, "policies/platform.yaml"), "utf8").replace("\nsizes:\n", "\nsizez:\n"),
    );
    cpSync(path.join(PROJECT, "templates/cron-job"), path.join(repo, "platform/templates/cron-job"), { recursive: true });
    const spec = path.join(repo, "platform/templates/cron-job/template.yaml");
    writeFileSync(spec, readFileSync(spec, "utf8").replace("\nparameters:\n", "\ndescriptoin: x\nparameters:\n"));

    const result = await run([], repo);
    expect(result.code).toBe(1);
    const lines = result.stdout.split("\n");
    expect(lines).toEqual(
      expect.arrayContaining([
        ".github/gitops-bot.yml:4:3: error: .github/gitops-bot.yml: unknown key `minPermision` in `access`. [gitops-bot/config.unknown-key]",
        "  hint: Did you mean `minPermission`?",
        expect.stringMatching(/^\.github\/gitops-bot\.yml:5:1: error: .*`labels` must be a list/),
        expect.stringMatching(/^guardrails\/platform\.yaml:11:1: error: Unknown field `sizez` in the platform configuration\./),
        "  hint: Did you mean `sizes`? See docs/policies.md for the PlatformConfig format.",
        expect.stringMatching(/^platform\/templates\/cron-job\/template\.yaml:\d+:1: error: .*unknown key `descriptoin`/),
        "  hint: Did you mean `description`? See docs/templates.md for the template format.",
      ]),
    );
    expect(result.stdout).toMatch(/Validated \.github\/gitops-bot\.yml, guardrails \(0 policies\), 1 template\.\n$/);
  });

  it("exits 2 when there is nothing to validate, and lists every option in --help", async () => {
    mkdirSync(path.join(scratch, "empty"), { recursive: true });
    const empty = await run(["empty"], scratch);
    expect(empty.code).toBe(2);
    expect(empty.stdout).toContain("Nothing to validate in empty");
    const help = await run(["--help"], scratch);
    for (const option of ["--config", "--no-color", "--help"]) expect(help.stdout).toContain(option);
  });
});
