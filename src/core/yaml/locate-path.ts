import { EVENT_ID, SCALAR_STYLE } from "js-yaml";
import type { Event } from "js-yaml";
import { eventOffset } from "./event-offset.js";
import { scalarKeyText } from "./scalar-key-text.js";
import type { FieldPath } from "./types.js";

/**
 * For every event index, the index just after that node's subtree, so siblings can be skipped
 * without walking their children. Built once per file, and only when a position is asked for.
 */
export function computeSubtreeEnds(events: readonly Event[]): Int32Array {
  const ends = new Int32Array(events.length);
  const open: number[] = [];
  for (let index = 0; index < events.length; index++) {
    const type = (events[index] as Event).type;
    if (type === EVENT_ID.SCALAR || type === EVENT_ID.ALIAS) ends[index] = index + 1;
    else if (type === EVENT_ID.POP) {
      const opened = open.pop();
      if (opened !== undefined) ends[opened] = index + 1;
      ends[index] = index + 1;
    } else open.push(index);
  }
  return ends;
}

/**
 * Walks `path` down from the node at `rootEvent` and returns the offset to report: the key's offset
 * when the path ends at a mapping key, the node's own offset otherwise (sequence items, the root).
 * Stops at the deepest node that exists, at an alias (its target's children belong to the anchor's
 * place, but a reader looks at the alias), or at a key that came in through a merge (`<<`).
 * Returns -1 when nothing along the path has a source offset.
 */
export function locatePath(params: {
  events: readonly Event[];
  ends: Int32Array;
  source: string;
  rootEvent: number;
  /** The document's value, to tell a key that came in through `<<` from a missing one. */
  value: unknown;
  path: FieldPath;
}): number {
  const { events, ends, source, path } = params;
  let node = params.rootEvent;
  let value = params.value;
  let found = eventOffset(events[node] as Event, source);
  for (const segment of path) {
    const event = events[node] as Event;
    if (event.type === EVENT_ID.MAPPING) {
      const entry = findMappingEntry({ events, ends, source, mapping: node, key: String(segment) });
      if (entry.key === -1) {
        if (entry.merge !== -1 && hasOwnKey(value, String(segment))) found = eventOffset(events[entry.merge] as Event, source);
        break;
      }
      found = eventOffset(events[entry.key] as Event, source);
      node = ends[entry.key] as number;
      value = hasOwnKey(value, String(segment)) ? (value as Record<string, unknown>)[String(segment)] : undefined;
    } else if (event.type === EVENT_ID.SEQUENCE) {
      const item = findSequenceItem({ events, ends, sequence: node, segment });
      if (item === -1) break;
      const offset = eventOffset(events[item] as Event, source);
      // An empty item (`- ` with nothing after) has no text; the sequence is the best place left.
      if (offset !== -1) found = offset;
      node = item;
      value = Array.isArray(value) ? value[Number(segment)] : undefined;
    } else {
      // Deeper than a scalar (missing) or through an alias: the alias is where a reader looks.
      if (event.type === EVENT_ID.ALIAS) found = eventOffset(event, source);
      break;
    }
  }
  return found;
}

function findMappingEntry(params: {
  events: readonly Event[];
  ends: Int32Array;
  source: string;
  mapping: number;
  key: string;
}): { key: number; merge: number } {
  const { events, ends, source, key } = params;
  let merge = -1;
  let index = params.mapping + 1;
  while ((events[index] as Event).type !== EVENT_ID.POP) {
    const keyEvent = events[index] as Event;
    if (keyEvent.type === EVENT_ID.SCALAR) {
      const text = scalarKeyText(source, keyEvent);
      if (text === key) return { key: index, merge: -1 };
      if (text === "<<" && keyEvent.style === SCALAR_STYLE.PLAIN) merge = index;
    }
    // ends[key] is the value's index; ends[value] is the next key's.
    index = ends[ends[index] as number] as number;
  }
  return { key: -1, merge };
}

function findSequenceItem(params: {
  events: readonly Event[];
  ends: Int32Array;
  sequence: number;
  segment: string | number;
}): number {
  const { events, ends, segment } = params;
  const wanted = typeof segment === "number" ? segment : /^\d+$/.test(segment) ? Number(segment) : -1;
  if (!Number.isInteger(wanted) || wanted < 0) return -1;
  let index = params.sequence + 1;
  for (let position = 0; (events[index] as Event).type !== EVENT_ID.POP; position++) {
    if (position === wanted) return index;
    index = ends[index] as number;
  }
  return -1;
}

function hasOwnKey(value: unknown, key: string): boolean {
  return typeof value === "object" && value !== null && Object.hasOwn(value, key);
}
