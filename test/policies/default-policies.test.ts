import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { DISK_TEST_READER, findKyvernoTestDirs } from "../../src/adapters/local/find-kyverno-test-dirs.js";
import { runKyvernoTestDir, type KyvernoTestDirResult } from "../../src/workflows/run-kyverno-test.js";

const POLICIES_DIR = fileURLToPath(new URL("../../policies/", import.meta.url));
const policyFolders = readdirSync(POLICIES_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

describe("default policies", () => {
  it("give every policy folder its own kyverno test case", async () => {
    const cases = (await findKyvernoTestDirs(POLICIES_DIR)).map((dir) => path.basename(dir));
    expect(cases).toEqual(policyFolders);
    expect(cases).toHaveLength(16);
  });

  it("pass 100% of their kyverno test cases, each exercising pass and fail", async () => {
    const results = new Map<string, KyvernoTestDirResult>();
    for (const dir of await findKyvernoTestDirs(POLICIES_DIR)) results.set(path.basename(dir), await runKyvernoTestDir(dir, DISK_TEST_READER));
    const expected = [...results.values()].reduce((sum, r) => sum + r.expected, 0);
    const passed = [...results.values()].reduce((sum, r) => sum + r.passed, 0);
    console.log(`default policies: ${passed}/${expected} passed`);
    for (const [name, result] of results) {
      expect({ name, mismatches: result.mismatches, problems: result.problems }).toEqual({ name, mismatches: [], problems: [] });
      // A rule that silently stops matching would still "pass" by exclusion: none may.
      expect({ name, passedByExclusion: result.passedByExclusion }).toEqual({ name, passedByExclusion: 0 });
      expect(result.passed).toBe(result.expected);
    }
    expect(passed).toBe(expected);
    expect(expected).toBeGreaterThanOrEqual(280);
  });

  it.each(policyFolders)("%s: every rule has passing and failing resources", (folder) => {
    const test = load(readFileSync(path.join(POLICIES_DIR, folder, ".kyverno-test", "kyverno-test.yaml"), "utf8")) as {
      results: { rule: string; result: string }[];
    };
    const byRule = new Map<string, Set<string>>();
    for (const row of test.results) byRule.set(row.rule, (byRule.get(row.rule) ?? new Set()).add(row.result));
    for (const [rule, outcomes] of byRule) {
      expect({ rule, pass: outcomes.has("pass"), fail: outcomes.has("fail") }).toEqual({ rule, pass: true, fail: true });
    }
  });

  it.each(policyFolders)("%s: errors for security, warnings for reliability", (folder) => {
    const policy = load(readFileSync(path.join(POLICIES_DIR, folder, `${folder}.yaml`), "utf8")) as {
      spec: { validationFailureAction: string };
    };
    const warnings = new Set([
      "require-requests-limits",
      "require-probes",
      "require-read-only-root-filesystem",
      "require-production-replicas",
      "disallow-secrets-in-env",
      "require-ingress-tls",
    ]);
    expect(policy.spec.validationFailureAction).toBe(warnings.has(folder) ? "Audit" : "Enforce");
  });
});
