import { getScalarValue, SCALAR_STYLE } from "./js-yaml.js";
import type { ScalarEvent } from "./js-yaml.js";
import { resolvePlainScalar } from "./resolve-plain-scalar.js";

/** Marks a document the builder left to js-yaml's constructor. */
export const NOT_BUILT: unique symbol = Symbol("not built");

// What an open collection expects next.
const ITEM = 0;
const KEY = 1;
const VALUE = 2;

/**
 * Builds the values of plain documents from the parser's events, in the same pass that scans and
 * indexes them, as js-yaml's `constructFromEvents` with {@link KUBERNETES_YAML_SCHEMA} would.
 *
 * Why: `constructFromEvents` is generic over schemas and tags (a result object per scalar, a frame
 * object per collection, tag lookups) and walks the events a second time; nearly every manifest
 * is plain mappings, sequences and scalars, for which the result is fixed by the core schema. So
 * this builds exactly those, and a document with anything else (a tag, an anchor, an alias, a
 * merge key, a key that is a collection, a duplicate key, a `__proto__` key) is marked
 * {@link NOT_BUILT} and left whole to `constructFromEvents`, which gives its value or its error.
 * Same values either way: a differential test holds the two side by side.
 */
export class PlainValueBuilder {
  /** Per document, its value or {@link NOT_BUILT}. */
  readonly values: unknown[] = [];
  /** Per open collection: the mapping, or null for a sequence (its items wait in {@link items}). */
  private readonly containers: (Record<string, unknown> | null)[] = [];
  private readonly expects: number[] = [];
  /** Per open collection: a mapping's pending key, or where a sequence's items start in {@link items}. */
  private readonly keys: (string | number)[] = [];
  /** The items of the open sequences, innermost last, each sequence's a run from its start. */
  private readonly items: unknown[] = [];
  private itemCount = 0;
  private root: unknown = undefined;
  private building = true;

  constructor(private readonly source: string) {}

  startDocument(): void {
    this.containers.length = 0;
    this.expects.length = 0;
    this.keys.length = 0;
    this.root = undefined;
    this.building = true;
    this.itemCount = 0;
  }

  endDocument(): void {
    this.values.push(this.building ? this.root : NOT_BUILT);
    this.root = undefined;
  }

  /** Something only js-yaml's constructor handles, or a document the scan gave up on. */
  leave(): void {
    this.building = false;
  }

  mapping(event: { anchorStart: number; tagStart: number }): void {
    if (!this.building) return;
    if (event.anchorStart !== -1 || event.tagStart !== -1 || this.atKey()) return this.leave();
    const mapping: Record<string, unknown> = {};
    this.add(mapping);
    this.containers.push(mapping);
    this.expects.push(KEY);
    this.keys.push("");
  }

  /**
   * A sequence is made when it closes, from its items, at its exact size: one grown by `push`
   * keeps room for 16 or more items, and a check keeps every sequence alive to its end.
   */
  sequence(event: { anchorStart: number; tagStart: number }): void {
    if (!this.building) return;
    if (event.anchorStart !== -1 || event.tagStart !== -1 || this.atKey()) return this.leave();
    this.containers.push(null);
    this.expects.push(ITEM);
    this.keys.push(this.itemCount);
  }

  scalar(event: ScalarEvent): void {
    if (!this.building) return;
    if (event.anchorStart !== -1 || event.tagStart !== -1) return this.leave();
    const text = getScalarValue(this.source, event);
    const plain = event.style === SCALAR_STYLE.PLAIN;
    const top = this.expects.length - 1;
    if (top >= 0 && this.expects[top] === KEY) {
      // `{}`-based mappings name each property `String(key)`: the plain key `0x10` is `16`.
      const key = plain ? String(resolvePlainScalar(text)) : text;
      const mapping = this.containers[top] as Record<string, unknown>;
      if (key === "__proto__" || (plain && key === "<<") || Object.hasOwn(mapping, key)) return this.leave();
      this.keys[top] = key;
      this.expects[top] = VALUE;
      return;
    }
    this.add(plain ? resolvePlainScalar(text) : text);
  }

  /** Closes the innermost collection (the document's own end is {@link endDocument}). */
  pop(): void {
    if (!this.building) return;
    // A mapping closed after a key and before its value is js-yaml's "incomplete mapping pair".
    const expect = this.expects.pop();
    if (expect === VALUE) return this.leave();
    this.containers.pop();
    const start = this.keys.pop();
    if (expect !== ITEM || typeof start !== "number") return;
    // Added to its parent now: the parent got nothing else while the sequence was open, so the
    // parent's key order is the same as if it had been added when it opened.
    const sequence = this.items.slice(start, this.itemCount);
    this.itemCount = start;
    this.add(sequence);
  }

  private atKey(): boolean {
    const top = this.expects.length - 1;
    return top >= 0 && this.expects[top] === KEY;
  }

  // A mapping is added when it opens, a sequence when it closes (see `sequence`).
  private add(value: unknown): void {
    const top = this.expects.length - 1;
    if (top < 0) {
      this.root = value;
      return;
    }
    if (this.expects[top] === ITEM) {
      this.items[this.itemCount++] = value;
      return;
    }
    (this.containers[top] as Record<string, unknown>)[this.keys[top] as string] = value;
    this.expects[top] = KEY;
  }
}
