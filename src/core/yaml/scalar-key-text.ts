import { boolCoreTag, floatCoreTag, getScalarValue, intCoreTag, NOT_RESOLVED, nullCoreTag, SCALAR_STYLE } from "./js-yaml.js";
import type { ScalarEvent } from "./js-yaml.js";

const NON_STRING_TAGS = [nullCoreTag, boolCoreTag, intCoreTag, floatCoreTag];
// First characters of every plain scalar the core schema resolves to something other than a string.
const NON_STRING_FIRST_CHARS = new Set("0123456789+-.~nNtTfF");

/**
 * The property name js-yaml gives a mapping key: `{}`-based mappings turn every key into
 * `String(value)`, so the plain key `0x10` is property `16` and `~` is `null`.
 */
export function scalarKeyText(source: string, event: ScalarEvent): string {
  const text = getScalarValue(source, event);
  if (event.style !== SCALAR_STYLE.PLAIN || event.tagStart !== -1) return text;
  if (text !== "" && !NON_STRING_FIRST_CHARS.has(text.charAt(0))) return text;
  for (const tag of NON_STRING_TAGS) {
    const value = tag.resolve(text, false, tag.tagName);
    if (value !== NOT_RESOLVED) return String(value);
  }
  return text;
}
