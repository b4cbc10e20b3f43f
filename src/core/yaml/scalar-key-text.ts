import { getScalarValue, SCALAR_STYLE } from "./js-yaml.js";
import type { ScalarEvent } from "./js-yaml.js";
import { resolvePlainScalar } from "./resolve-plain-scalar.js";

/**
 * The property name js-yaml gives a mapping key: `{}`-based mappings turn every key into
 * `String(value)`, so the plain key `0x10` is property `16` and `~` is `null`.
 */
export function scalarKeyText(source: string, event: ScalarEvent): string {
  const text = getScalarValue(source, event);
  if (event.style !== SCALAR_STYLE.PLAIN || event.tagStart !== -1) return text;
  return String(resolvePlainScalar(text));
}
