import { describe, expect, it } from "vitest";
import { parseYamlDocuments } from "../../../src/core/yaml/parse-yaml-documents.js";

function locate(text: string, path: (string | number)[], needle: string) {
  const [document] = parseYamlDocuments({ file: "f.yaml", text }).documents;
  if (!document) throw new Error("no document");
  let value: unknown = document.value;
  for (const segment of path) value = (value as Record<string, unknown>)[segment];
  const offset = String(value).indexOf(needle);
  const position = document.positionInValue(path, offset);
  const line = text.split("\n")[position.line - 1] ?? "";
  return { ...position, at: line.slice(position.column - 1, position.column - 1 + needle.length) };
}

describe("positionInValue: a character inside a scalar maps to its own line and column", () => {
  it.each([
    ["literal block", "rule:\n  expr: |\n    sum(rate(x[5m]))\n      > bad\n", ["rule", "expr"], "bad", 4, 9],
    ["folded block", "rule:\n  expr: >-\n    sum(x)\n    > bad\n", ["rule", "expr"], "bad", 4, 7],
    ["plain multi-line", "rule:\n  expr: sum(x)\n    > bad\n", ["rule", "expr"], "bad", 3, 7],
    ["single line plain", "expr: up == bad\n", ["expr"], "bad", 1, 13],
    ["double quoted", 'expr: "up == bad"\n', ["expr"], "bad", 1, 14],
    ["in a sequence", "rules:\n  - expr: |\n      a\n      b + bad\n", ["rules", 0, "expr"], "bad", 4, 11],
  ])("%s", (_name, text, path, needle, line, column) => {
    const found = locate(text, path, needle);
    expect(found).toMatchObject({ line, column, at: needle });
  });

  it("an escape sequence stops the mapping at the escape, never on a wrong line", () => {
    const text = 'expr: "a\\tb + bad"\n';
    const found = locate(text, ["expr"], "bad");
    expect(found.line).toBe(1);
    expect(found.column).toBe(9);
  });

  it("a value that is not a scalar written at the path falls back to the key", () => {
    const text = "base: &b |\n  x\nuse: *b\n";
    const [document] = parseYamlDocuments({ file: "f.yaml", text }).documents;
    expect(document?.positionInValue(["use"], 0)).toEqual({ line: 3, column: 1 });
  });
});
