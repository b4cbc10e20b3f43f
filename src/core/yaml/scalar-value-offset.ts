import type { ScalarEvent } from "./js-yaml.js";

const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);

/**
 * Maps an offset inside a scalar's value (the string js-yaml built) back to an offset in the
 * source text, so a finding about the 40th character of a PromQL expression in a block scalar
 * lands on its own line and column.
 *
 * Every style keeps each source line's text, minus indentation and folding, in order: the lines
 * are matched against the value one after another (linear in the scalar's length). Where an
 * escape sequence (`\n` in double quotes, `''` in single quotes) breaks the match, the offset maps
 * to the last place that matched, never to a wrong line. Returns the scalar's start when nothing
 * matched.
 */
export function scalarValueOffset(params: { source: string; scalar: ScalarEvent; value: string; offset: number }): number {
  const { source, scalar, value } = params;
  const target = Math.min(Math.max(params.offset, 0), value.length);
  let cursor = 0;
  let lineStart = scalar.valueStart;
  let lastMapped = scalar.valueStart;
  while (lineStart < scalar.valueEnd) {
    let lineEnd = source.indexOf("\n", lineStart);
    if (lineEnd === -1 || lineEnd > scalar.valueEnd) lineEnd = scalar.valueEnd;
    let start = lineStart;
    while (start < lineEnd && (source[start] === " " || source[start] === "\t")) start++;
    let end = lineEnd;
    while (end > start && WHITESPACE.has(source[end - 1] ?? "")) end--;
    if (end > start) {
      let at = cursor;
      while (at < value.length && WHITESPACE.has(value[at] ?? "")) at++;
      // Folding turns line breaks into spaces and drops indentation: only whitespace differs.
      if (target < at) return start;
      const length = end - start;
      const matched = commonPrefix({ source, start, end, value, at });
      if (target < at + matched) return start + (target - at);
      // An escape sequence breaks the match: the break is the last place known to be right.
      if (matched < length) return start + matched;
      cursor = at + length;
      lastMapped = end;
    }
    lineStart = lineEnd + 1;
  }
  return lastMapped;
}

function commonPrefix(params: { source: string; start: number; end: number; value: string; at: number }): number {
  const { source, start, end, value, at } = params;
  let length = 0;
  while (start + length < end && source.charCodeAt(start + length) === value.charCodeAt(at + length)) length++;
  return length;
}
