import { EVENT_ID } from "./js-yaml.js";
import type { Event } from "./js-yaml.js";
import { EventIndex } from "./event-index.js";
import { eventOffset } from "./event-offset.js";
import { AliasCounter } from "./alias-counter.js";
import { PlainValueBuilder } from "./plain-value-builder.js";
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
  /** Per document, its value, or `NOT_BUILT` where js-yaml's constructor must build it (see {@link PlainValueBuilder}). */
  values: unknown[];
}

/**
 * One pass over the parser's events that splits documents, enforces the limits js-yaml does not
 * enforce the way we need (collection depth, and aliases counted as they would expand, see
 * {@link AliasCounter}), builds the values of plain documents and packs the events into an
 * {@link EventIndex}, so the events themselves can be dropped once the values are built.
 */
export function scanYamlEvents(params: { events: readonly Event[]; source: string; limits: YamlLimits }): EventScan {
  const { events, source, limits } = params;
  const documents: DocumentSpan[] = [];
  const violations: ScanViolation[] = [];
  const aliases = new AliasCounter();
  const packed = new EventIndex(events.length, source);
  const builder = new PlainValueBuilder(source);
  let depth = 0;
  let documentStart = 0;
  let broken = false;
  const violate = (code: ScanViolation["code"], event: Event, anchor?: string): void => {
    violations.push({ code, documentIndex: documents.length, offset: eventOffset(event, source), ...(anchor ? { anchor } : {}) });
    broken = true;
    builder.leave();
  };
  const anchorOf = (event: { anchorStart: number; anchorEnd: number }) =>
    event.anchorStart === -1 ? null : source.slice(event.anchorStart, event.anchorEnd);

  for (let index = 0; index < events.length; index++) {
    const event = events[index] as Event;
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        packed.addDocument();
        if (documents.length === limits.maxDocuments)
          return { documents, violations, index: packed, values: builder.values, tooManyDocumentsAt: index };
        documentStart = index;
        depth = 0;
        broken = false;
        aliases.startDocument();
        builder.startDocument();
        break;
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE:
        packed.addCollection(event);
        depth++;
        if (broken) break;
        if (depth > limits.maxDepth) {
          violate("yaml.too-deep", event);
          break;
        }
        if (event.type === EVENT_ID.MAPPING) builder.mapping(event);
        else builder.sequence(event);
        aliases.openCollection(anchorOf(event));
        break;
      case EVENT_ID.SCALAR:
        packed.addScalar(event);
        if (!broken && event.anchorStart !== -1) aliases.anchoredScalar(source.slice(event.anchorStart, event.anchorEnd));
        builder.scalar(event);
        break;
      case EVENT_ID.ALIAS: {
        packed.addAlias(event);
        builder.leave();
        if (broken) break;
        const anchor = source.slice(event.anchorStart, event.anchorEnd);
        if (!aliases.alias(anchor)) violate("yaml.recursive-alias", event, anchor);
        else if (aliases.count > limits.maxAliases) violate("yaml.too-many-aliases", event, anchor);
        break;
      }
      case EVENT_ID.POP:
        packed.addPop();
        if (depth === 0) {
          documents.push({ startEvent: documentStart, endEvent: index + 1 });
          builder.endDocument();
          break;
        }
        depth--;
        if (broken) break;
        builder.pop();
        aliases.closeCollection();
        break;
    }
  }
  return { documents, violations, index: packed, values: builder.values };
}
