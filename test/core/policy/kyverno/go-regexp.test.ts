import { describe, expect, it } from "vitest";
import { compileGoRegExp } from "../../../../src/core/policy/kyverno/go-regexp.js";
import { searchJmesPath } from "../../../../src/core/policy/kyverno/jmespath.js";
import { substituteVariables } from "../../../../src/core/policy/kyverno/variables.js";

describe("Go regular expressions (RE2 through re2js)", () => {
  // The class of catastrophic backtracking: nested and overlapping quantifiers, alternations that
  // share a prefix. Each would take seconds to years with a backtracking engine.
  const HOSTILE: [string, string][] = [
    ["(a+)+$", `${"a".repeat(40)}!`],
    ["(a|a)*$", `${"a".repeat(40)}!`],
    ["(a|aa)+$", `${"a".repeat(40)}!`],
    ["^(\\w+\\s?)*$", `${"word ".repeat(40)}!`],
    ["(.*a){12}", "a".repeat(40)],
    ["(x+x+)+y", "x".repeat(5000)],
  ];

  it.each(HOSTILE)("%s against a hostile input takes linear time", (pattern, input) => {
    const started = performance.now();
    const matched = compileGoRegExp(pattern).test(input);
    const elapsed = performance.now() - started;
    // Printed, not asserted: the figure the issue names (milliseconds for 40 characters).
    console.log(`regex ${pattern} on ${input.length} chars: ${matched ? "match" : "no match"} in ${elapsed.toFixed(2)} ms`);
    expect(typeof matched).toBe("boolean");
  });

  it("regex_match with a hostile expression and manifest text substituted into it finishes", () => {
    const started = performance.now();
    const value = substituteVariables("{{ regex_match('(a+)+$', '{{request.object.metadata.name}}') }}", (expression) =>
      searchJmesPath(expression, { request: { object: { metadata: { name: `${"a".repeat(40)}!` } } } }),
    );
    console.log(`regex_match('(a+)+$', 40 × a + '!') in ${(performance.now() - started).toFixed(2)} ms`);
    expect(value).toBe(false);
  });

  it.each([
    ["(?P<major>[0-9]+)\\.(?P<minor>[0-9]+)", "v1.22", true],
    ["\\Aabc\\z", "abc", true],
    ["\\Aabc\\z", "abc\n", false],
    ["\\Qa.b\\E", "a.b", true],
    ["\\Qa.b\\E", "axb", false],
    ["[[:digit:]]+", "12", true],
    ["[[:^digit:]]", "1", false],
    ["(?i)^nginx$", "NGINX", true],
    ["^a(?i:B)c$", "abc", true],
    ["\\pL", "é", true],
    ["^.$", "é", true],
    ["^ab$", "x\nab", false],
    ["(?m)^ab$", "x\nab", true],
  ])("%s on %j: %s, as Go's regexp.MatchString", (pattern, text, expected) => {
    expect(compileGoRegExp(pattern).test(text)).toBe(expected);
  });

  it.each([
    ["a*", "baaac", "X", "XbXcX"],
    ["", "abc", "-", "-a-b-c-"],
    ["([a-z]+)-([0-9]+)", "app-12 db-3", "${2}-$1", "12-app 3-db"],
    ["(?P<word>[a-z]+)", "ab cd", "<$word>", "<ab> <cd>"],
    ["a", "aaa", "$$", "$$$"],
    ["(a)", "a", "$1x", ""],
  ])("replaces %s in %j with %j as Go's ReplaceAllString", (pattern, text, replacement, expected) => {
    expect(compileGoRegExp(pattern).replaceAll({ text, replacement, literal: false })).toBe(expected);
  });

  it("replaces literally for regex_replace_all_literal", () => {
    expect(compileGoRegExp("[0-9]+").replaceAll({ text: "a1b22", replacement: "$1", literal: true })).toBe("a$1b$1");
  });

  it.each(["(?=a)", "(?!latest)", "(a)\\1", "(?<=a)b", "a{1001}"])("rejects %s as Go does", (pattern) => {
    expect(() => compileGoRegExp(pattern)).toThrow(/error parsing regexp|invalid/);
    expect(() => searchJmesPath(`regex_match('${pattern.replace(/\\/g, "\\\\")}', 'a')`, {})).toThrow(/regex_match/);
  });
});
