import { EVENT_ID, SCALAR_STYLE } from "./js-yaml.js";
import type { AliasEvent, ChompingMode, MappingEvent, ScalarEvent, ScalarStyle, SequenceEvent } from "./js-yaml.js";
import { eventOffset, scalarStart } from "./event-offset.js";
import { plainMayResolve } from "./resolve-plain-scalar.js";

// Int32 fields per event, kept flat in one typed array because a file's event objects, kept alive
// for later position lookups, cost the garbage collector far more than parsing them did. Three
// fields, because the index lives as long as the file's values: a scalar keeps where its value
// starts and ends (its offset follows from those and its style), a collection its offset and the
// index after its subtree (a scalar's subtree ends right after it).
const STRIDE = 3;
const INFO = 0;
/** Scalar: where the value starts. Collection, alias: the offset to report. */
const A = 1;
/** Scalar: where the value ends. Collection, document: the index just after its subtree. */
const B = 2;

// INFO bits: event type, then scalar style, chomping, `fast`, whether the scalar has a tag, and
// whether its offset is kept aside (a tag or an anchor comes before its text).
const TYPE_MASK = 0b111;
const STYLE_SHIFT = 3;
const STYLE_MASK = 0b111;
const CHOMPING_SHIFT = 6;
const CHOMPING_MASK = 0b11;
const FAST_BIT = 1 << 8;
const TAGGED_BIT = 1 << 9;
const OFFSET_ASIDE_BIT = 1 << 10;
// Whether a scalar reads in place as a key ({@link EventIndex.keyIs}), worked out on first use and
// kept: a position lookup passes the same keys again and again.
const IN_PLACE_KNOWN_BIT = 1 << 11;
const IN_PLACE_BIT = 1 << 12;

/**
 * What position lookups need from a file's parser events, packed flat: per event its type, the
 * offset to report for it ({@link eventOffset}), the index just after its subtree (so siblings are
 * skipped without walking their children) and, for scalars, enough to read a mapping key's text.
 */
export class EventIndex {
  private readonly data: Int32Array;
  /** Block scalars' indentation, the one scalar field that does not fit the packed layout. */
  private indents: Map<number, number> | undefined;
  /** Offsets of scalars with a tag or an anchor, which come before the value. */
  private asideOffsets: Map<number, number> | undefined;
  /** Open collections and documents while events are added, to fill in their subtree ends. */
  private readonly open: number[] = [];
  private count = 0;

  constructor(
    events: number,
    private readonly source: string,
  ) {
    this.data = new Int32Array(events * STRIDE);
  }

  // Events are added in order, all of them, one method per kind: the caller has already switched
  // on the event's type, so each method reads one shape of event object.

  addScalar(event: ScalarEvent): void {
    const index = this.count++;
    const at = index * STRIDE;
    const aside = event.tagStart !== -1 || event.anchorStart !== -1;
    this.data[at + INFO] =
      EVENT_ID.SCALAR |
      (event.style << STYLE_SHIFT) |
      (event.chomping << CHOMPING_SHIFT) |
      (event.fast ? FAST_BIT : 0) |
      (event.tagStart !== -1 ? TAGGED_BIT : 0) |
      (aside ? OFFSET_ASIDE_BIT : 0);
    this.data[at + A] = event.valueStart;
    this.data[at + B] = event.valueEnd;
    if (event.indent !== -1) (this.indents ??= new Map()).set(index, event.indent);
    if (aside) (this.asideOffsets ??= new Map()).set(index, eventOffset(event, this.source));
  }

  addAlias(event: AliasEvent): void {
    const at = this.count++ * STRIDE;
    this.data[at + INFO] = EVENT_ID.ALIAS;
    this.data[at + A] = eventOffset(event, this.source);
  }

  /** A mapping or a sequence: its end is known at its POP. */
  addCollection(event: MappingEvent | SequenceEvent): void {
    const index = this.count++;
    this.data[index * STRIDE + INFO] = event.type;
    this.data[index * STRIDE + A] = eventOffset(event, this.source);
    this.open.push(index);
  }

