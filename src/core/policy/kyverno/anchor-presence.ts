import { isPlainObject } from "./go-format.js";
import type { TrackedKey } from "./pattern-plan.js";

const MAX_TRACKED = 10_000;

/**
 * Kyverno's AnchorMap: per conditional, existence or negation anchor key met in a walk, whether the
 * resource ever had that key. An entry holds `2 × walk + 1` if it had, `2 × walk` if not, and an
 * entry of an earlier walk counts as none: a walk starts without clearing anything. The keys still
 * missing in this walk, negations aside, are counted as they come and go.
 */
export class AnchorPresence {
  private readonly seen = new Map<string, number>();
  private walk = 0;
  private missing = 0;

  begin(walk: number): void {
    this.walk = walk;
    this.missing = 0;
    // Anchor keys come from policies, so the table stays small; it is emptied if it ever grows.
    if (this.seen.size > MAX_TRACKED) this.seen.clear();
  }

  track(tracked: readonly TrackedKey[], resource: unknown): void {
    const now = 2 * this.walk;
    for (const { key, bare, negation } of tracked) {
      const mark = this.seen.get(key);
      if (mark === now + 1) continue;
      const present = hasKey(resource, bare);
      this.seen.set(key, present ? now + 1 : now);
      if (negation) continue;
      // Missing until now in this walk, and found here; or met for the first time, and missing.
      if (mark === now && present) this.missing--;
      else if (mark !== now && !present) this.missing++;
    }
  }

  /** Some anchor key other than a negation's was never in the resource in this walk. */
  keysAreMissing(): boolean {
    return this.missing > 0;
  }
}

function hasKey(resource: unknown, key: string): boolean {
  if (isPlainObject(resource)) return Object.hasOwn(resource, key);
  if (Array.isArray(resource)) return resource.some((item) => hasKey(item, key));
  return false;
}
