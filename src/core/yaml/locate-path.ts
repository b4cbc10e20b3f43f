import { EVENT_ID, SCALAR_STYLE } from "./js-yaml.js";
import type { EventIndex } from "./event-index.js";
import { scalarKeyText } from "./scalar-key-text.js";
import type { FieldPath } from "./types.js";

/** A document as a walk starts from it: its root node's event index and its value. */
export interface LocatedDocument {
  readonly rootEvent: number;
  /** The document's value, to tell a key that came in through `<<` from a missing one. */
  readonly value: unknown;
}

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

  constructor(
    private readonly index: EventIndex,
    private readonly source: string,
  ) {}

  /**
   * Walks `path` down from the document's root node and returns the offset to report: the key's
   * offset when the path ends at a mapping key, the node's own offset otherwise (sequence items,
   * the root). Stops at the deepest node that exists, at an alias (its target's children belong to
   * the anchor's place, but a reader looks at the alias), or at a key that came in through a merge
   * (`<<`). Returns -1 when nothing along the path has a source offset.
   */
  locate(document: LocatedDocument, path: FieldPath): number {
    const { index, source } = this;
    if (document.rootEvent !== this.root || document.value !== this.rootValue || this.passed === -1) this.reset(document);
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
        const entry = findMappingKey({ index, source, mapping: node, key });
        if (entry === -1) {
          // A missing key may have come in through `<<`: only then is the value needed, so it is
          // not carried down the walk.
          const merge = findMergeKey({ index, source, mapping: node });
          if (merge !== -1 && hasOwnKey(this.valueAlong(path, at), key)) found = index.offset(merge);
          return this.stop(found);
        }
        found = index.offset(entry);
        node = index.end(entry);
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

  private reset(document: LocatedDocument): void {
    this.root = document.rootEvent;
    this.rootValue = document.value;
    this.segmentCount = 0;
    this.passed = 0;
    this.nodes[0] = document.rootEvent;
    this.found[0] = this.index.offset(document.rootEvent);
    this.stopped = false;
  }

  /**
   * The value the walk reached after `depth` segments of `path`, taken as the walk went: an own key
   * of a mapping's value, an index of a sequence's, undefined once off the value.
   */
  private valueAlong(path: FieldPath, depth: number): unknown {
    let value = this.rootValue;
    for (let at = 0; at < depth; at++) {
      const segment = path[at] as string | number;
      if (this.index.type(this.nodes[at] as number) === EVENT_ID.SEQUENCE)
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

/** The event index of the key `key` in the mapping at `mapping`, or -1 when it has none. */
export function findMappingKey(params: { index: EventIndex; source: string; mapping: number; key: string }): number {
  const { index, key } = params;
  let scanned = 0;
  for (let at = params.mapping + 1; ;) {
    const type = index.type(at);
    if (type === EVENT_ID.POP) return -1;
    if (++scanned > SCANNED_KEYS) return keyTable(params).first.get(key) ?? -1;
    if (type === EVENT_ID.SCALAR) {
      const matches = index.keyIs(at, key);
      // A key read in place as another text is not `key`; only one that cannot be read so is built.
      if (matches === true || (matches === undefined && scalarKeyText(params.source, index.scalar(at)) === key)) return at;
      // A scalar key's value comes right after it; the next key right after the value's subtree.
      at = index.end(at + 1);
    } else at = index.end(index.end(at));
  }
}

/** The event index of the mapping's last plain merge key (`<<`), or -1 when it has none. */
export function findMergeKey(params: { index: EventIndex; source: string; mapping: number }): number {
  const { index } = params;
  let merge = -1;
  let scanned = 0;
  for (let at = params.mapping + 1; index.type(at) !== EVENT_ID.POP; at = index.end(index.end(at))) {
    if (++scanned > SCANNED_KEYS) return keyTable(params).merge;
    if (index.type(at) !== EVENT_ID.SCALAR || index.keyIs(at, "<<") === false) continue;
    const scalar = index.scalar(at);
    if (scalar.style === SCALAR_STYLE.PLAIN && scalarKeyText(params.source, scalar) === "<<") merge = at;
  }
  return merge;
}

// Past this many keys a mapping's keys are read once into a table: a ConfigMap of 50,000 keys with
// a finding on each would otherwise be scanned once per finding, quadratic in the file's size.
const SCANNED_KEYS = 16;

/** A large mapping's keys by their text (the first key of each text) and its last plain `<<` key. */
interface KeyTable {
  first: Map<string, number>;
  merge: number;
}

const KEY_TABLES = new WeakMap<EventIndex, Map<number, KeyTable>>();

function keyTable(params: { index: EventIndex; source: string; mapping: number }): KeyTable {
  const { index, mapping } = params;
  let tables = KEY_TABLES.get(index);
  if (!tables) KEY_TABLES.set(index, (tables = new Map<number, KeyTable>()));
  let table = tables.get(mapping);
  if (!table) {
    table = { first: new Map<string, number>(), merge: -1 };
    for (let at = mapping + 1; index.type(at) !== EVENT_ID.POP; at = index.end(index.end(at))) {
      if (index.type(at) !== EVENT_ID.SCALAR) continue;
      const text = index.keyText(at) ?? scalarKeyText(params.source, index.scalar(at));
      if (!table.first.has(text)) table.first.set(text, at);
      if (text === "<<" && index.scalar(at).style === SCALAR_STYLE.PLAIN) table.merge = at;
    }
    tables.set(mapping, table);
  }
  return table;
}

/**
 * Item event ids per sequence, per index: finding item 4,000 of a list by walking would cost 4,000
 * steps for every finding in it, quadratic over a large `kind: List`.
 */
const SEQUENCE_ITEMS = new WeakMap<EventIndex, Map<number, number[]>>();

const SCANNED_ITEMS = 16;

export function findSequenceItem(params: { index: EventIndex; sequence: number; segment: string | number }): number {
  const { index, segment } = params;
  const wanted = typeof segment === "number" ? segment : /^\d+$/.test(segment) ? Number(segment) : -1;
  if (!Number.isInteger(wanted) || wanted < 0) return -1;
  // The first items (most paths name item 0) are found by stepping over their elders.
  if (wanted < SCANNED_ITEMS) {
    let at = params.sequence + 1;
    for (let passed = 0; passed < wanted && index.type(at) !== EVENT_ID.POP; passed++) at = index.end(at);
    return index.type(at) === EVENT_ID.POP ? -1 : at;
  }
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
