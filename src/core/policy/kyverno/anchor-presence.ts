import { parseAnchor } from "./anchor.js";
import { isPlainObject } from "./go-format.js";
import type { TrackedKey } from "./pattern-plan.js";

const MAX_TRACKED = 10_000;

/**
 * Kyverno's AnchorMap: per conditional, existence or negation anchor key met in a walk, whether the
 * resource ever had that key. An entry holds `2 × walk + 1` if it had, `2 × walk` if not, and an
 * entry of an earlier walk counts as none: a walk starts without clearing anything.
 */
export class AnchorPresence {
  private readonly seen = new Map<string, number>();
  private walk = 0;

  begin(walk: number): void {
    this.walk = walk;
    // Anchor keys come from policies, so the table stays small; it is emptied if it ever grows.
    if (this.seen.size > MAX_TRACKED) this.seen.clear();
  }

  track(tracked: readonly TrackedKey[], resource: unknown): void {
    const now = 2 * this.walk;
    for (const { key, bare } of tracked) {
      if (this.seen.get(key) === now + 1) continue;
      this.seen.set(key, hasKey(resource, bare) ? now + 1 : now);
    }
  }

  /** Some anchor key other than a negation's was never in the resource in this walk. */
  keysAreMissing(): boolean {
    const now = 2 * this.walk;
    for (const [key, mark] of this.seen) {
      if (mark === now && parseAnchor(key)?.type !== "negation") return true;
    }
    return false;
  }
}

function hasKey(resource: unknown, key: string): boolean {
  if (isPlainObject(resource)) return Object.hasOwn(resource, key);
  if (Array.isArray(resource)) return resource.some((item) => hasKey(item, key));
  return false;
}
