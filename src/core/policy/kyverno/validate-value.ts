import { parseGoDuration } from "./duration.js";
import { formatFloatE, formatFloatFixed6, isPlainObject, parseGoFloat, parseGoInt } from "./go-format.js";
import { compareQuantities, parseQuantity } from "./quantity.js";
import type { Quantity } from "./quantity.js";
import { wildcardMatcher } from "./wildcard.js";

/** Operators that may prefix a string value in a pattern (Kyverno `pkg/engine/operator`). */
export type ValueOperator = "" | ">=" | "<=" | "!" | ">" | "<" | "-" | "!-";

export const IN_RANGE = /^([-|+]?\d+(?:\.\d+)?[A-Za-z]*)-([-|+]?\d+(?:\.\d+)?[A-Za-z]*)$/;
export const NOT_IN_RANGE = /^([-|+]?\d+(?:\.\d+)?[A-Za-z]*)!-([-|+]?\d+(?:\.\d+)?[A-Za-z]*)$/;

/** Reads the operator a string pattern starts with; `-`/`!-` are ranges such as `1-10`. */
export function operatorOf(pattern: string): ValueOperator {
  if (pattern.length < 2) return "";
  if (pattern.startsWith(">=")) return ">=";
  if (pattern.startsWith("<=")) return "<=";
  if (pattern.startsWith(">")) return ">";
  if (pattern.startsWith("<")) return "<";
  if (pattern.startsWith("!")) return "!";
  if (NOT_IN_RANGE.test(pattern)) return "!-";
  if (IN_RANGE.test(pattern)) return "-";
  return "";
}

/**
 * Options for {@link validateValue}. Kyverno decodes `pattern` numbers as int64 when integral but
 * `anyPattern` numbers as float64, which changes how string values such as "5.0" compare.
 */
export interface ValueOptions {
  numbersAreFloats?: boolean;
}

/** Integral pattern numbers are int64, as in `pattern`. */
export const DEFAULT_OPTIONS: Readonly<ValueOptions> = Object.freeze({});

/**
 * Kyverno's leaf comparison (`pattern.Validate`): does a resource value satisfy a pattern value?
 * Resource numbers are float64 (the Kyverno CLI converts every number it loads to float64).
 */
export function validateValue(value: unknown, pattern: unknown, options: ValueOptions = DEFAULT_OPTIONS): boolean {
  if (typeof pattern === "boolean") return typeof value === "boolean" && value === pattern;
  if (typeof pattern === "number") {
    if (Number.isInteger(pattern) && !options.numbersAreFloats) return validateIntPattern(value, pattern);
    return validateFloatPattern(value, pattern);
  }
  if (pattern === null || pattern === undefined) return validateNilPattern(value);
  if (isPlainObject(pattern)) return isPlainObject(value);
  if (typeof pattern === "string") return validateStringPatterns(value, pattern);
  return false;
}

/** A scalar pattern read once: tells whether a resource value satisfies it. */
export type ValueMatcher = (value: unknown) => boolean;

const isBoolean = (pattern: boolean): ValueMatcher => (pattern ? (value) => value === true : (value) => value === false);

/**
 * {@link validateValue} with the pattern bound and read once: a plan of a pattern keeps one
 * matcher per leaf, so a walk neither looks a pattern's text up nor parses it again per value.
 */
export function valueMatcher(pattern: unknown, options: ValueOptions = DEFAULT_OPTIONS): ValueMatcher {
  if (typeof pattern === "boolean") return isBoolean(pattern);
  if (typeof pattern === "number") {
    if (Number.isInteger(pattern) && !options.numbersAreFloats) return (value) => validateIntPattern(value, pattern);
    return (value) => validateFloatPattern(value, pattern);
  }
  if (pattern === null || pattern === undefined) return validateNilPattern;
  if (isPlainObject(pattern)) return isPlainObject;
  if (typeof pattern === "string") return stringMatcher(pattern);
  return () => false;
}

function stringMatcher(pattern: string): ValueMatcher {
  const alternatives = compilePatterns(pattern);
  const only = alternatives.length === 1 && alternatives[0]?.length === 1 ? alternatives[0][0] : undefined;
  // Most pattern strings are one plain condition (`?*`, `!*:latest`, `>0`): no loops for them.
  if (only) return remembered((value) => value === pattern || checkCondition(value, only));
  return remembered((value) => {
    if (value === pattern) return true;
    for (const alternative of alternatives) {
      if (alternative.every((condition) => checkCondition(value, condition))) return true;
    }
    return false;
  });
}

const NOTHING = Symbol("nothing");

/**
 * A matcher that remembers its last scalar value and verdict: one pattern leaf meets the same
 * values again and again across manifests (`128Mi`, `Always`, `1000`), and comparing a quantity,
 * a duration or a number's text is dearer than one comparison.
 */
function remembered(matcher: ValueMatcher): ValueMatcher {
  let last: unknown = NOTHING;
  let verdict = false;
  return (value) => {
    // Object.is: -0 is not 0 here (its text is "-0").
    if (Object.is(value, last)) return verdict;
    const result = matcher(value);
    if (typeof value !== "object" || value === null) {
      last = value;
      verdict = result;
    }
    return result;
  };
}

function validateIntPattern(value: unknown, pattern: number): boolean {
  if (typeof value === "number") return Number.isInteger(value) && value === pattern;
  if (typeof value === "string") return parseGoInt(value) === pattern;
  return false;
}

