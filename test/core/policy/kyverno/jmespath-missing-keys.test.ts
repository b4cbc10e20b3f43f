import { describe, expect, it } from "vitest";
import { searchJmesPath } from "../../../../src/core/policy/kyverno/jmespath.js";

// Kyverno's JMESPath fork fails a query on a missing key, except where an expression form swallows
// it. The interpreter passes a missing key up as a value, not a throw (issue 16): these cases pin
// which forms pass it up and which turn it into null, as they were when it was thrown.
const DATA = { a: { b: 1, list: [{ x: 1 }, { y: 2 }], empty: null }, t: true, f: false };
const UNKNOWN = (key: string) => `throws JmesPathNotFoundError: Unknown key "${key}" in path`;

function run(expression: string): string {
  try {
    return JSON.stringify(searchJmesPath(expression, DATA));
  } catch (error) {
    return `throws ${String(error)}`;
  }
}

describe("a missing key in a JMESPath query", () => {
  it.each([
    ["missing", UNKNOWN("missing")],
    ["a.missing", UNKNOWN("missing")],
    ["missing.b", UNKNOWN("missing")],
    ["a.missing.c", UNKNOWN("missing")],
    ["a.list[0].missing", UNKNOWN("missing")],
    ["a.missing[0]", UNKNOWN("missing")],
    ["(a.missing)", UNKNOWN("missing")],
    ["@.a.missing", UNKNOWN("missing")],
    ["t && a.missing", UNKNOWN("missing")],
    ["t ? a.missing : 'x'", UNKNOWN("missing")],
  ])("fails the query where the form passes it up: %s", (expression, expected) => {
    expect(run(expression)).toBe(expected);
  });

  it.each([
    ["a.b || 'x'", "1"],
    ["a.missing || 'x'", '"x"'],
    ["f && a.missing", "false"],
    ["f ? a.missing : 'x'", '"x"'],
    ["a.list[].x", "[1]"],
    ["a.list[?x == `1`].missing", "[]"],
    ["a.list[*].missing", "[]"],
    ["a.*.missing", "[]"],
    ["[a.missing, a.b]", "[null,1]"],
    ["{k: a.missing}", '{"k":null}'],
    ["!a.missing", "null"],
    ["a.missing == null", "true"],
    ["a.missing | 'p'", '"p"'],
    ["a.empty.c", "null"],
    ["a.b.missing", "null"],
    ["not_null(a.missing, a.b)", "1"],
    ["a.list | [0].y", "null"],
  ])("is null (or swallowed) where the form says so: %s", (expression, expected) => {
    expect(run(expression)).toBe(expected);
  });

  it.each([
    ["constructor", {}, UNKNOWN("constructor")],
    ["a.toString", { a: {} }, UNKNOWN("toString")],
    ["a.__proto__", { a: {} }, UNKNOWN("__proto__")],
    ["a.hasOwnProperty.b", { a: {} }, UNKNOWN("hasOwnProperty")],
    ["a.constructor", { a: { constructor: 5 } }, "5"],
    ["a.b.c", { a: { b: { c: undefined } } }, "null"],
  ])("never reads what an object inherits: %s", (expression, data, expected) => {
    let answer: string;
    try {
      answer = JSON.stringify(searchJmesPath(expression, data));
    } catch (error) {
      answer = `throws ${String(error)}`;
    }
    expect(answer).toBe(expected);
  });

  it.each([
    ["a long field chain", `a.${"a.".repeat(100_000)}a`],
    ["deep parentheses", `${"(".repeat(20_000)}a${")".repeat(20_000)}`],
    ["a long or chain", `${"a || ".repeat(50_000)}b`],
  ])("ends %s with an error, not a crash, every time it is asked", (_name, expression) => {
    for (let round = 0; round < 2; round++) expect(() => searchJmesPath(expression, { a: 1, b: 2 })).toThrow();
  });

  it.each([
    ["length(a.list)", "2"],
    ["length(a)", "3"],
    ["length('h\u00e9llo \ud83d\ude00')", "7"],
    ["keys(a.list[0])", '["x"]'],
    ["values(a.list[1])", "[2]"],
    ["to_array(a.b)", "[1]"],
    ["to_array(a.list)", '[{"x":1},{"y":2}]'],
    ["keys(e)", /^throws JmesPathError: JMESPath function 'keys': Invalid type: keys\(\) expected argument 1 to be type \(object\)/],
    ["length(e)", /^throws JmesPathError: JMESPath function 'length': Invalid type/],
    ["keys(a.list)", /^throws JmesPathError: JMESPath function 'keys': Invalid type/],
    ["length(a.b)", /^throws JmesPathError: JMESPath function 'length': Invalid type/],
    ["keys(a, a)", /^throws JmesPathError: JMESPath function 'keys': Invalid arity/],
  ])("answers the library's common functions as the library does: %s", (expression, expected) => {
    // `e` is an object the library takes for an expression reference: only the library answers it.
    const data = { ...DATA, e: { expref: true, k: 1 } };
    let answer: string;
    try {
      answer = JSON.stringify(searchJmesPath(expression, data));
    } catch (error) {
      answer = `throws ${String(error)}`;
    }
    if (typeof expected === "string") expect(answer).toBe(expected);
    else expect(answer).toMatch(expected);
  });

  it("reaches a function as null", () => {
    expect(run("length(a.missing)")).toMatch(/^throws JmesPathError: JMESPath function 'length': .*received type null/);
  });
});
