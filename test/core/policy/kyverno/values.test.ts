import { describe, expect, it } from "vitest";
import { durationSeconds, parseGoDuration } from "../../../../src/core/policy/kyverno/duration.js";
import { formatFloatE, formatFloatG, goJsonMarshal, goSprint } from "../../../../src/core/policy/kyverno/go-format.js";
import { compareQuantities, parseQuantity } from "../../../../src/core/policy/kyverno/quantity.js";
import { validateValue, valueMatcher } from "../../../../src/core/policy/kyverno/validate-value.js";
import { matchWildcard, wildcardMatcher } from "../../../../src/core/policy/kyverno/wildcard.js";

describe("matchWildcard", () => {
  it.each([
    ["*", "", true],
    ["*", "anything", true],
    ["", "", true],
    ["", "a", false],
    ["nginx", "nginx", true],
    ["nginx", "nginx2", false],
    ["*:latest", "nginx:latest", true],
    ["*:latest", "nginx:1.2", false],
    ["?*", "", false],
    ["?*", "x", true],
    ["ngin?", "nginx", true],
    ["ngin?", "ngin", false],
    ["a*b*c", "aXXbYYc", true],
    ["a*b*c", "aXXbYY", false],
    ["safe-*", "safe-token", true],
    ["*/*", "a/b", true],
    ["h?llo", "héllo", true],
  ])("%j matches %j: %s", (pattern, name, expected) => {
    expect(matchWildcard(pattern, name)).toBe(expected);
  });
});

// wildcardMatcher reads a pattern once and takes shortcuts by its shape (issue 16): every shape,
// over names with and without surrogate pairs, lone surrogates and empty text, as matchWildcard.
describe("wildcardMatcher matches as matchWildcard", () => {
  const patterns = [
    "",
    "*",
    "**",
    "?",
    "?*",
    "*?",
    "??",
    "?*?",
    "a",
    "a*",
    "*a",
    "a*b",
    "*:latest",
    "a*b*c",
    "*a*",
    "a**b",
    "a?b",
    "😀*",
    "*😀",
    "?😀",
  ];
  const names = [
    "",
    "a",
    "ab",
    "b",
    "acb",
    "aXXbYYc",
    "nginx:latest",
    ":latest",
    "😀",
    "😀a",
    "a😀",
    "a😀b",
    "\uD83D",
    "a\uDE00b",
    "😀😀",
    "aa",
    "aab",
    "ba",
  ];
  it.each(patterns.map((pattern) => [pattern]))("%j", (pattern) => {
    const matcher = wildcardMatcher(pattern);
    for (const name of names) expect([name, matcher(name)]).toEqual([name, matchWildcard(pattern, name)]);
  });
});

// valueMatcher reads a pattern once and remembers its last value (issue 16): over a run of values
// that repeat, change type or differ only as -0 and 0 do, it must answer as validateValue.
describe("valueMatcher answers as validateValue", () => {
  const values = [0, -0, 0, "0", -0, 1, "1", 1.5, Number.NaN, Number.NaN, null, null, "", true, "true", "100m", "0.1", [1], { a: 1 }, "-0"];
  it.each(["0", "-*", "*0*", ">=0", "<1", "!0", "0-1", "100m", "?*", "*", "true", "", 0, 1, 1.5, true, null])("%j", (pattern) => {
    for (const numbersAreFloats of [false, true]) {
      const matcher = valueMatcher(pattern, { numbersAreFloats });
      for (const value of values) expect([value, matcher(value)]).toEqual([value, validateValue(value, pattern, { numbersAreFloats })]);
    }
  });
});

describe("parseQuantity", () => {
  it.each([
    ["1Gi", "1024Mi", 0],
    ["500m", "0.5", 0],
    ["1", "1000m", 0],
    ["1e3", "1k", 0],
    ["2", "1500m", 1],
    ["100Mi", "1Gi", -1],
    ["-1", "0", -1],
    ["1E", "1000P", 0],
  ])("%s compared to %s is %i", (a, b, expected) => {
    const left = parseQuantity(a);
    const right = parseQuantity(b);
    expect(left && right && compareQuantities(left, right)).toBe(expected);
  });

  it.each(["", "latest", "1Gb", "1ki", "Gi", ".", "-", "1.2.3", "10%", "1 Gi"])("rejects %j", (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });
});