  addDocument(): void {
    const index = this.count++;
    this.data[index * STRIDE + INFO] = EVENT_ID.DOCUMENT;
    this.data[index * STRIDE + A] = -1;
    this.open.push(index);
  }

  addPop(): void {
    const index = this.count++;
    this.data[index * STRIDE + INFO] = EVENT_ID.POP;
    const opened = this.open.pop();
    if (opened !== undefined) this.data[opened * STRIDE + B] = index + 1;
  }

  type(index: number): number {
    return (this.data[index * STRIDE + INFO] as number) & TYPE_MASK;
  }

  /** Where the node's text begins (tag, anchor or content), or -1 when it has none. */
  offset(index: number): number {
    const at = index * STRIDE;
    const info = this.data[at + INFO] as number;
    switch (info & TYPE_MASK) {
      case EVENT_ID.SCALAR:
        if (info & OFFSET_ASIDE_BIT) return this.asideOffsets?.get(index) ?? -1;
        return scalarStart({ start: this.data[at + A] as number, style: (info >> STYLE_SHIFT) & STYLE_MASK, source: this.source });
      case EVENT_ID.POP:
        return -1;
      default:
        return this.data[at + A] as number;
    }
  }

  /** The index just after the node's subtree: the next sibling, or its parent's POP. */
  end(index: number): number {
    const type = this.type(index);
    return type === EVENT_ID.SCALAR || type === EVENT_ID.ALIAS || type === EVENT_ID.POP
      ? index + 1
      : (this.data[index * STRIDE + B] as number);
  }

  /**
   * Whether the scalar at `index`, as a mapping key, is `key`, read in the text without building
   * it: true or false when its text is its value (no escape, fold or tag, and a plain one that
   * cannot resolve to a number, boolean or null), undefined when only {@link scalarKeyText} can tell.
   * Findings are positioned by walking keys, so this runs for every key passed on the way.
   */
  keyIs(index: number, key: string): boolean | undefined {
    if (!this.readsInPlace(index)) return undefined;
    const start = this.data[index * STRIDE + A] as number;
    const end = this.data[index * STRIDE + B] as number;
    if (end - start !== key.length) return false;
    // Compared in place character by character: keys are short, and most differ in their first.
    const source = this.source;
    for (let at = 0; at < key.length; at++) if (source.charCodeAt(start + at) !== key.charCodeAt(at)) return false;
    return true;
  }

  /** The scalar's text as a mapping key when {@link keyIs} can read it in place, else undefined. */
  keyText(index: number): string | undefined {
    if (!this.readsInPlace(index)) return undefined;
    return this.source.slice(this.data[index * STRIDE + A], this.data[index * STRIDE + B]);
  }

  /** Whether the scalar's text is its value as a key: no escape, fold or tag, and a plain one that cannot resolve to a number, boolean or null. */
  private readsInPlace(index: number): boolean {
    const at = index * STRIDE;
    const info = this.data[at + INFO] as number;
    if ((info & IN_PLACE_KNOWN_BIT) !== 0) return (info & IN_PLACE_BIT) !== 0;
    const inPlace = this.readsInPlaceAt(at, info);
    this.data[at + INFO] = info | IN_PLACE_KNOWN_BIT | (inPlace ? IN_PLACE_BIT : 0);
    return inPlace;
  }

  private readsInPlaceAt(at: number, info: number): boolean {
    if ((info & FAST_BIT) === 0 || (info & TAGGED_BIT) !== 0) return false;
    const start = this.data[at + A] as number;
    if (start === -1) return false;
    const style = (info >> STYLE_SHIFT) & STYLE_MASK;
    return style !== SCALAR_STYLE.PLAIN || !plainMayResolve(this.source, start, this.data[at + B] as number);
  }

  /** The scalar event at `index`, rebuilt for js-yaml's `getScalarValue` (anchors left out). */
  scalar(index: number): ScalarEvent {
    const at = index * STRIDE;
    const info = this.data[at + INFO] as number;
    return {
      type: EVENT_ID.SCALAR,
      valueStart: this.data[at + A] as number,
      valueEnd: this.data[at + B] as number,
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
