import { describe, expect, it } from "vitest";
import { searchJmesPath } from "../../../../src/core/policy/kyverno/jmespath.js";
import { DEFAULT_YAML_LIMITS } from "../../../../src/core/yaml/default-yaml-limits.js";

/** A manifest field holding hostile text, read by a policy through `parse_yaml` or `parse_json`. */
const read = (fn: "parse_yaml" | "parse_json", text: string): unknown =>
  searchJmesPath(`${fn}(request.object.data.text)`, { request: { object: { data: { text } } } });

const ALIAS_BOMB = [
  "a: &a [x, x, x, x, x, x, x, x, x, x]",
  ...Array.from(
    { length: 8 },
    (_, i) =>
      `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`,
  ),
].join("\n");

describe("parse_yaml and parse_json apply the manifests' YAML limits", () => {
  it("still read ordinary text", () => {
    expect(read("parse_yaml", "a: [1, two]\nb: {c: true}\n")).toEqual({ a: [1, "two"], b: { c: true } });
    expect(read("parse_yaml", "base: &b {x: 1}\nuse: *b\n")).toEqual({ base: { x: 1 }, use: { x: 1 } });
    expect(read("parse_json", '{"a": [1, {"b": null}]}')).toEqual({ a: [1, { b: null }] });
    expect(read("parse_yaml", "")).toBeNull();
  });

  it.each([
    ["parse_yaml", "an alias bomb (10^9 nodes once expanded)", ALIAS_BOMB, /aliases/],
    [
      "parse_yaml",
      "nesting past maxDepth",
      `${"[".repeat(DEFAULT_YAML_LIMITS.maxDepth + 1)}${"]".repeat(DEFAULT_YAML_LIMITS.maxDepth + 1)}`,
      /nested more than/,
    ],
    [
      "parse_json",
      "nesting past maxDepth",
      `${"[".repeat(DEFAULT_YAML_LIMITS.maxDepth + 1)}${"]".repeat(DEFAULT_YAML_LIMITS.maxDepth + 1)}`,
      /nested more than/,
    ],
    [
      "parse_json",
      "nesting that would exhaust the stack",
      `${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`,
      /nested more than|larger than/,
    ],
    ["parse_yaml", "text past maxBytes", `a: "${"x".repeat(DEFAULT_YAML_LIMITS.maxBytes)}"`, /larger than/],
    ["parse_json", "text past maxBytes", `"${"é".repeat(DEFAULT_YAML_LIMITS.maxBytes / 2)}"`, /larger than/],
    ["parse_yaml", "a syntax error", "a: [", /parse_yaml/],
    ["parse_json", "a syntax error", "{", /parse_json/],
  ] as const)("%s refuses %s with an error", (fn, _what, text, reason) => {
    const started = performance.now();
    expect(() => read(fn, text)).toThrow(reason);
    console.log(`${fn} refused ${_what} in ${(performance.now() - started).toFixed(1)} ms`);
  });
});
