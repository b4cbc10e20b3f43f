import { describe, expect, it } from "vitest";
import { resolveYamlLimits } from "../../../src/core/yaml/default-yaml-limits.js";
import { EVENT_ID, parseEvents } from "../../../src/core/yaml/js-yaml.js";
import { findSequenceItem } from "../../../src/core/yaml/locate-path.js";
import { parseYamlDocuments } from "../../../src/core/yaml/parse-yaml-documents.js";
import { scalarKeyText } from "../../../src/core/yaml/scalar-key-text.js";
import { scanYamlEvents } from "../../../src/core/yaml/scan-yaml-events.js";

// Position lookups read keys in place (EventIndex.keyIs, with whether a key can be read so kept
// after its first use) and step over a sequence's first items instead of reading its item table.
// Each shortcut must answer as the slow path does: the key's text as js-yaml makes it, and the
// item found by counting.

const KEYS = [
  "plain",
  "name",
  "nulls",
  "null",
  "Null",
  "true",
  "TRUE",
  "false",
  "fals",
  "tru",
  "~",
  "1",
  "0x1F",
  "-1",
  ".5",
  "+x",
  "'quoted'",
  "'it''s'",
  '"double"',
  '"esc\\tkey"',
  '"\\u00e9t\\u00e9"',
  "été",
  "😀key",
  "!!str 12",
  "!!str true",
  "&anchor anchored",
  "&a2 !!str tagged",
  "'<<'",
  "a b",
  "k".repeat(400),
  "x".repeat(39) + "y",
  "? 'multi\n  line'\n",
  '""',
  "''",
];

function eventIndexOf(source: string) {
  const events = parseEvents(source, { maxDepth: 1000 });
  return scanYamlEvents({ events, source, limits: resolveYamlLimits(undefined) }).index;
}

describe("reading a mapping key in place", () => {
  const source = `${KEYS.map((key, at) => `${key}: ${at}`).join("\n")}\nflow: {${KEYS.slice(0, 20).join(": 1, ")}: 1}\n`;
  const index = eventIndexOf(source);
  const scalars: number[] = [];
  for (let at = 0; index.type(at) !== EVENT_ID.POP || at < 3; at++) if (index.type(at) === EVENT_ID.SCALAR) scalars.push(at);
  const texts = scalars.map((at) => scalarKeyText(source, index.scalar(at)));
  // Every key's own text, and texts that differ from it in length, first character, last character, or case.
  const candidates = [...new Set(texts.flatMap((text) => [text, `${text}x`, text.slice(1), `z${text.slice(1)}`, text.toUpperCase(), ""]))];

  it("says true only for the key's own text, false only for another, as the text js-yaml builds tells", () => {
    expect(scalars.length).toBeGreaterThan(KEYS.length * 2);
    // Twice: the first round works out which keys read in place, the second reads what it kept.
    for (let round = 0; round < 2; round++) {
      scalars.forEach((at, which) => {
        for (const candidate of candidates) {
          const said = index.keyIs(at, candidate);
          if (said !== undefined)
            expect(said, `${JSON.stringify(texts[which])} is ${JSON.stringify(candidate)}`).toBe(texts[which] === candidate);
        }
        const text = index.keyText(at);
        if (text !== undefined) expect(text).toBe(texts[which]);
      });
    }
  });

  it("reads plain keys that cannot resolve in place, and leaves escapes, tags and resolving words to the slow path", () => {
    const said = (written: string) => index.keyIs(scalars[KEYS.indexOf(written) * 2] as number, texts[KEYS.indexOf(written) * 2] as string);
    for (const key of ["plain", "name", "nulls", "tru", "'quoted'", '"double"', "été", "😀key", "k".repeat(400)])
      expect(said(key), key).toBe(true);
    for (const key of ["null", "true", "~", "1", "0x1F", '"esc\\tkey"', "!!str 12", "'it''s'"]) expect(said(key), key).toBeUndefined();
  });
});

describe("finding a sequence item", () => {
  // Items of every kind, each starting on a line of its own: scalars, flow and block collections,
  // aliases, empty items.
  const kinds = [
    (at: number) => `plain-${at}`,
    (at: number) => `{a: ${at}, b: [1, 2]}`,
    (at: number) => `[x${at}, [y]]`,
    () => "*base",
    () => "",
    (at: number) => `'q${at}'`,
    (at: number) => `!!str ${at}`,
    (at: number) => `&n${at} {c: 1}`,
    (at: number) => `|\n    block ${at}`,
  ];
  const items = Array.from({ length: 40 }, (_, at) => `  - ${(kinds[at % kinds.length] as (at: number) => string)(at)}`);
  const text = `base: &base {z: 1}\nitems:\n${items.join("\n")}\n`;
  // An item's line: the lines before it, plus one.
  const lineOf = (at: number) => 3 + items.slice(0, at).reduce((count, item) => count + item.split("\n").length, 0);
  const index = eventIndexOf(text);

  it("gives the item counted from the sequence's start, for every index in and past it, as text or number", () => {
    let sequence = 0;
    while (index.type(sequence) !== EVENT_ID.SEQUENCE) sequence++;
    const counted: number[] = [];
    for (let at = sequence + 1; index.type(at) !== EVENT_ID.POP; at = index.end(at)) counted.push(at);
    expect(counted.length).toBe(40);
    for (let wanted = 0; wanted < 45; wanted++) {
      const expected = counted[wanted] ?? -1;
      expect(findSequenceItem({ index, sequence, segment: wanted }), String(wanted)).toBe(expected);
      expect(findSequenceItem({ index, sequence, segment: String(wanted) }), `"${wanted}"`).toBe(expected);
    }
    for (const segment of [-1, 1.5, Number.NaN, "01x", "", " 1"]) expect(findSequenceItem({ index, sequence, segment })).toBe(-1);
  });

  it("positions every item on its line, through the first ones stepped over and the later ones read from the table", () => {
    const [document] = parseYamlDocuments({ file: "items.yaml", text }).documents;
    for (let at = 0; at < 40; at++) {
      // An empty item has no text of its own: its sequence's key is shown.
      const line = at % kinds.length === 4 ? 2 : lineOf(at);
      expect(document?.positionOf(["items", at]).line, String(at)).toBe(line);
    }
    expect(document?.positionOf(["items", 40])).toEqual({ line: 2, column: 1 });
  });
});
