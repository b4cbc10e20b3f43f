import { EVENT_ID } from "./js-yaml.js";
import type { Event } from "./js-yaml.js";
import { eventOffset, jsYamlEventPosition } from "./event-offset.js";
import { scalarKeyText } from "./scalar-key-text.js";

/**
 * Names the duplicated key js-yaml rejected at `offset` and finds where that key first appeared in
 * the same mapping. Only runs on the error path, so a plain walk is fine.
 * `offset` is js-yaml's error position, which is inside a quoted key; the returned offsets are ours.
 */
export function findDuplicateKey(params: {
  events: readonly Event[];
  source: string;
  startEvent: number;
  endEvent: number;
  offset: number;
}): { key: string; offset: number; firstOffset: number } | undefined {
  const { events, source, offset } = params;
  // One frame per open collection; mappings remember their keys and whether a key comes next.
  const frames: { keys: Map<string, number> | null; expectKey: boolean }[] = [];
  for (let index = params.startEvent; index < params.endEvent; index++) {
    const event = events[index] as Event;
    if (event.type === EVENT_ID.DOCUMENT) continue;
    if (event.type === EVENT_ID.POP) {
      frames.pop();
      continue;
    }
    const parent = frames[frames.length - 1];
    if (parent?.keys && parent.expectKey && event.type === EVENT_ID.SCALAR) {
      const key = scalarKeyText(source, event);
      const first = parent.keys.get(key);
      if (first !== undefined && jsYamlEventPosition(event) === offset)
        return { key, offset: eventOffset(event, source), firstOffset: first };
      if (first === undefined) parent.keys.set(key, eventOffset(event, source));
    }
    if (parent?.keys) parent.expectKey = !parent.expectKey;
    if (event.type === EVENT_ID.MAPPING) frames.push({ keys: new Map(), expectKey: true });
    else if (event.type === EVENT_ID.SEQUENCE) frames.push({ keys: null, expectKey: false });
  }
  return undefined;
}
