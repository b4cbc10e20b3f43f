import type { Finding } from "./types.js";

/** Sorts findings by file, line, column, then policy and rule: the order a reader scans them. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return sorted(findings);
}

/**
 * {@link sortFindings}, then drops repeated findings (same file, place, policy, rule and message),
 * keeping the first: the sort orders by exactly those fields and is stable, so repeats sit
 * together, first one first.
 */
export function sortUniqueFindings(findings: readonly Finding[]): Finding[] {
  const unique: Finding[] = [];
  let previous: Finding | undefined;
  for (const finding of sorted(findings)) {
    const repeated =
      previous !== undefined &&
      finding.file === previous.file &&
      finding.line === previous.line &&
      finding.column === previous.column &&
      finding.policy === previous.policy &&
      finding.rule === previous.rule &&
      finding.message === previous.message;
    previous = finding;
    if (!repeated) unique.push(finding);
  }
  return unique;
}

/**
 * A check sorts tens of thousands of findings, and most comparisons would be decided by file:
 * the files are ranked once and each finding put in its file's bucket, in input order, so only
 * a file's own findings are compared, by place before any text. Every step is stable. Findings
 * come in runs of one file (a check goes document by document), so a file's rank is looked up
 * once per run, not once per finding.
 */
function sorted(findings: readonly Finding[]): Finding[] {
  const rankOf = new Map<string, number>();
  let previous: string | undefined;
  for (const finding of findings) {
    if (finding.file === previous) continue;
    previous = finding.file;
    rankOf.set(previous, 0);
  }
  const files = [...rankOf.keys()].sort(compare);
  for (let rank = 0; rank < files.length; rank++) rankOf.set(files[rank] as string, rank);
  // starts[rank] is where the file's bucket begins; the last entry is the count.
  const starts = new Int32Array(files.length + 1);
  const ranks = new Int32Array(findings.length);
  previous = undefined;
  let rank = 0;
  for (let at = 0; at < findings.length; at++) {
    const file = (findings[at] as Finding).file;
    if (file !== previous) {
      previous = file;
      rank = rankOf.get(file) as number;
    }
    ranks[at] = rank;
    starts[rank + 1] = (starts[rank + 1] as number) + 1;
  }
  for (let at = 0; at < files.length; at++) starts[at + 1] = (starts[at + 1] as number) + (starts[at] as number);
  const next = starts.slice(0, files.length);
  const out = new Array<Finding>(findings.length);
  for (let at = 0; at < findings.length; at++) {
    const bucket = ranks[at] as number;
    const to = next[bucket] as number;
    next[bucket] = to + 1;
    out[to] = findings[at] as Finding;
  }
  for (let at = 0; at < files.length; at++) sortBucket({ out, start: starts[at] as number, end: starts[at + 1] as number });
  return out;
}

// A file's findings mostly arrive in few runs (policy by policy over its documents): insertion
// sort handles a small bucket without the builtin sort's set-up; past this size, its n² would show.
const SMALL_BUCKET = 64;

/** Sorts `out[start, end)` in place by {@link byPlace}, stably. */
function sortBucket(params: { out: Finding[]; start: number; end: number }): void {
  const { out, start, end } = params;
  if (end - start > SMALL_BUCKET) {
    const bucket = out.slice(start, end).sort(byPlace);
    for (let at = start; at < end; at++) out[at] = bucket[at - start] as Finding;
    return;
  }
  for (let at = start + 1; at < end; at++) {
    const item = out[at] as Finding;
    let to = at;
    while (to > start && byPlace(out[to - 1] as Finding, item) > 0) {
      out[to] = out[to - 1] as Finding;
      to--;
    }
    out[to] = item;
  }
}

/** The order within one file. `||` throughout: a NaN line or column counts as a tie, as it always has. */
function byPlace(a: Finding, b: Finding): number {
  return a.line - b.line || a.column - b.column || compare(a.policy, b.policy) || compare(a.rule, b.rule) || compare(a.message, b.message);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
