/**
 * The children of one node in a tree keyed by path segments (keys and indexes), as the trees of
 * formatted paths (problems.ts) and of pattern failure places (kyverno/failure-places.ts) keep
 * them: most nodes have a few children, found by comparing (cheaper than hashing a key or an
 * index), and the rest go to a map. Lookups compare as `===` and then as the map does.
 */
export class SegmentChildren<T> {
  private readonly nearSegments: (string | number)[] = [];
  private readonly near: T[] = [];
  private far: Map<string | number, T> | undefined = undefined;

  get(segment: string | number): T | undefined {
    const nearSegments = this.nearSegments;
    for (let index = 0; index < nearSegments.length; index++) if (nearSegments[index] === segment) return this.near[index];
    return this.far?.get(segment);
  }

  /** Adds a child the caller found missing ({@link get}). */
  add(segment: string | number, child: T): void {
    if (this.nearSegments.length < COMPARED) {
      this.nearSegments.push(segment);
      this.near.push(child);
    } else (this.far ??= new Map()).set(segment, child);
  }
}

/** Children compared one by one before a map holds the rest. */
const COMPARED = 8;
