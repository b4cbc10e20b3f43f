import { describe, expect, it } from "vitest";
import {
  codeSpan,
  escapeInline,
  escapeText,
  fencedBlock,
  keepLinesWithin,
  link,
  linkText,
  mention,
  plural,
  tableCell,
  truncate,
  utf8Length,
} from "../../../src/core/report/markdown.js";

/** The text of a single code span as CommonMark reads it: the fence, then one padding space stripped. */
function readCodeSpan(span: string): string {
  const fence = /^`+/.exec(span)?.[0] ?? "";
  expect(span.endsWith(fence)).toBe(true);
  const inner = span.slice(fence.length, span.length - fence.length);
  // No run of exactly the fence's length inside: the span cannot close early.
  expect(Array.from(inner.matchAll(/`+/g), (m) => m[0].length)).not.toContain(fence.length);
  return inner.length > 1 && inner.startsWith(" ") && inner.endsWith(" ") ? inner.slice(1, -1) : inner;
}

describe("codeSpan", () => {
  it.each([
    ["plain text", "name", "`name`"],
    ["text with a backtick", "a`b", "``a`b``"],
    ["text starting with a backtick", "`x", "`` `x ``"],
    ["line breaks", "a\nb", "`a b`"],
  ])("quotes %s so it cannot escape the span", (_name, input, expected) => {
    expect(codeSpan(input)).toBe(expected);
  });

  it.each(["`", "``", "a``b`c", "```", "x`", "` `", "a````b", "size`<img src=x>`"])(
    "keeps every backtick run inside the span: %s",
    (input) => {
      expect(readCodeSpan(codeSpan(input))).toBe(input);
    },
  );

  it("caps long text", () => {
    expect(codeSpan("x".repeat(100), 10)).toBe(`\`${"x".repeat(9)}…\``);
  });

  it("never cuts a character in half", () => {
    expect(codeSpan(`${"x".repeat(8)}😀😀`, 10)).toBe(`\`${"x".repeat(8)}…\``);
  });

  it("keeps a blank value visible", () => {
    expect(codeSpan("")).toBe("` `".replace(" ", "  "));
  });
});

describe("escapeText", () => {
  it.each([
    ["a link", "[here](https://evil.example)", "\\[here\\](https://evil.example)"],
    ["an image", "![x](y)", "\\!\\[x\\](y)"],
    ["HTML", "<img src=x onerror=alert(1)>", "\\<img src=x onerror=alert(1)\\>"],
    ["an HTML comment", "<!-- gitops-bot:status -->", "\\<\\!-- gitops-bot:status --\\>"],
    ["emphasis", "*a* _b_ ~c~", "\\*a\\* \\_b\\_ \\~c\\~"],
    ["an entity", "&lt;", "\\&lt;"],
    ["a backtick", "a`b", "a\\`b"],
    ["a pipe", "a|b", "a\\|b"],
    ["a heading", "# Title", "\\# Title"],
    ["math", "$x$", "\\$x\\$"],
    ["line breaks", "a\n- b\r\n# c", "a - b \\# c"],
  ])("neutralises %s", (_name, input, expected) => {
    expect(escapeText(input)).toBe(expected);
  });

  it.each([
    ["a user mention", "@octocat", "@\u2060octocat"],
    ["a team mention", "@acme/admins", "@\u2060acme/admins"],
    ["an issue reference", "#12", "\\#\u206012"],
  ])("breaks %s with an invisible word joiner", (_name, input, expected) => {
    expect(escapeText(input)).toBe(expected);
  });

  it("leaves an e-mail-like @ and a lone # readable", () => {
    expect(escapeText("a @ b # c")).toBe("a @ b \\# c");
  });

  it("caps very long values", () => {
    expect(escapeText("y".repeat(5_000), 100)).toHaveLength(100);
  });
});

