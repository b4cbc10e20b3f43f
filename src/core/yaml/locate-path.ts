import { EVENT_ID, SCALAR_STYLE } from "./js-yaml.js";
import type { EventIndex } from "./event-index.js";
import { scalarKeyText } from "./scalar-key-text.js";
import type { FieldPath } from "./types.js";

/**
 * Walks `path` down from the node at `rootEvent` and returns the offset to report: the key's offset
 * when the path ends at a mapping key, the node's own offset otherwise (sequence items, the root).
 * Stops at the deepest node that exists, at an alias (its target's children belong to the anchor's
 * place, but a reader looks at the alias), or at a key that came in through a merge (`<<`).
 * Returns -1 when nothing along the path has a source offset.
 */
export function locatePath(params: {
  index: EventIndex;
  source: string;
  rootEvent: number;
  /** The document's value, to tell a key that came in through `<<` from a missing one. */
  value: unknown;
  path: FieldPath;
}): number {
  const { index, source, path } = params;
  let node = params.rootEvent;
  let value = params.value;
  let found = index.offset(node);
  for (const segment of path) {
    const type = index.type(node);
    if (type === EVENT_ID.MAPPING) {
      const entry = findMappingEntry({ index, source, mapping: node, key: String(segment) });
      if (entry.key === -1) {
        if (entry.merge !== -1 && hasOwnKey(value, String(segment))) found = index.offset(entry.merge);
        break;
      }
      found = index.offset(entry.key);
      node = index.end(entry.key);
      value = hasOwnKey(value, String(segment)) ? (value as Record<string, unknown>)[String(segment)] : undefined;
    } else if (type === EVENT_ID.SEQUENCE) {
      const item = findSequenceItem({ index, sequence: node, segment });
      if (item === -1) break;
      const offset = index.offset(item);
      // An empty item (`- ` with nothing after) has no text; the sequence is the best place left.
      if (offset !== -1) found = offset;
      node = item;
      value = Array.isArray(value) ? value[Number(segment)] : undefined;
    } else {
      // Deeper than a scalar (missing) or through an alias: the alias is where a reader looks.
      if (type === EVENT_ID.ALIAS) found = index.offset(node);
      break;
    }
  }
  return found;
}

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
