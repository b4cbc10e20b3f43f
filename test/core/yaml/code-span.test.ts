import { describe, expect, it } from "vitest";
import { codeSpan } from "../../../src/core/yaml/code-span.js";

describe("codeSpan", () => {
  it.each([
    ["plain text", "name", "`name`"],
    ["text with a backtick", "a`b", "``a`b``"],
    ["text starting with a backtick", "`x", "`` `x ``"],
    ["line breaks", "a\nb", "`a b`"],
  ])("quotes %s so it cannot escape the span", (_name, input, expected) => {
    expect(codeSpan(input)).toBe(expected);
  });

  it("caps long text", () => {
    expect(codeSpan("x".repeat(100), 10)).toBe(`\`${"x".repeat(9)}…\``);
  });
});
