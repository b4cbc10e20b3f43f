import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findKyvernoTestDirs, runKyvernoTestDir } from "./run-kyverno-test.js";
import type { KyvernoTestMismatch } from "./run-kyverno-test.js";

// The upstream files live beside the project, never copied into it (see their INDEX.md).
const CONFORMANCE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../shared/conformance/kyverno");

async function runTier(tier: string): Promise<{ expected: number; passed: number; mismatches: KyvernoTestMismatch[] }> {
  const root = path.join(CONFORMANCE_ROOT, tier);
  const dirs = await findKyvernoTestDirs(root);
  let expected = 0;
  let passed = 0;
  const mismatches: KyvernoTestMismatch[] = [];
  for (const dir of dirs) {
    const result = await runKyvernoTestDir(dir);
    expected += result.expected;
    passed += result.passed;
    mismatches.push(...result.mismatches.map((m) => ({ ...m, case: path.relative(CONFORMANCE_ROOT, m.case) })));
  }
  console.log(`kyverno conformance ${tier}: ${passed}/${expected} passed`);
  for (const m of mismatches) console.log(`  mismatch ${m.case} ${m.resource} rule=${m.rule} expected=${m.expected} actual=${m.actual}`);
  return { expected, passed, mismatches };
}

describe("Kyverno conformance (upstream kyverno/policies test cases)", () => {
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
});
