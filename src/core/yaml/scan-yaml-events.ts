import { EVENT_ID } from "./js-yaml.js";
import type { Event } from "./js-yaml.js";
import { EventIndex } from "./event-index.js";
import { eventOffset } from "./event-offset.js";
import type { YamlLimits } from "./types.js";

/** The events of one document: `events[startEvent]` is its DOCUMENT event, `endEvent` is exclusive. */
export interface DocumentSpan {
  startEvent: number;
  endEvent: number;
}

/** A limit broken by one document, found before any value is built. */
export interface ScanViolation {
  code: "yaml.too-deep" | "yaml.too-many-aliases" | "yaml.recursive-alias";
  documentIndex: number;
  /** Offset of the node that crossed the limit. */
  offset: number;
  /** Anchor name, for alias violations. */
  anchor?: string;
}

export interface EventScan {
  documents: DocumentSpan[];
  violations: ScanViolation[];
  /** Set when the file holds more documents than allowed: the index of the first one too many. */
  tooManyDocumentsAt?: number;
  /** The events packed for position lookups; complete unless the scan stopped at too many documents. */
  index: EventIndex;
}

const OPEN = -1;

/**
 * One pass over the parser's events that splits documents, enforces the limits js-yaml does not
 * enforce the way we need (collection depth, and aliases counted as they would expand) and packs
 * the events into an {@link EventIndex}, so the events themselves can be dropped once the values
 * are built.
 *
 * Why expanded aliases: js-yaml builds an alias by reference, so "billion laughs" costs nothing to
 * load, but every consumer that walks the value (policy patterns, JSON output) pays for the full
 * expansion. Each alias therefore counts once plus once for every alias inside its target, and an
 * alias to a node that is still open (a cycle) is refused outright.
 */
export function scanYamlEvents(params: { events: readonly Event[]; source: string; limits: YamlLimits }): EventScan {
  const { events, source, limits } = params;
  const documents: DocumentSpan[] = [];
  const violations: ScanViolation[] = [];
  // Per open collection: its event index and the alias count when it opened.
  const openEvents: number[] = [];
  const openAliasCounts: number[] = [];
  let depth = 0;
  let documentStart = 0;
  let aliasCount = 0;
  let anchors: Map<string, number> | null = null;
  let broken = false;
  const packed = new EventIndex(events.length);

  for (let index = 0; index < events.length; index++) {
    const event = events[index] as Event;
    packed.add(event, source);
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        if (documents.length === limits.maxDocuments) return { documents, violations, tooManyDocumentsAt: index, index: packed };
        documentStart = index;
        depth = 0;
        // A document abandoned on a violation leaves its open collections behind.
        openEvents.length = 0;
        openAliasCounts.length = 0;
        aliasCount = 0;
        anchors = null;
        broken = false;
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE:
        depth++;
        if (broken) break;
        if (depth > limits.maxDepth) {
          violations.push({ code: "yaml.too-deep", documentIndex: documents.length, offset: eventOffset(event, source) });
          broken = true;
          break;
        }
        openEvents.push(index);
        openAliasCounts.push(aliasCount);
        if (event.anchorStart !== -1) (anchors ??= new Map()).set(source.slice(event.anchorStart, event.anchorEnd), OPEN);
        break;
      case EVENT_ID.SCALAR:
        if (!broken && event.anchorStart !== -1) (anchors ??= new Map()).set(source.slice(event.anchorStart, event.anchorEnd), 0);
        break;
      case EVENT_ID.ALIAS: {
        if (broken) break;
        const anchor = source.slice(event.anchorStart, event.anchorEnd);
        const inner = anchors?.get(anchor);
        if (inner === OPEN) {
          violations.push({ code: "yaml.recursive-alias", documentIndex: documents.length, offset: eventOffset(event, source), anchor });
          broken = true;
          break;
        }
        // An unknown anchor is left to js-yaml, which reports it with its own message.
        aliasCount += 1 + (inner ?? 0);
        if (aliasCount > limits.maxAliases) {
          violations.push({ code: "yaml.too-many-aliases", documentIndex: documents.length, offset: eventOffset(event, source), anchor });
          broken = true;
        }
        break;
      }
      case EVENT_ID.POP:
        if (depth === 0) {
          documents.push({ startEvent: documentStart, endEvent: index + 1 });
          break;
        }
        depth--;
        if (broken) break;
        {
          const opened = events[openEvents.pop() as number] as Event & { anchorStart: number; anchorEnd: number };
          const countAtOpen = openAliasCounts.pop() as number;
          if (opened.anchorStart !== -1) {
            (anchors ??= new Map()).set(source.slice(opened.anchorStart, opened.anchorEnd), aliasCount - countAtOpen);
          }
        }
        break;
    }
  }
  return { documents, violations, index: packed };
}
