import { describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";

async function run(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: process.cwd() });
  return { code, stdout, stderr };
}

/** Each command's options as its parser knows them: --help must list every one. */
const OPTIONS: Record<string, string[]> = {
  render: ["--config", "--catalog", "--request-issue", "--help"],
  provision: ["--repo", "--config", "--requester", "--repo-url", "--request-issue", "--stat", "--help"],
  resize: ["--repo", "--config", "--requester", "--repo-url", "--request-issue", "--stat", "--help"],
  deprovision: ["--repo", "--config", "--requester", "--repo-url", "--stat", "--help"],
  preview: ["--repo", "--config", "--requester", "--repo-url", "--stat", "--help"],
  check: [
    "--policies",
    "--no-builtin-policies",
    "--config",
    "--exclude",
    "--format",
    "--sarif",
    "--fail-on",
    "--quiet",
    "--no-color",
    "--help",
  ],
  test: ["--fail-only", "--no-color", "--help"],
  validate: ["--config", "--no-color", "--help"],
  upgrade: ["--repo", "--template", "--preview", "--since", "--stat", "--config", "--repo-url", "--backfill", "--help"],
  demo: ["--help"],
};

describe("gitops-bot --help and --version", () => {
  it.each(Object.entries(OPTIONS))("%s --help lists every option and exits 0", async (command, options) => {
    const result = await run([command, "--help"]);
    expect(result.code).toBe(0);
    for (const option of options) expect(result.stdout).toContain(option);
  });

  it("lists every command in the top-level help", async () => {
    const result = await run(["--help"]);
    expect(result.code).toBe(0);
    for (const command of Object.keys(OPTIONS)) expect(result.stdout).toContain(`gitops-bot ${command}`);
    expect(result.stdout).toContain("--version");
  });

  it("prints the package's version", async () => {
    expect(await run(["--version"])).toEqual({ code: 0, stdout: "0.1.0\n", stderr: "" });
  });

  it("exits 2 on an unknown command, and never treats an inherited name as a command", async () => {
    expect((await run(["constructor"])).code).toBe(2);
    expect((await run(["toString"])).stderr).toContain("unknown command `toString`");
  });
});
