import type { Finding } from "./types.js";

/** Sorts findings by file, line, column, then policy and rule: the order a reader scans them. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return new FindingOrder(findings).list(false);
}

/**
 * {@link sortFindings}, then drops repeated findings (same file, place, policy, rule and message),
 * keeping the first: the sort orders by exactly those fields and is stable, so repeats sit
 * together, first one first.
 */
export function sortUniqueFindings(findings: readonly Finding[]): Finding[] {
  return new FindingOrder(findings).list(true);
}

// A file's findings mostly arrive in few runs (policy by policy over its documents): insertion
// sort handles a small bucket without the builtin sort's set-up; past this size, its n² would show.
const SMALL_BUCKET = 64;

/**
 * A check sorts tens of thousands of findings, and most comparisons would be decided by file:
 * the files are ranked once and each finding put in its file's bucket, in input order, so only
 * a file's own findings are compared, by place before any text. Every step is stable.
 *
 * The findings are read once, into flat arrays of their file's rank and their line and column
 * (findings come in runs of one file, so a file is looked up once per run): the sort then moves
 * indexes and compares numbers, and reads a finding's texts only when its place ties. The
 * findings themselves, spread over the heap, are not walked again and again.
 */
class FindingOrder {
  private readonly lines: Float64Array;
  private readonly columns: Float64Array;
  /** Finding indexes by file, each file's in input order until its bucket is sorted. */
  private readonly order: Int32Array;
  /** Where each file's bucket starts in `order`, by rank; the last entry is the count. */
  private readonly starts: Int32Array;

  constructor(private readonly findings: readonly Finding[]) {
    const count = findings.length;
    // Lines and columns as doubles: a NaN one must tie with anything, as it always has.
    this.lines = new Float64Array(count);
    this.columns = new Float64Array(count);
    const fileIds = new Int32Array(count);
    const idOf = new Map<string, number>();
    const files: string[] = [];
    let previous: string | undefined;
    let id = 0;
    for (let at = 0; at < count; at++) {
      const finding = findings[at] as Finding;
      if (finding.file !== previous) {
        previous = finding.file;
        const known = idOf.get(previous);
        if (known === undefined) idOf.set(previous, (id = files.push(previous) - 1));
        else id = known;
      }
      fileIds[at] = id;
      this.lines[at] = finding.line;
      this.columns[at] = finding.column;
    }
    const ranked = files.map((_, fileId) => fileId).sort((a, b) => compare(files[a] as string, files[b] as string));
    const rankOf = new Int32Array(files.length);
    for (let rank = 0; rank < ranked.length; rank++) rankOf[ranked[rank] as number] = rank;
    this.starts = new Int32Array(files.length + 1);
    for (let at = 0; at < count; at++) {
      const rank = rankOf[fileIds[at] as number] as number;
      fileIds[at] = rank;
      this.starts[rank + 1] = (this.starts[rank + 1] as number) + 1;
    }
    for (let rank = 0; rank < files.length; rank++)
      this.starts[rank + 1] = (this.starts[rank + 1] as number) + (this.starts[rank] as number);
    const next = this.starts.slice(0, files.length);
    this.order = new Int32Array(count);
    for (let at = 0; at < count; at++) {
      const rank = fileIds[at] as number;
      const to = next[rank] as number;
      next[rank] = to + 1;
      this.order[to] = at;
    }
  }

  /** The findings in order, repeats dropped when `unique` (a bucket holds one file, so only its own can repeat). */
  list(unique: boolean): Finding[] {
    const { findings, order, starts } = this;
    const out: Finding[] = [];
    for (let rank = 0; rank + 1 < starts.length; rank++) {
      const start = starts[rank] as number;
      const end = starts[rank + 1] as number;
      this.sortBucket(start, end);
      let previous = -1;
      for (let at = start; at < end; at++) {
        const index = order[at] as number;
        if (!unique || previous === -1 || !this.repeats(index, previous)) out.push(findings[index] as Finding);
        previous = index;
      }
    }
    return out;
  }

  /** Sorts `order[start, end)` in place by {@link byPlace}, stably. */
  private sortBucket(start: number, end: number): void {
    const order = this.order;
    if (end - start > SMALL_BUCKET) {
      const bucket = Array.from(order.subarray(start, end)).sort((a, b) => this.byPlace(a, b));
      order.set(bucket, start);
      return;
    }
    for (let at = start + 1; at < end; at++) {
      const item = order[at] as number;
      let to = at;
      while (to > start && this.byPlace(order[to - 1] as number, item) > 0) {
        order[to] = order[to - 1] as number;
        to--;
      }
      order[to] = item;
    }
  }

  /** The order within one file. `||` throughout: a NaN line or column counts as a tie, as it always has. */
  private byPlace(a: number, b: number): number {
    const byLine = (this.lines[a] as number) - (this.lines[b] as number) || (this.columns[a] as number) - (this.columns[b] as number);
    if (byLine) return byLine;
    const first = this.findings[a] as Finding;
    const second = this.findings[b] as Finding;
    return compare(first.policy, second.policy) || compare(first.rule, second.rule) || compare(first.message, second.message);
  }

  /** Whether finding `index` repeats finding `previous` of the same file: same place (`===`, so never at a NaN line), policy, rule and message. */
  private repeats(index: number, previous: number): boolean {
    if (this.lines[index] !== this.lines[previous] || this.columns[index] !== this.columns[previous]) return false;
    const finding = this.findings[index] as Finding;
    const before = this.findings[previous] as Finding;
    return finding.policy === before.policy && finding.rule === before.rule && finding.message === before.message;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
