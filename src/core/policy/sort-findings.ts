import type { Finding } from "./types.js";

/** Sorts findings by file, line, column, then policy and rule: the order a reader scans them. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const order = sortedOrder(findings);
  const sorted: Finding[] = new Array<Finding>(order.length);
  for (let at = 0; at < order.length; at++) sorted[at] = findings[order[at] as number] as Finding;
  return sorted;
}

/**
 * {@link sortFindings}, then drops repeated findings (same file, place, policy, rule and message),
 * keeping the first: the sort orders by exactly those fields and is stable, so repeats sit
 * together, first one first.
 */
export function sortUniqueFindings(findings: readonly Finding[]): Finding[] {
  const order = sortedOrder(findings);
  const unique: Finding[] = [];
  let previous: Finding | undefined;
  for (const at of order) {
    const finding = findings[at] as Finding;
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
 * The findings' indexes in sorted order. A check sorts tens of thousands of findings, and most
 * comparisons would be decided by file: files are ranked once and the findings put in their file's
 * bucket (stably), so only each file's own findings are compared, by line and column read from flat
 * arrays before any text. Ties keep input order.
 */
function sortedOrder(findings: readonly Finding[]): number[] {
  const count = findings.length;
  const rankOf = new Map<string, number>();
  for (const finding of findings) rankOf.set(finding.file, 0);
  const files = [...rankOf.keys()].sort(compare);
  for (let rank = 0; rank < files.length; rank++) rankOf.set(files[rank] as string, rank);
  const ranks = new Int32Array(count);
  const starts = new Int32Array(files.length + 1);
  const lines = new Float64Array(count);
  const columns = new Float64Array(count);
  for (let at = 0; at < count; at++) {
    const finding = findings[at] as Finding;
    const rank = rankOf.get(finding.file) as number;
    ranks[at] = rank;
    starts[rank + 1] = (starts[rank + 1] as number) + 1;
    lines[at] = finding.line;
    columns[at] = finding.column;
  }
  for (let rank = 0; rank < files.length; rank++) starts[rank + 1] = (starts[rank + 1] as number) + (starts[rank] as number);
  const order: number[] = new Array<number>(count);
  const next = starts.slice(0, files.length);
  for (let at = 0; at < count; at++) {
    const rank = ranks[at] as number;
    order[next[rank] as number] = at;
    next[rank] = (next[rank] as number) + 1;
  }
  const byPlace = (a: number, b: number): number => {
    // `||`, not `!== 0`: a NaN line or column counts as a tie, as it always has.
    const place = (lines[a] as number) - (lines[b] as number) || (columns[a] as number) - (columns[b] as number);
    if (place) return place;
    const first = findings[a] as Finding;
    const second = findings[b] as Finding;
    return compare(first.policy, second.policy) || compare(first.rule, second.rule) || compare(first.message, second.message) || a - b;
  };
  for (let rank = 0; rank < files.length; rank++) {
    const start = starts[rank] as number;
    const end = starts[rank + 1] as number;
    if (end - start <= SMALL_BUCKET) {
      insertionSort({ order, start, end, compare: byPlace });
      continue;
    }
    const bucket = order.slice(start, end).sort(byPlace);
    for (let at = start; at < end; at++) order[at] = bucket[at - start] as number;
  }
  return order;
}

// A file's findings mostly arrive in few runs (policy by policy over its documents): insertion
// sort handles a small bucket without the builtin sort's set-up; past this size, its n² would show.
const SMALL_BUCKET = 64;

/** Sorts `order[start, end)` in place, stably. */
function insertionSort(params: { order: number[]; start: number; end: number; compare: (a: number, b: number) => number }): void {
  const { order, start, end, compare: before } = params;
  for (let at = start + 1; at < end; at++) {
    const item = order[at] as number;
    let to = at;
    while (to > start && before(order[to - 1] as number, item) > 0) {
      order[to] = order[to - 1] as number;
      to--;
    }
    order[to] = item;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