function validateFloatPattern(value: unknown, pattern: number): boolean {
  if (typeof value === "number") return value === pattern;
  if (typeof value === "string") return parseGoFloat(value) === pattern;
  return false;
}

function validateNilPattern(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === "number") return value === 0;
  if (typeof value === "string") return value === "";
  if (typeof value === "boolean") return !value;
  return false;
}

function trimSpaces(text: string): string {
  return text.replace(/^ +| +$/g, "");
}

/** A `|`/`&`-free pattern, read once: its operator, its operand and what the operand parses as. */
interface CompiledCondition {
  op: ValueOperator;
  operand: string;
  /** The operand as a Go duration, when it is one. */
  duration: bigint | undefined;
  /** The operand as a Kubernetes quantity, when it is one. */
  quantity: Quantity | undefined;
  /** For `a-b` and `a!-b`: the two bounds as `>= a` and `<= b` (or `< a` and `> b`); null when malformed. */
  range: [CompiledCondition, CompiledCondition] | null;
  /** The operand as a wildcard pattern, matching a value's text. */
  wildcard: (text: string) => boolean;
}

// Pattern strings repeat for every resource a rule judges; each is split and parsed once.
const MAX_CACHED = 10_000;
const compiledPatterns = new Map<string, CompiledCondition[][]>();
const compiledConditions = new Map<string, CompiledCondition>();

function compilePatterns(pattern: string): CompiledCondition[][] {
  let compiled = compiledPatterns.get(pattern);
  if (!compiled) {
    compiled = pattern.split("|").map((alternative) =>
      trimSpaces(alternative)
        .split("&")
        .map((condition) => compileCondition(trimSpaces(condition))),
    );
    if (compiledPatterns.size >= MAX_CACHED) compiledPatterns.clear();
    compiledPatterns.set(pattern, compiled);
  }
  return compiled;
}

function compileCondition(pattern: string): CompiledCondition {
  let compiled = compiledConditions.get(pattern);
  if (!compiled) {
    const op = operatorOf(pattern);
    let range: CompiledCondition["range"] = null;
    if (op === "-" || op === "!-") {
      const match = (op === "-" ? IN_RANGE : NOT_IN_RANGE).exec(pattern);
      if (match) {
        const [, left = "", right = ""] = match;
        range =
          op === "-"
            ? [compileCondition(`>= ${left}`), compileCondition(`<= ${right}`)]
            : [compileCondition(`< ${left}`), compileCondition(`> ${right}`)];
      }
    }
    const operand = pattern.slice(op.length).trim();
    compiled = {
      op,
      operand,
      duration: parseGoDuration(operand),
      quantity: parseQuantity(operand),
      range,
      wildcard: wildcardMatcher(operand),
    };
    if (compiledConditions.size >= MAX_CACHED) compiledConditions.clear();
    compiledConditions.set(pattern, compiled);
  }
  return compiled;
}

function validateStringPatterns(value: unknown, pattern: string): boolean {
  if (value === pattern) return true;
  for (const alternative of compilePatterns(pattern)) {
    if (alternative.every((condition) => checkCondition(value, condition))) return true;
  }
  return false;
}

function checkCondition(value: unknown, condition: CompiledCondition): boolean {
  const op = condition.op;
  if (op === "-" || op === "!-") {
    if (!condition.range) return false;
    const [first, second] = condition.range;
    return op === "-"
      ? checkCondition(value, first) && checkCondition(value, second)
      : checkCondition(value, first) || checkCondition(value, second);
  }
  return (
    compareDuration(value, condition.duration, op) ??
    compareQuantity(value, condition.quantity, op) ??
    compareString(value, condition.wildcard, op)
  );
}

/** Go's `convertNumberToString`: missing values count as "0". */
function numberToString(value: unknown): string | undefined {
  if (value === null || value === undefined) return "0";
  if (typeof value === "string") return value;
  if (typeof value === "number") return formatFloatFixed6(value);
  return undefined;
}

function compareOrdered(result: number, op: ValueOperator): boolean | undefined {
  switch (op) {
    case "":
      return result === 0;
    case "!":
      return result !== 0;
    case ">":
      return result > 0;
    case "<":
      return result < 0;
    case ">=":
      return result >= 0;
    case "<=":
      return result <= 0;
    default:
      return undefined;
  }
}

function compareDuration(value: unknown, expected: bigint | undefined, op: ValueOperator): boolean | undefined {
  if (expected === undefined) return undefined;
  const text = numberToString(value);
  if (text === undefined) return undefined;
  const actual = parseGoDuration(text);
  if (actual === undefined) return undefined;
  return compareOrdered(actual < expected ? -1 : actual > expected ? 1 : 0, op);
}

function compareQuantity(value: unknown, expected: Quantity | undefined, op: ValueOperator): boolean | undefined {
  if (!expected) return undefined;
  const text = numberToString(value);
  if (text === undefined) return undefined;
  const actual = parseQuantity(text);
  if (!actual) return undefined;
  return compareOrdered(compareQuantities(actual, expected), op);
}

function compareString(value: unknown, wildcard: (text: string) => boolean, op: ValueOperator): boolean {
  if (op !== "" && op !== "!") return false;
  let text: string;
  if (typeof value === "string") text = value;
  else if (typeof value === "number") text = formatFloatE(value);
  else if (typeof value === "boolean") text = value ? "true" : "false";
  else return false;
  const matched = wildcard(text);
  return op === "!" ? !matched : matched;
}
