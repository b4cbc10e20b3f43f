import { EVENT_ID } from "js-yaml";
import type { Event } from "js-yaml";

/**
 * Where a node's text begins: its tag, its `&anchor`, or its content, whichever comes first.
 * An alias begins at its `*`. Returns -1 for events without text (an empty value, a POP).
 */
export function eventOffset(event: Event): number {
  switch (event.type) {
    case EVENT_ID.SCALAR:
      return earliest(event.tagStart, event.anchorStart, event.valueStart);
    case EVENT_ID.MAPPING:
    case EVENT_ID.SEQUENCE:
      return earliest(event.tagStart, event.anchorStart, event.start);
    case EVENT_ID.ALIAS:
      // anchorStart points after the `*`.
      return event.anchorStart - 1;
    default:
      return -1;
  }
}

// Anchor ranges start after the `&`, so they are moved back one character to include it.
function earliest(tagStart: number, anchorStart: number, contentStart: number): number {
  let best = contentStart;
  const anchor = anchorStart === -1 ? -1 : anchorStart - 1;
  if (anchor !== -1 && (best === -1 || anchor < best)) best = anchor;
  if (tagStart !== -1 && (best === -1 || tagStart < best)) best = tagStart;
  return best;
}
