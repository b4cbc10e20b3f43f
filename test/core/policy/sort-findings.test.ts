import { describe, expect, it } from "vitest";
import { sortFindings, sortUniqueFindings } from "../../../src/core/policy/sort-findings.js";
import type { Finding } from "../../../src/core/policy/types.js";
import { seededRandom } from "../../helpers/seeded-random.js";

// The order as first written: one comparator over the fields, relying on a stable sort.
function reference(findings: readonly Finding[]): Finding[] {
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...findings].sort(
    (a, b) =>
      compare(a.file, b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      compare(a.policy, b.policy) ||
      compare(a.rule, b.rule) ||
      compare(a.message, b.message),
  );
}

function referenceUnique(findings: readonly Finding[]): Finding[] {
  let previous: Finding | undefined;
  return reference(findings).filter((finding) => {
    const repeated =
      previous !== undefined &&
      finding.file === previous.file &&
      finding.line === previous.line &&
      finding.column === previous.column &&
      finding.policy === previous.policy &&
      finding.rule === previous.rule &&
      finding.message === previous.message;
    previous = finding;
    return !repeated;
  });
}

/** Findings with many ties and repeats: few files, lines, columns, policies, rules and messages. */
function randomFindings(count: number, seed: number, spread: { files: number; lines: number }): Finding[] {
  const next = seededRandom(seed).below;
  return Array.from({ length: count }, (_, at) => ({
    policy: ["b", "a", "c", "a-b"][next(4)] as string,
    rule: ["r", "q", "autogen-r"][next(3)] as string,
    severity: "warning",
    // File names that sort differently as text than as numbers, some sharing long prefixes.
    file: `apps/team-${next(spread.files)}/app.yaml`,
    line: 1 + next(spread.lines),
    column: 1 + next(3),
    path: `p${at}`,
    message: ["m", "n", 'Deployment "x": m'][next(3)] as string,
    ...(next(5) === 0 ? { exception: "PolicyException a/b" } : {}),
  }));
}

describe("sortFindings", () => {
  it.each([
    ["small files (insertion-sorted buckets)", 2_000, { files: 200, lines: 5 }],
    ["large files (the builtin sort per bucket)", 1_200, { files: 3, lines: 40 }],
    ["one file", 500, { files: 1, lines: 2 }],
  ] as const)("orders %s exactly as one comparator over the fields would", (_name, count, spread) => {
    for (const seed of [1, 2, 3]) {
      const findings = randomFindings(count, seed, spread);
      // Identity, not just equality: which of two equal findings comes first is part of the order.
      const sorted = sortFindings(findings);
      const expected = reference(findings);
      expect(sorted.length).toBe(expected.length);
      expect(sorted.every((finding, at) => finding === expected[at])).toBe(true);
      const unique = sortUniqueFindings(findings);
      const expectedUnique = referenceUnique(findings);
      expect(unique.length).toBe(expectedUnique.length);
      expect(unique.every((finding, at) => finding === expectedUnique[at])).toBe(true);
    }
  });

  it("keeps the first of repeated findings and leaves its input alone", () => {
    const findings = randomFindings(300, 9, { files: 2, lines: 2 });
    const before = [...findings];
    const unique = sortUniqueFindings(findings);
    expect(findings).toEqual(before);
    expect(unique.length).toBeLessThan(findings.length);
    expect(sortFindings([])).toEqual([]);
    expect(sortUniqueFindings([])).toEqual([]);
  });

  it("orders findings that come in runs of a file (as a check writes them), -0 columns included, as the comparator would", () => {
    for (const seed of [4, 5, 6]) {
      const findings = randomFindings(1_500, seed, { files: 40, lines: 6 })
        // Runs of one file, a file coming back after others, as documents of a file are checked in turn.
        .map((finding, at) => ({ ...finding, file: `apps/team-${Math.floor(at / 7) % 30}/app.yaml` }))
        .map((finding, at) => (at % 89 === 0 ? { ...finding, column: -0 } : finding));
      const sorted = sortFindings(findings);
      const expected = reference(findings);
      expect(sorted.every((finding, at) => finding === expected[at])).toBe(true);
      const unique = sortUniqueFindings(findings);
      const expectedUnique = referenceUnique(findings);
      expect(unique.length).toBe(expectedUnique.length);
      expect(unique.every((finding, at) => finding === expectedUnique[at])).toBe(true);
    }
  });

  it("keeps every finding at a NaN place (no order holds there; such a finding never repeats another)", () => {
    const at = (line: number, message: string): Finding => ({
      ...(randomFindings(1, 1, { files: 1, lines: 1 })[0] as Finding),
      line,
      message,
    });
    const findings = [at(Number.NaN, "m"), at(Number.NaN, "m"), at(2, "m"), at(2, "m")];
    const unique = sortUniqueFindings(findings);
    expect(unique.filter((finding) => Number.isNaN(finding.line)).length).toBe(2);
    expect(unique.filter((finding) => finding.line === 2).length).toBe(1);
  });
});
