const OPEN = -1;

/**
 * Counts one document's aliases as they would expand: each alias once, plus once for every alias
 * inside its target. An alias to a collection that is still open is a cycle.
 *
 * Why expanded: js-yaml builds an alias by reference, so "billion laughs" costs nothing to load,
 * but every consumer that walks the value (policy patterns, JSON output) pays for the expansion.
 */
export class AliasCounter {
  /** Aliases counted so far in the document. */
  count = 0;
  /** Per anchor, the aliases inside its node, or OPEN while the node is being read. */
  private anchors: Map<string, number> | null = null;
  /** Per open collection: its anchor (or null) and the count when it opened. */
  private readonly openAnchors: (string | null)[] = [];
  private readonly countsAtOpen: number[] = [];

  startDocument(): void {
    this.count = 0;
    this.anchors = null;
    // A document abandoned on a violation leaves its open collections behind.
    this.openAnchors.length = 0;
    this.countsAtOpen.length = 0;
  }

  openCollection(anchor: string | null): void {
    this.openAnchors.push(anchor);
    this.countsAtOpen.push(this.count);
    if (anchor !== null) (this.anchors ??= new Map()).set(anchor, OPEN);
  }

  closeCollection(): void {
    const anchor = this.openAnchors.pop();
    const countAtOpen = this.countsAtOpen.pop() as number;
    if (anchor !== null && anchor !== undefined) (this.anchors ??= new Map()).set(anchor, this.count - countAtOpen);
  }

  anchoredScalar(anchor: string): void {
    (this.anchors ??= new Map()).set(anchor, 0);
  }

  /** Counts an alias; false when it points into a node that is still open (a cycle). */
  alias(anchor: string): boolean {
    const inner = this.anchors?.get(anchor);
    if (inner === OPEN) return false;
    // An unknown anchor is left to js-yaml, which reports it with its own message.
    this.count += 1 + (inner ?? 0);
    return true;
  }
}
