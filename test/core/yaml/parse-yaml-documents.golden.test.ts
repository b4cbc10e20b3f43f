import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadAll } from "js-yaml";
import { describe, expect, it } from "vitest";
import { KUBERNETES_YAML_SCHEMA } from "../../../src/core/yaml/kubernetes-yaml-schema.js";
import { parseYamlDocuments } from "../../../src/core/yaml/parse-yaml-documents.js";
import type { FieldPath, SourcePosition } from "../../../src/core/yaml/types.js";

// Each case is test/fixtures/yaml/<case>/{input.yaml,expected.json}. Every expected position also
// names the text found there, so a wrong expectation cannot hide behind a matching wrong result.
interface ExpectedPosition extends SourcePosition {
  path: FieldPath;
  text: string;
}
interface Expected {
  documents: { index: number; value?: unknown; start: SourcePosition & { text: string }; positions: ExpectedPosition[] }[];
  problems: unknown[];
}

const root = join(import.meta.dirname, "../../fixtures/yaml");
const cases = readdirSync(root, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

function textAt(source: string, position: SourcePosition, length: number): string {
  const line = source.split(/\r\n|\r|\n/)[position.line - 1] ?? "";
  return line.slice(position.column - 1, position.column - 1 + length);
}

describe.each(cases)("golden YAML case %s", (name) => {
  const input = readFileSync(join(root, name, "input.yaml"), "utf8");
  const expected = JSON.parse(readFileSync(join(root, name, "expected.json"), "utf8")) as Expected;

  it("expects positions that really point at the named text", () => {
    for (const document of expected.documents) {
      expect(textAt(input, document.start, document.start.text.length)).toBe(document.start.text);
      for (const position of document.positions) {
        expect(textAt(input, position, position.text.length), JSON.stringify(position.path)).toBe(position.text);
      }
    }
  });

  it.each([
    ["LF", (text: string) => text],
    ["CRLF", (text: string) => text.replace(/\n/g, "\r\n")],
    ["BOM", (text: string) => `\uFEFF${text}`],
  ])("finds every position with %s input", (_label, transform) => {
    const parsed = parseYamlDocuments({ file: `${name}.yaml`, text: transform(input) });
    expect(parsed.problems).toEqual(expected.problems);
    expect(parsed.documents.map((document) => document.index)).toEqual(expected.documents.map((document) => document.index));
    parsed.documents.forEach((document, order) => {
      const want = expected.documents[order];
      if (!want) throw new Error("missing expectation");
      expect(document.start).toEqual({ line: want.start.line, column: want.start.column });
      for (const position of want.positions) {
        expect(document.positionOf(position.path), JSON.stringify(position.path)).toEqual({ line: position.line, column: position.column });
      }
    });
  });

  it("gives the same values as js-yaml loadAll", () => {
    const parsed = parseYamlDocuments({ file: `${name}.yaml`, text: input });
    expect(parsed.documents.map((document) => document.value)).toEqual(loadAll(input, { schema: KUBERNETES_YAML_SCHEMA }));
    for (const document of expected.documents) {
      if ("value" in document) expect(parsed.documents.find((found) => found.index === document.index)?.value).toEqual(document.value);
    }
  });
});
