import { EVENT_ID } from "./js-yaml.js";
import type { EventIndex } from "./event-index.js";
import { findMappingKey, findSequenceItem } from "./locate-path.js";
import type { FieldPath } from "./types.js";

/**
 * The event index of the value node at `path` (a mapping entry's value, a sequence item), or -1
 * when the path does not exist as written: through an alias or a merge key (`<<`) there is no
 * single place in the text that holds the value, so callers fall back to `LocateMemo.locate`.
 */
export function locateValueNode(params: { index: EventIndex; source: string; rootEvent: number; path: FieldPath }): number {
  const { index, source } = params;
  let node = params.rootEvent;
  for (const segment of params.path) {
    const type = index.type(node);
    if (type === EVENT_ID.MAPPING) {
      const entry = findMappingKey({ index, source, mapping: node, key: String(segment) });
      if (entry === -1) return -1;
      node = index.end(entry);
    } else if (type === EVENT_ID.SEQUENCE) {
      const item = findSequenceItem({ index, sequence: node, segment });
      if (item === -1) return -1;
      node = item;
    } else {
      return -1;
    }
  }
  return node;
}
