import type { SourcePosition } from "./types.js";

/** Maps string offsets to 1-based line and column. */
export interface LineIndex {
  positionAt(offset: number): SourcePosition;
}

/**
 * Precomputes where each line starts, so each lookup is a binary search instead of a scan.
 * Line breaks are LF, CRLF and a lone CR, as js-yaml counts them; columns count UTF-16 code units.
 */
export function createLineIndex(text: string): LineIndex {
  const starts = lineStarts(text);
  return {
    positionAt(offset: number): SourcePosition {
      const target = Math.min(Math.max(offset, 0), text.length);
      let low = 0;
      let high = starts.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >>> 1;
        if ((starts[middle] ?? 0) <= target) low = middle;
        else high = middle - 1;
      }
      return { line: low + 1, column: target - (starts[low] ?? 0) + 1 };
    },
  };
}

function lineStarts(text: string): number[] {
  const starts = [0];
  if (!text.includes("\r")) {
    // Fast path for the usual LF-only file: indexOf runs natively.
    for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) starts.push(at + 1);
    return starts;
  }
  for (let index = 0; index < text.length; index++) {
    const ch = text.charCodeAt(index);
    if (ch === 10) starts.push(index + 1);
    else if (ch === 13) {
      if (text.charCodeAt(index + 1) === 10) index++;
      starts.push(index + 1);
    }
  }
  return starts;
}
