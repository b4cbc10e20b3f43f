import { mayWrite, metadataWrites } from "./metadata-expansion.js";
import type { CompiledExpansion } from "./metadata-expansion.js";
import type { PatternPlan } from "./pattern-plan.js";

/**
 * A static map whose metadata map the wildcard expansion rewrites: the rewritten map lives for one
 * walk (Kyverno rewrites the pattern in place, and a walk that meets the map again sees its
 * rewrite), so it is kept here, marked with the walk it belongs to.
 */
export class WalkExpansion {
  /** The walk that {@link metadata} and {@link plan} belong to. */
  walk = -1;
  /** That walk's metadata map: {@link original} until the expansion writes, then its copy. */
  metadata: Record<string, unknown>;
  /** The metadata map's plan in that walk, fixed where the walk first reaches it (undefined before). */
  plan: PatternPlan | undefined = undefined;

  constructor(
    readonly metadataKey: string,
    readonly original: Record<string, unknown>,
    readonly compiled: CompiledExpansion,
  ) {
    this.metadata = original;
  }

  /**
   * Kyverno's expansion of the metadata map for this resource, in walk `walk`: rewritten, the map
   * is copied for that walk (the plan stays as written), and the walk reads the copy from then on.
   */
  rewrite(resource: Record<string, unknown>, walk: number): void {
    if (this.walk !== walk) {
      this.walk = walk;
      this.metadata = this.original;
      this.plan = undefined;
    }
    let metadata = this.metadata;
    if (metadata === this.original && !mayWrite(this.compiled, resource)) return;
    const writes = metadataWrites(metadata, resource);
    if (!writes) return;
    if (metadata === this.original) this.metadata = metadata = copyMap(metadata);
    for (const [key, map] of writes) metadata[key] = map;
  }
}

/** A copy of a map with the same own keys in the same order (`__proto__` kept as an own key). */
function copyMap(source: Record<string, unknown>): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    if (key === "__proto__") Object.defineProperty(map, key, { value: source[key], writable: true, enumerable: true, configurable: true });
    else map[key] = source[key];
  }
  return map;
}
