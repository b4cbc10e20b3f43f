import { EVENT_ID, SCALAR_STYLE } from "./js-yaml.js";
import type { EventIndex } from "./event-index.js";
import { scalarKeyText } from "./scalar-key-text.js";
import type { FieldPath } from "./types.js";

/**
 * Where the last walk of one file stood after each segment of its path: the next lookup in the same
 * document resumes where the two paths part. A check positions its findings document by document,
 * and most of them share a long prefix (`spec.template.spec.containers.0`), so most segments are
 * never walked twice. Owned by one file's positions; the walk is synchronous, so nothing interleaves.
 */
export class LocateMemo {
  private root = -1;
  private rootValue: unknown = undefined;
  // Written in place up to the counts below (never shortened: setting an array's length is slow).
  /** The segments walked, the one the walk stopped at included. */
  private readonly segments: (string | number)[] = [];
  private segmentCount = 0;
  // The walk's state after d segments, for d from 0 to `passed`.
  private readonly nodes: number[] = [];
  private readonly found: number[] = [];
  private passed = -1;
  /** Whether the walk stopped at its last segment: then every longer path with that prefix ends there too. */
  private stopped = false;
  private stoppedAt = -1;

  /**
   * Walks `path` down from the node at `rootEvent` and returns the offset to report: the key's
   * offset when the path ends at a mapping key, the node's own offset otherwise (sequence items,
   * the root). Stops at the deepest node that exists, at an alias (its target's children belong to
   * the anchor's place, but a reader looks at the alias), or at a key that came in through a merge
   * (`<<`). Returns -1 when nothing along the path has a source offset.
   */
  locate(params: {
    index: EventIndex;
    source: string;
    rootEvent: number;
    /** The document's value, to tell a key that came in through `<<` from a missing one. */
    value: unknown;
    path: FieldPath;
  }): number {
    const { index, source, path } = params;
    if (params.rootEvent !== this.root || params.value !== this.rootValue || this.passed === -1) this.reset(params);
    let shared = 0;
    const limit = Math.min(path.length, this.segmentCount);
    while (shared < limit && path[shared] === this.segments[shared]) shared++;
    if (this.stopped && shared === this.segmentCount) return this.stoppedAt;
    // Here shared <= passed: a walk that stopped holds one segment more than it passed.
    if (shared === path.length) return this.found[shared] as number;
    this.stopped = false;
    this.passed = shared;
    this.segmentCount = shared;
    let node = this.nodes[shared] as number;
    let found = this.found[shared] as number;
    for (let at = shared; at < path.length; at++) {
      const segment = path[at] as string | number;
      this.segments[this.segmentCount++] = segment;
      const type = index.type(node);
      if (type === EVENT_ID.MAPPING) {
        const key = String(segment);
        const entry = findMappingEntry({ index, source, mapping: node, key });
        if (entry.key === -1) {
          // Only a missing key beside a `<<` needs the value, so it is not carried down the walk.
          if (entry.merge !== -1 && hasOwnKey(this.valueAlong({ index, path, depth: at }), key)) found = index.offset(entry.merge);
          return this.stop(found);
        }
        found = index.offset(entry.key);
        node = index.end(entry.key);
      } else if (type === EVENT_ID.SEQUENCE) {
        const item = findSequenceItem({ index, sequence: node, segment });
        if (item === -1) return this.stop(found);
        const offset = index.offset(item);
        // An empty item (`- ` with nothing after) has no text; the sequence is the best place left.
        if (offset !== -1) found = offset;
        node = item;
      } else {
        // Deeper than a scalar (missing) or through an alias: the alias is where a reader looks.
        return this.stop(type === EVENT_ID.ALIAS ? index.offset(node) : found);
      }
      const depth = ++this.passed;
      this.nodes[depth] = node;
      this.found[depth] = found;
    }
    return found;
  }

  private reset(params: { index: EventIndex; rootEvent: number; value: unknown }): void {
    this.root = params.rootEvent;
    this.rootValue = params.value;
    this.segmentCount = 0;
    this.passed = 0;
    this.nodes[0] = params.rootEvent;
    this.found[0] = params.index.offset(params.rootEvent);
    this.stopped = false;
  }

  /**
   * The value the walk reached after `depth` segments of `path`, taken as the walk went: an own key
   * of a mapping's value, an index of a sequence's, undefined once off the value.
   */
  private valueAlong(params: { index: EventIndex; path: FieldPath; depth: number }): unknown {
    let value = this.rootValue;
    for (let at = 0; at < params.depth; at++) {
      const segment = params.path[at] as string | number;
      if (params.index.type(this.nodes[at] as number) === EVENT_ID.SEQUENCE)
        value = Array.isArray(value) ? value[Number(segment)] : undefined;
      else value = hasOwnKey(value, String(segment)) ? (value as Record<string, unknown>)[String(segment)] : undefined;
    }
    return value;
  }

  private stop(found: number): number {
    this.stopped = true;
    this.stoppedAt = found;
    return found;
  }
}

/** The mapping entry whose key is `key`: the key's event index, or -1 and the plain `<<` key when there is one. */
export function findMappingEntry(params: { index: EventIndex; source: string; mapping: number; key: string }): {
  key: number;
  merge: number;
} {
  const { index, source, key } = params;
  let merge = -1;
  let at = params.mapping + 1;
  while (index.type(at) !== EVENT_ID.POP) {
    if (index.type(at) === EVENT_ID.SCALAR) {
      const matches = index.keyIs(at, key);
      if (matches === true) return { key: at, merge: -1 };
      if (matches === undefined || index.keyIs(at, "<<") !== false) {
        const scalar = index.scalar(at);
        const text = scalarKeyText(source, scalar);
        if (text === key) return { key: at, merge: -1 };
        if (text === "<<" && scalar.style === SCALAR_STYLE.PLAIN) merge = at;
      }
    }
    // end(key) is the value's index; end(value) is the next key's.
    at = index.end(index.end(at));
  }
  return { key: -1, merge };
}

/**
 * Item event ids per sequence, per index: finding item 4,000 of a list by walking would cost 4,000
 * steps for every finding in it, quadratic over a large `kind: List`.
 */
const SEQUENCE_ITEMS = new WeakMap<EventIndex, Map<number, number[]>>();

export function findSequenceItem(params: { index: EventIndex; sequence: number; segment: string | number }): number {
  const { index, segment } = params;
  const wanted = typeof segment === "number" ? segment : /^\d+$/.test(segment) ? Number(segment) : -1;
  if (!Number.isInteger(wanted) || wanted < 0) return -1;
  let cached = SEQUENCE_ITEMS.get(index);
  if (!cached) SEQUENCE_ITEMS.set(index, (cached = new Map<number, number[]>()));
  let items = cached.get(params.sequence);
  if (!items) {
    items = [];
    for (let at = params.sequence + 1; index.type(at) !== EVENT_ID.POP; at = index.end(at)) items.push(at);
    cached.set(params.sequence, items);
  }
  return items[wanted] ?? -1;
}

function hasOwnKey(value: unknown, key: string): boolean {
  return typeof value === "object" && value !== null && Object.hasOwn(value, key);
}
