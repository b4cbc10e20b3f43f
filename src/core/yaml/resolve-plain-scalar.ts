import { boolCoreTag, floatCoreTag, intCoreTag, NOT_RESOLVED, nullCoreTag } from "./js-yaml.js";

/** The implicit tags of {@link KUBERNETES_YAML_SCHEMA} that resolve to something other than a string, in its order. */
export const NON_STRING_TAGS = [nullCoreTag, boolCoreTag, intCoreTag, floatCoreTag];

// First characters of every plain scalar those tags resolve (the empty scalar is null). A test
// holds this against the schema's own `implicitFirstChars`, so a js-yaml upgrade cannot slip by.
export const NON_STRING_FIRST_CHARS = "0123456789+-.~nNtTfF";
const MAY_RESOLVE = new Uint8Array(128);
for (const char of NON_STRING_FIRST_CHARS) MAY_RESOLVE[char.charCodeAt(0)] = 1;

/** Whether a plain scalar starting with this character (or the empty one, -1) may resolve to something other than its text. */
export function mayResolve(firstChar: number): boolean {
  return firstChar === -1 || (firstChar < 128 && MAY_RESOLVE[firstChar] === 1);
}

/**
 * Whether the plain scalar `source[start, end)` may resolve to something other than its text, told
 * without building it: the only words starting with a letter that the core schema resolves are
 * {@link LETTER_WORDS}, so `name` or `template` need no resolving. Position lookups ask this for
 * every mapping key they pass.
 */
export function plainMayResolve(source: string, start: number, end: number): boolean {
  if (end <= start) return true;
  const first = source.charCodeAt(start);
  if (!mayResolve(first)) return false;
  // The letters among the first characters (n N t T f F) start only those words.
  if ((first | 0x20) < 0x61 || (first | 0x20) > 0x7a) return true;
  for (const word of LETTER_WORDS) if (word.length === end - start && source.startsWith(word, start)) return true;
  return false;
}

/** The plain scalars starting with a letter that resolve to something other than their text (null, booleans). */
export const LETTER_WORDS = ["null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE"];

/**
 * The value of an untagged plain scalar under the YAML 1.2 core schema, as js-yaml resolves it:
 * null, a boolean, an integer, a float, or else the text itself. The merge key `<<` resolves to
 * the text `<<` too; only a mapping key treats it specially.
 */
export function resolvePlainScalar(text: string): unknown {
  if (text !== "") {
    const first = text.charCodeAt(0);
    if (first >= 128 || MAY_RESOLVE[first] === 0) return text;
    if (first >= 0x30 && first <= 0x39) {
      const shortcut = resolveDigitFirst(text);
      if (shortcut !== NOT_RESOLVED) return shortcut;
    }
  }
  for (const tag of NON_STRING_TAGS) {
    const value = tag.resolve(text, false, tag.tagName);
    if (value !== NOT_RESOLVED) return value;
  }
  return text;
}

const DECIMAL = /^[0-9]{1,15}$/;

/**
 * The two answers for a plain scalar starting with a digit that need no tag (a quantity such as
 * `500m` or `128Mi`, a port such as `8080`), or NOT_RESOLVED to ask the tags. Why: manifests are
 * full of both, and each tag's pattern is tried in turn otherwise. A test holds it to the tags.
 * - Only digits, at most 15 (so exact as a double): the core schema's decimal integer, which
 *   js-yaml reads with `parseInt` (`0644` is 644).
 * - Ending in anything but a digit, a hex digit or `.`: no integer (decimal, `0o`, `0x`) or float
 *   (`1.`, `1e5`) of the core schema ends that way, so it is the text.
 */
function resolveDigitFirst(text: string): unknown {
  const last = text.charCodeAt(text.length - 1);
  if (last >= 0x30 && last <= 0x39) return DECIMAL.test(text) ? parseInt(text, 10) : NOT_RESOLVED;
  const lower = last | 0x20;
  if (last === 0x2e || (lower >= 0x61 && lower <= 0x66)) return NOT_RESOLVED;
  return text;
}
