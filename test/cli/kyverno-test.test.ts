import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";

const POLICIES = fileURLToPath(new URL("../../policies/", import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), "gitops-bot-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function run(argv: string[], cwd: string) {
  let stdout = "";
  let stderr = "";
  const code = await main(["test", ...argv], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd });
  return { code, stdout, stderr };
}

describe("gitops-bot test (Kyverno CLI test folders)", () => {
  it("runs a .kyverno-test/ folder, prints kyverno test's table and exits 0 when every expectation is met", async () => {
    const result = await run(["disallow-latest-tag"], POLICIES);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("│ ID │ POLICY              │ RULE                │ RESOURCE");
    expect(result.stdout).toMatch(
      /│ 1 {2}│ disallow-latest-tag │ require-image-tag {3}│ Pod\/default\/pod-version-tag +│ Pass {3}│ Ok {5}│/,
    );
    expect(result.stdout).toMatch(/Test Summary: 33 tests passed and 0 tests failed, in 1 folder \(\d+\.\d\d s\)\.\n$/);
  });

  it("finds every test folder below the current folder", async () => {
    const result = await run([], POLICIES);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Test Summary: \d{3} tests passed and 0 tests failed, in 16 folders/);
  });

  it("exits 1 on a mismatch and says what it wanted and got; --fail-only lists only the misses", async () => {
    const dir = path.join(scratch, "flipped");
    cpSync(path.join(POLICIES, "disallow-latest-tag"), dir, { recursive: true });
    // A top-level kyverno-test.yaml, the other layout Kyverno reads.
    const test = readFileSync(path.join(dir, ".kyverno-test/kyverno-test.yaml"), "utf8");
    writeFileSync(
      path.join(dir, "kyverno-test.yaml"),
      test
        .replace("../disallow-latest-tag.yaml", "disallow-latest-tag.yaml")
        .replace("resource.yaml", ".kyverno-test/resource.yaml")
        .replace("result: pass", "result: fail"),
    );
    rmSync(path.join(dir, ".kyverno-test/kyverno-test.yaml"));
    const result = await run([".", "--fail-only"], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("│ Pod/default/pod-version-tag │ Fail   │ Want fail, got pass │");
    expect(result.stdout).not.toContain("│ Pass ");
    expect(result.stdout).toMatch(/Test Summary: 30 tests passed and 3 tests failed/);
  });

  it.each([
    ["no test folder", () => mkdirSync(path.join(scratch, "empty"), { recursive: true }) ?? "empty", /no Kyverno test folder/],
    [
      "a test that cannot be read",
      () => {
        mkdirSync(path.join(scratch, "bad"), { recursive: true });
        writeFileSync(path.join(scratch, "bad/kyverno-test.yaml"), "policies: [missing.yaml]\nresults: [\n");
        return "bad";
      },
      /bad: error: the test cannot be read/,
    ],
  ])("exits 2 on %s", async (_, make, message) => {
    const folder = make();
    const result = await run([path.basename(String(folder))], scratch);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it("lists every option in --help", async () => {
    const result = await run(["--help"], scratch);
    expect(result.code).toBe(0);
    for (const option of ["--fail-only", "--no-color", "--help"]) expect(result.stdout).toContain(option);
  });
});
