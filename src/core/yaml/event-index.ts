import { EVENT_ID } from "./js-yaml.js";
import type { ChompingMode, Event, ScalarEvent, ScalarStyle } from "./js-yaml.js";
import { eventOffset } from "./event-offset.js";

// Int32 fields per event. Kept flat in one typed array because a file's event objects, kept alive
// for later position lookups, cost the garbage collector far more than parsing them did.
const STRIDE = 5;
const INFO = 0;
const OFFSET = 1;
const END = 2;
const VALUE_START = 3;
const VALUE_END = 4;

// INFO bits: event type, then scalar style, chomping, `fast` and whether the scalar has a tag.
const TYPE_MASK = 0b111;
const STYLE_SHIFT = 3;
const STYLE_MASK = 0b111;
const CHOMPING_SHIFT = 6;
const CHOMPING_MASK = 0b11;
const FAST_BIT = 1 << 8;
const TAGGED_BIT = 1 << 9;

/**
 * What position lookups need from a file's parser events, packed flat: per event its type, the
 * offset to report for it ({@link eventOffset}), the index just after its subtree (so siblings are
 * skipped without walking their children) and, for scalars, enough to read a mapping key's text.
 */
export class EventIndex {
  private readonly data: Int32Array;
  /** Block scalars' indentation, the one scalar field that does not fit the packed layout. */
  private indents: Map<number, number> | undefined;
  /** Open collections and documents while events are added, to fill in their subtree ends. */
  private readonly open: number[] = [];
  private count = 0;

  constructor(events: number) {
    this.data = new Int32Array(events * STRIDE);
  }

  /** Records the next event; events must be added in order, all of them. */
  add(event: Event, source: string): void {
    const index = this.count++;
    const at = index * STRIDE;
    const data = this.data;
    switch (event.type) {
      case EVENT_ID.SCALAR: {
        data[at + INFO] =
          EVENT_ID.SCALAR |
          (event.style << STYLE_SHIFT) |
          (event.chomping << CHOMPING_SHIFT) |
          (event.fast ? FAST_BIT : 0) |
          (event.tagStart !== -1 ? TAGGED_BIT : 0);
        data[at + OFFSET] = eventOffset(event, source);
        data[at + END] = index + 1;
        data[at + VALUE_START] = event.valueStart;
        data[at + VALUE_END] = event.valueEnd;
        if (event.indent !== -1) (this.indents ??= new Map()).set(index, event.indent);
        return;
      }
      case EVENT_ID.ALIAS:
        data[at + INFO] = EVENT_ID.ALIAS;
        data[at + OFFSET] = eventOffset(event, source);
        data[at + END] = index + 1;
        return;
      case EVENT_ID.POP: {
        data[at + INFO] = EVENT_ID.POP;
        data[at + OFFSET] = -1;
        data[at + END] = index + 1;
        const opened = this.open.pop();
        if (opened !== undefined) data[opened * STRIDE + END] = index + 1;
        return;
      }
      default:
        // A document, mapping or sequence: its end is known at its POP.
        data[at + INFO] = event.type;
        data[at + OFFSET] = event.type === EVENT_ID.DOCUMENT ? -1 : eventOffset(event, source);
        this.open.push(index);
    }
  }

  type(index: number): number {
    return (this.data[index * STRIDE + INFO] as number) & TYPE_MASK;
  }

  /** Where the node's text begins (tag, anchor or content), or -1 when it has none. */
  offset(index: number): number {
    return this.data[index * STRIDE + OFFSET] as number;
  }

  /** The index just after the node's subtree: the next sibling, or its parent's POP. */
  end(index: number): number {
    return this.data[index * STRIDE + END] as number;
  }

  /** The scalar event at `index`, rebuilt for js-yaml's `getScalarValue` (anchors left out). */
  scalar(index: number): ScalarEvent {
    const at = index * STRIDE;
    const info = this.data[at + INFO] as number;
    return {
      type: EVENT_ID.SCALAR,
      valueStart: this.data[at + VALUE_START] as number,
      valueEnd: this.data[at + VALUE_END] as number,
      anchorStart: -1,
      anchorEnd: -1,
      // Only whether there is a tag matters to key text, not where.
      tagStart: info & TAGGED_BIT ? 0 : -1,
      tagEnd: info & TAGGED_BIT ? 0 : -1,
      style: ((info >> STYLE_SHIFT) & STYLE_MASK) as ScalarStyle,
      chomping: ((info >> CHOMPING_SHIFT) & CHOMPING_MASK) as ChompingMode,
      indent: this.indents?.get(index) ?? -1,
      fast: (info & FAST_BIT) !== 0,
    };
  }
}
