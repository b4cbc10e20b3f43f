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
  private readonly containers: (Record<string, unknown> | unknown[])[] = [];
  private readonly expects: number[] = [];
  private readonly keys: string[] = [];
  private root: unknown = undefined;
  private building = true;

  constructor(private readonly source: string) {}

  startDocument(): void {
    this.containers.length = 0;
    this.expects.length = 0;
    this.keys.length = 0;
    this.root = undefined;
    this.building = true;
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

  sequence(event: { anchorStart: number; tagStart: number }): void {
    if (!this.building) return;
    if (event.anchorStart !== -1 || event.tagStart !== -1 || this.atKey()) return this.leave();
    const sequence: unknown[] = [];
    this.add(sequence);
    this.containers.push(sequence);
    this.expects.push(ITEM);
    this.keys.push("");
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
    if (this.expects[this.expects.length - 1] === VALUE) return this.leave();
    this.containers.pop();
    this.expects.pop();
    this.keys.pop();
  }

  private atKey(): boolean {
    const top = this.expects.length - 1;
    return top >= 0 && this.expects[top] === KEY;
  }

  // Collections are added when they open, so no value waits for its children to be built.
  private add(value: unknown): void {
    const top = this.expects.length - 1;
    if (top < 0) {
      this.root = value;
      return;
    }
    const container = this.containers[top];
    if (this.expects[top] === ITEM) {
      (container as unknown[]).push(value);
      return;
    }
    (container as Record<string, unknown>)[this.keys[top] as string] = value;
    this.expects[top] = KEY;
  }
}
