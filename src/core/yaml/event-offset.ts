import { EVENT_ID, SCALAR_STYLE } from "./js-yaml.js";
import type { Event, ScalarEvent } from "./js-yaml.js";

// The header of a block scalar: `|` or `>`, optional indentation and chomping indicators, and an
// optional comment. Matched leftmost on the header line, so a `|` inside the comment is not taken.
const BLOCK_HEADER = /(?:^|[ \t])([|>][0-9+-]*)[ \t]*(?:#.*)?$/;

/**
 * Where a node's text begins in `source`: its tag, its `&anchor`, or its content, whichever comes
 * first. Quoted scalars begin at the quote, block scalars at their `|` or `>`, an alias at its `*`.
 * Returns -1 for events without text (an empty value, a POP).
 */
export function eventOffset(event: Event, source: string): number {
  switch (event.type) {
    case EVENT_ID.SCALAR:
      return earliest(event.tagStart, event.anchorStart, scalarContentStart(event, source));
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

function scalarContentStart(event: ScalarEvent, source: string): number {
  return scalarStart({ start: event.valueStart, style: event.style, source });
}

/** Where a scalar's text begins (its quote, its `|` or `>`, or its first character) from where its value begins. */
export function scalarStart(params: { start: number; style: number; source: string }): number {
  const { start, source } = params;
  if (start === -1) return -1;
  switch (params.style) {
    case SCALAR_STYLE.SINGLE_QUOTED:
    case SCALAR_STYLE.DOUBLE_QUOTED:
      // The range excludes the opening quote.
      return start - 1;
    case SCALAR_STYLE.LITERAL_BLOCK:
    case SCALAR_STYLE.FOLDED_BLOCK:
      return blockHeaderStart(start, source);
    default:
      return start;
  }
}

// A block scalar's range starts on the line after its header; the header line is the one before.
function blockHeaderStart(contentStart: number, source: string): number {
  let lineEnd = contentStart;
  if (source.charCodeAt(lineEnd - 1) === 10) lineEnd--;
  if (source.charCodeAt(lineEnd - 1) === 13) lineEnd--;
  let lineStart = lineEnd;
  while (lineStart > 0) {
    const ch = source.charCodeAt(lineStart - 1);
    if (ch === 10 || ch === 13) break;
    lineStart--;
  }
  const match = BLOCK_HEADER.exec(source.slice(lineStart, lineEnd));
  if (!match?.[1]) return contentStart;
  return lineStart + match.index + match[0].indexOf(match[1]);
}

// Anchor ranges start after the `&`, so they are moved back one character to include it.
function earliest(tagStart: number, anchorStart: number, contentStart: number): number {
  let best = contentStart;
  const anchor = anchorStart === -1 ? -1 : anchorStart - 1;
  if (anchor !== -1 && (best === -1 || anchor < best)) best = anchor;
  if (tagStart !== -1 && (best === -1 || tagStart < best)) best = tagStart;
  return best;
}

/**
 * Where js-yaml's constructor reports an error about a node: its tag, else its anchor name (after
 * the `&` or `*`), else its raw content (inside the quotes). Used to match its errors to events.
 */
export function jsYamlEventPosition(event: Event): number {
  if ("tagStart" in event && event.tagStart !== -1) return event.tagStart;
  if ("anchorStart" in event && event.anchorStart !== -1) return event.anchorStart;
  if ("valueStart" in event && event.valueStart !== -1) return event.valueStart;
  return "start" in event ? event.start : -1;
}
