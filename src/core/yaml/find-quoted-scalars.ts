import { EVENT_ID, getScalarValue, parseEvents, SCALAR_STYLE } from "./js-yaml.js";
import type { Event } from "./js-yaml.js";
import type { FieldPath } from "./types.js";

type Frame =
  | { kind: "document" }
  | { kind: "sequence"; index: number }
  | { kind: "mapping"; key: string | number | null; expectingKey: boolean }
  /** A complex mapping key (a collection used as a key): nothing inside it is a value. */
  | { kind: "key" };

/**
 * The paths of the single- or double-quoted scalar values of each document of `text` (by document
 * index) whose decoded text passes `select`. The parsed value forgets how a scalar was written;
 * template rendering needs it, because `"${{ values.port }}"` asks for a string and
 * `${{ values.port }}` for the value's own type. Scalars reached through aliases are not listed.
 * Text that does not parse gives no paths: the caller reports the syntax error from its own parse.
 */
export function findQuotedScalars(params: { text: string; select: (value: string) => boolean }): string[][] {
  let events: Event[];
  try {
    events = parseEvents(params.text, {});
  } catch {
    return [];
  }
  const found: string[][] = [];
  const stack: Frame[] = [];
  const path = (): FieldPath =>
    stack.flatMap((f) => (f.kind === "sequence" ? [f.index] : f.kind === "mapping" && f.key !== null ? [f.key] : []));
  const inKey = () => stack.some((f) => f.kind === "key");
  // Under a key that is not a plain scalar (an alias, a collection) the path is unknown: list nothing there.
  const pathKnown = () => !stack.some((f) => f.kind === "mapping" && f.key === null && !f.expectingKey);
  /** A value finished: the parent moves to its next key or item. */
  const advance = () => {
    const top = stack[stack.length - 1];
    if (top?.kind === "sequence") top.index += 1;
    else if (top?.kind === "mapping") {
      top.expectingKey = true;
      top.key = null;
    }
  };
  for (const event of events) {
    const top = stack[stack.length - 1];
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        stack.push({ kind: "document" });
        found.push([]);
        break;
      case EVENT_ID.SEQUENCE:
      case EVENT_ID.MAPPING: {
        const asKey = (top?.kind === "mapping" && top.expectingKey) || inKey();
        if (top?.kind === "mapping" && top.expectingKey) top.expectingKey = false;
        stack.push(
          asKey
            ? { kind: "key" }
            : event.type === EVENT_ID.SEQUENCE
              ? { kind: "sequence", index: 0 }
              : { kind: "mapping", key: null, expectingKey: true },
        );
        break;
      }
      case EVENT_ID.SCALAR:
      case EVENT_ID.ALIAS: {
        if (inKey()) break;
        if (top?.kind === "mapping" && top.expectingKey) {
          top.key = event.type === EVENT_ID.SCALAR ? getScalarValue(params.text, event) : null;
          top.expectingKey = false;
          break;
        }
        if (event.type === EVENT_ID.SCALAR && (event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED)) {
          const value = getScalarValue(params.text, event);
          if (pathKnown() && params.select(value)) found[found.length - 1]?.push(JSON.stringify(path()));
        }
        advance();
        break;
      }
      case EVENT_ID.POP: {
        const closed = stack.pop();
        if (closed?.kind === "key") {
          const parent = stack[stack.length - 1];
          if (parent?.kind === "mapping") parent.key = null;
          break;
        }
        if (closed?.kind !== "document") advance();
        break;
      }
    }
  }
  return found;
}
