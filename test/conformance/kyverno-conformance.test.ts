import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DISK_TEST_READER, findKyvernoTestDirs } from "../../src/adapters/local/find-kyverno-test-dirs.js";
import { runKyvernoTestDir } from "../../src/workflows/run-kyverno-test.js";
import type { KyvernoTestMismatch } from "../../src/workflows/run-kyverno-test.js";

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * The upstream cases live outside the project, never copied into it (see their INDEX.md). Where they
 * are is told by KYVERNO_CONFORMANCE_DIR (relative paths from the project root); the default is
 * `../shared/conformance/kyverno`. Without them the suite skips and says so: a fresh clone must pass
 * `npm test`, and `.ci/run` refuses to run without the corpus so CI never skips it.
 */
const CONFORMANCE_ROOT = path.resolve(PROJECT_ROOT, process.env.KYVERNO_CONFORMANCE_DIR || "../shared/conformance/kyverno");
const HAS_CORPUS = existsSync(path.join(CONFORMANCE_ROOT, "tier1")) && existsSync(path.join(CONFORMANCE_ROOT, "tier2"));

if (!HAS_CORPUS) {
  console.warn(
    `Kyverno conformance skipped: no corpus at ${CONFORMANCE_ROOT} (tier1/ and tier2/ folders of kyverno/policies test cases). ` +
      "Set KYVERNO_CONFORMANCE_DIR to the folder that holds them (relative to the project root, or absolute) to run it.",
  );
}

async function runTier(tier: string): Promise<{ expected: number; passed: number; mismatches: KyvernoTestMismatch[] }> {
  const root = path.join(CONFORMANCE_ROOT, tier);
  const dirs = await findKyvernoTestDirs(root);
  let expected = 0;
  let passed = 0;
  const mismatches: KyvernoTestMismatch[] = [];
  for (const dir of dirs) {
    const result = await runKyvernoTestDir(dir, DISK_TEST_READER);
    expected += result.expected;
    passed += result.passed;
    mismatches.push(...result.mismatches.map((m) => ({ ...m, case: path.relative(CONFORMANCE_ROOT, m.case) })));
  }
  console.log(`kyverno conformance ${tier}: ${passed}/${expected} passed`);
  for (const m of mismatches) console.log(`  mismatch ${m.case} ${m.resource} rule=${m.rule} expected=${m.expected} actual=${m.actual}`);
  return { expected, passed, mismatches };
}

describe.skipIf(!HAS_CORPUS)(
  `Kyverno conformance (upstream kyverno/policies test cases; corpus: KYVERNO_CONFORMANCE_DIR, default ../shared/conformance/kyverno)`,
  () => {
    it("matches every tier1 result (pattern and anyPattern rules)", async () => {
      const { expected, passed } = await runTier("tier1");
      expect(expected).toBe(956);
      expect(passed).toBe(956);
    });

    it("matches every tier2 result (deny conditions and preconditions)", async () => {
      const { expected, passed } = await runTier("tier2");
      expect(expected).toBe(337);
      expect(passed).toBe(337);
    });
  },
);