describe("escapeInline", () => {
  it("keeps code spans and escapes what lies between them", () => {
    expect(escapeInline("`name` must be *valid* <b>")).toBe("`name` must be \\*valid\\* \\<b\\>");
  });

  it("re-fences a quoted value that holds backticks", () => {
    expect(escapeInline(`size ${codeSpan("a`b")} is unknown`)).toBe("size ``a`b`` is unknown");
    expect(escapeInline(`x ${codeSpan("`x")} y`)).toBe("x `` `x `` y");
  });

  it("reads an unclosed backtick as text", () => {
    expect(escapeInline("it`s <b>")).toBe("it\\`s \\<b\\>");
  });

  it("does not let a code span swallow the rest of the message", () => {
    const out = escapeInline("``a` then *b*");
    expect(out).toBe("\\`\\`a\\` then \\*b\\*");
  });

  it("puts the message on one line", () => {
    expect(escapeInline("a\n\n# b")).toBe("a \\# b");
  });
});

describe("tableCell", () => {
  it.each([
    ["a pipe in a code span", codeSpan("a|b"), "`a\\|b`"],
    ["a pipe in text", escapeInline("a|b"), "a\\\\|b"],
    ["a line break", "a\nb", "a b"],
  ])("keeps %s inside its cell", (_name, input, expected) => {
    expect(tableCell(input)).toBe(expected);
    expect(tableCell(input).split(/(?<!\\)\|/)).toHaveLength(1);
  });
});

describe("mention", () => {
  it.each(["octocat", "acme/platform-team", "dependabot[bot]"])("mentions a GitHub login or team: %s", (login) => {
    expect(mention(login)).toBe(`@${login}`);
  });

  it.each(["jane doe", "a`b", "@x", "<b>", ""])("quotes anything else: %s", (login) => {
    expect(mention(login)).toBe(codeSpan(login, 100));
  });
});

describe("fencedBlock", () => {
  it("fences text with a longer run than any inside", () => {
    expect(fencedBlock("diff", "+ a ```` b\n")).toBe("`````diff\n+ a ```` b\n`````");
    expect(fencedBlock("diff", "x")).toBe("```diff\nx\n```");
  });
});

describe("sizes", () => {
  it.each([
    ["ascii", "abc", 3],
    ["two-byte", "é", 2],
    ["three-byte", "€", 3],
    ["four-byte", "😀", 4],
  ])("counts UTF-8 bytes of %s text", (_name, text, bytes) => {
    expect(utf8Length(text)).toBe(bytes);
    expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
  });

  it("stops counting once past a limit", () => {
    expect(utf8Length("€".repeat(1_000), 10)).toBeGreaterThan(10);
    expect(utf8Length("a".repeat(10), 100)).toBe(10);
  });

  it("keeps whole lines within a byte budget", () => {
    expect(keepLinesWithin({ lines: ["aa", "bb", "cc"], budget: 5 })).toEqual({ kept: ["aa", "bb"], dropped: 1 });
    expect(keepLinesWithin({ lines: ["€€"], budget: 5 })).toEqual({ kept: [], dropped: 1 });
  });

  it("truncates with an ellipsis", () => {
    expect(truncate("abcdef", 4)).toBe("abc…");
    expect(truncate("abc", 4)).toBe("abc");
  });

  it("writes plurals", () => {
    expect(plural(1, "file")).toBe("1 file");
    expect(plural(2, "policy", "policies")).toBe("2 policies");
    expect(plural(3_000, "file")).toBe("3,000 files");
  });
});

describe("link and linkText", () => {
  it("links an http(s) URL, and leaves ordinary values exactly as they were written before", () => {
    expect(link(linkText("acme/requests#12"), "https://github.com/acme/requests/issues/12")).toBe(
      "[acme/requests#12](https://github.com/acme/requests/issues/12)",
    );
    expect(link(codeSpan("0123456789ab"), "https://ghe.example.com/acme/gitops/commit/0123456789ab")).toBe(
      "[`0123456789ab`](https://ghe.example.com/acme/gitops/commit/0123456789ab)",
    );
  });

  it.each([
    ["no URL", null],
    ["a javascript: URL", "javascript:alert(1)"],
    ["a relative URL", "/acme/gitops"],
    ["a data: URL", "data:text/html,<b>x</b>"],
  ])("leaves the label unlinked for %s", (_, url) => {
    expect(link("label", url)).toBe("label");
  });

  it("percent-encodes what would end the destination or start Markdown, so the link stays one link", () => {
    expect(link("x", "https://argo.example.com/a b)(c<d>`e\"f'g[h]|i")).toBe(
      "[x](https://argo.example.com/a%20b%29%28c%3Cd%3E%60e%22f%27g%5Bh%5D%7Ci)",
    );
  });

  it("escapes a label's Markdown and mentions, and keeps it on one line", () => {
    expect(linkText("my_repo*x](https://evil)#1\n@alice")).toBe("my\\_repo\\*x\\](https://evil)#1 @\u2060alice");
  });
});
