/**
 * The places where pattern walks fail (pattern-failure.ts), each made once and shared: the same
 * rule fails at the same keys and indexes on resource after resource, so the keys, Kyverno's path
 * text for them (`/spec/containers/0/`) and what the keys mention are worked out the first time,
 * and later failures there allocate nothing. Places form a tree by key. Keys and indexes are
 * input: the tree is bounded by count and starts again when it grows too big (a place already
 * handed out stays valid), and a long path's keys and text are made for each failure, not kept.
 */

import { SegmentChildren } from "../../segment-children.js";

/** Paths deeper than this, or texts longer, are made per failure, not kept. */
const MAX_KEPT_DEPTH = 64;
const MAX_KEPT_TEXT = 256;

/** One place: the keys and indexes down to it, and its path text. */
export class FailurePlace {
  /** Places one key or index further, made as failures reach them. */
  private readonly children = new SegmentChildren<FailurePlace>();
  private segmentsCache: readonly (string | number)[] | undefined = undefined;
  private textCache: string | undefined = undefined;

  constructor(
    private readonly parent: FailurePlace | undefined,
    private readonly segment: string | number,
    readonly depth: number,
    /** Which anchor messages the keys mention (pattern-failure.ts `mentionsIn`): a message quoting the path mentions them too. */
    readonly mentions: number,
  ) {}

  /** The keys and indexes walked (frozen where kept: failures share them, and nobody writes them). */
  get segments(): readonly (string | number)[] {
    if (this.segmentsCache !== undefined) return this.segmentsCache;
    const segments = new Array<string | number>(this.depth);
    let place: FailurePlace | undefined = this.parent;
    if (this.depth > 0) segments[this.depth - 1] = this.segment;
    for (let index = this.depth - 2; index >= 0 && place; index--) {
      segments[index] = place.segment;
      place = place.parent;
    }
    if (this.depth <= MAX_KEPT_DEPTH) this.segmentsCache = Object.freeze(segments);
    return segments;
  }

  /** Kyverno's path text: `/` at the root, `/spec/containers/0/` below. */
  get text(): string {
    if (this.textCache !== undefined) return this.textCache;
    let text = "/";
    for (const segment of this.segments) text += `${segment}/`;
    if (text.length <= MAX_KEPT_TEXT) this.textCache = text;
    return text;
  }

  /** The place one key or index below this one. */
  child(segment: string | number, mentionsOf: (key: string) => number): FailurePlace {
    let place = this.children.get(segment);
    if (place === undefined) {
      const mentions = typeof segment === "string" ? this.mentions | mentionsOf(segment) : this.mentions;
      place = new FailurePlace(this, segment, this.depth + 1, mentions);
      this.children.add(segment, place);
      count++;
    }
    return place;
  }
}

/** Places kept at most, across all rules: enough for every place a large policy set fails at. */
const MAX_PLACES = 50_000;

let root = new FailurePlace(undefined, "", 0, 0);
let count = 0;

/** The root place (a failure at the top of the resource, and the place of a skip, which is never reported). */
export function rootPlace(): FailurePlace {
  return root;
}

/** The place of `keys[0..depth)`, and `key` below them if given. */
export function placeOf(
  keys: readonly (string | number)[],
  depth: number,
  key: string | undefined,
  mentionsOf: (key: string) => number,
): FailurePlace {
  if (count > MAX_PLACES) {
    root = new FailurePlace(undefined, "", 0, 0);
    count = 0;
  }
  let place = root;
  for (let index = 0; index < depth; index++) place = place.child(keys[index] as string | number, mentionsOf);
  return key === undefined ? place : place.child(key, mentionsOf);
}