describe("parseGoDuration", () => {
  it.each([
    ["0", 0],
    ["1h", 3600],
    ["1h30m", 5400],
    ["1.5h", 5400],
    ["300ms", 0.3],
    ["-2m", -120],
    ["8h", 28800],
  ])("%s is %f seconds", (text, seconds) => {
    const parsed = parseGoDuration(text);
    expect(parsed === undefined ? undefined : durationSeconds(parsed)).toBe(seconds);
  });

  it.each(["", "1", "h", "1 h", "1d", "5.000000", ".s"])("rejects %j", (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});

describe("Go formatting", () => {
  it.each([
    [5, "5E+00"],
    [8080, "8.08E+03"],
    [0.5, "5E-01"],
    [0, "0E+00"],
  ])("FormatFloat(%f, 'E') is %s", (value, text) => {
    expect(formatFloatE(value)).toBe(text);
  });

  it.each([
    [5000, "5000"],
    [100000, "100000"],
    [1000000, "1e+06"],
    [1234567, "1.234567e+06"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [1.5, "1.5"],
  ])("fmt.Sprint(%f) is %s", (value, text) => {
    expect(formatFloatG(value)).toBe(text);
  });

  it("prints maps and lists like fmt.Sprint, and JSON like encoding/json", () => {
    expect(goSprint({ b: 1, a: [true, null] })).toBe("map[a:[true <nil>] b:1]");
    expect(goJsonMarshal({ b: "<x>", a: 1 })).toBe('{"a":1,"b":"\\u003cx\\u003e"}');
  });
});

describe("validateValue (pattern leaf comparison)", () => {
  it.each([
    // wildcards and negation
    ["nginx:1.2", "*:*", true],
    ["nginx", "*:*", false],
    ["nginx:latest", "!*:latest", false],
    ["nginx:1.2", "!*:latest", true],
    ["", "?*", false],
    ["x", "?*", true],
    [null, "?*", false],
    [null, "*", false],
    ["anything", "*", true],
    // alternatives and conjunctions
    ["Always", "Always | IfNotPresent", true],
    ["Never", "Always | IfNotPresent", false],
    ["registry.corp/app:1", "registry.corp/* & !*:latest", true],
    ["registry.corp/app:latest", "registry.corp/* & !*:latest", false],
    // numeric comparison through quantities, whatever the value's type
    [1000, ">=1000", true],
    [999, ">=1000", false],
    ["2", ">1", true],
    ["500m", "<1", true],
    ["2Gi", "<=1Gi", false],
    [8080, "!8080", false],
    [3, "1-5", true],
    [6, "1-5", false],
    [6, "1!-5", true],
    ["2Gi", "1Gi-4Gi", true],
    // a missing value counts as zero for numbers and durations
    [null, "<=1Gi", true],
    [null, ">0", false],
    [null, "<1h", true],
    // durations compare by value
    ["90m", ">1h", true],
    ["30m", ">1h", false],
    // ordering operators never apply to plain strings
    ["b", ">a", false],
    // numbers are matched as Go prints float64 ('E' format)
    [500, "500*", false],
    [5, "5E*", true],
    // booleans and nulls
    [true, "true", true],
    [true, true, true],
    ["true", true, false],
    [false, null, true],
    [0, null, true],
    ["", null, true],
    ["x", null, false],
    // integer patterns accept integral numbers and decimal integer strings
    [1, 1, true],
    ["1", 1, true],
    ["1.0", 1, false],
    [1.5, 1, false],
    // maps only check the value is a map
    [{ a: 1 }, {}, true],
    ["x", {}, false],
  ])("value %j against pattern %j is %s", (value, pattern, expected) => {
    expect(validateValue(value, pattern)).toBe(expected);
  });

  it("reads anyPattern numbers as floats, so decimal strings compare by value", () => {
    expect(validateValue("1.0", 1)).toBe(false);
    expect(validateValue("1.0", 1, { numbersAreFloats: true })).toBe(true);
  });
});
