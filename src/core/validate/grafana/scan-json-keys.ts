/** Offsets of interesting keys in a JSON text, found in one pass in document order. */
export interface JsonKeyOffsets {
  /** Offset of the value of every key named in `anyDepth`, by key, in document order. */
  values: Map<string, number[]>;
  /** Offset of each top-level key's value (depth 1), by key. */
  topLevel: Map<string, number>;
}

/**
 * Scans JSON text for keys, skipping string contents (escapes included), without building a
 * tree: linear time, no recursion, so it bounds as JSON.parse does. Used to put findings about a
 * value (`expr`, `uid`) at its line in the text.
 */
export function scanJsonKeys(text: string, anyDepth: ReadonlySet<string>): JsonKeyOffsets {
  const values = new Map<string, number[]>();
  const topLevel = new Map<string, number>();
  let depth = 0;
  let index = 0;
  while (index < text.length) {
    const char = text.charCodeAt(index);
    if (char === 0x7b || char === 0x5b) depth++;
    else if (char === 0x7d || char === 0x5d) depth--;
    else if (char === 0x22) {
      const end = stringEnd(text, index);
      let after = end + 1;
      while (after < text.length && isSpace(text.charCodeAt(after))) after++;
      if (text.charCodeAt(after) === 0x3a) {
        // A key: its value starts after the colon and any whitespace.
        let value = after + 1;
        while (value < text.length && isSpace(text.charCodeAt(value))) value++;
        const key = text.slice(index + 1, end);
        if (anyDepth.has(key)) {
          const list = values.get(key);
          if (list) list.push(value);
          else values.set(key, [value]);
        }
        if (depth === 1 && !topLevel.has(key)) topLevel.set(key, value);
      }
      index = end + 1;
      continue;
    }
    index++;
  }
  return { values, topLevel };
}

function stringEnd(text: string, open: number): number {
  for (let index = open + 1; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (char === 0x5c) index++;
    else if (char === 0x22) return index;
  }
  return text.length;
}

function isSpace(char: number): boolean {
  return char === 0x20 || char === 0x0a || char === 0x0d || char === 0x09;
}
