import { describe, expect, it } from "vitest";
import { createLineIndex } from "../../../src/core/yaml/create-line-index.js";

describe("createLineIndex", () => {
  it.each([
    ["LF", "ab\ncd\n\nef"],
    ["CRLF", "ab\r\ncd\r\n\r\nef"],
    ["lone CR", "ab\rcd\r\ref"],
  ])("maps offsets to 1-based lines and columns with %s line breaks", (_name, text) => {
    const index = createLineIndex(text);
    expect(index.positionAt(0)).toEqual({ line: 1, column: 1 });
    expect(index.positionAt(1)).toEqual({ line: 1, column: 2 });
    expect(index.positionAt(text.indexOf("c"))).toEqual({ line: 2, column: 1 });
    expect(index.positionAt(text.indexOf("d"))).toEqual({ line: 2, column: 2 });
    expect(index.positionAt(text.indexOf("e"))).toEqual({ line: 4, column: 1 });
  });

  it("clamps offsets outside the text", () => {
    const index = createLineIndex("a\nb");
    expect(index.positionAt(-5)).toEqual({ line: 1, column: 1 });
    expect(index.positionAt(99)).toEqual({ line: 2, column: 2 });
  });

  it("handles an empty text", () => {
    expect(createLineIndex("").positionAt(0)).toEqual({ line: 1, column: 1 });
  });
});
