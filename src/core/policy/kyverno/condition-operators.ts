import { durationSeconds, parseGoDuration } from "./duration.js";
import { deepEqualJson, goSprint, isPlainObject, parseGoFloat, parseGoInt } from "./go-format.js";
import { compareQuantities, parseQuantity } from "./quantity.js";
import { compareSemver, parseSemver } from "./semver.js";
import { operatorOf, validateValue } from "./validate-value.js";
import { matchWildcard } from "./wildcard.js";

/**
 * Kyverno's condition operators (`pkg/engine/variables/operator`): how `key <operator> value`
 * compares once both sides are substituted.
 */

/** Compares a condition's substituted key and value. */
export type OperatorHandler = (key: unknown, value: unknown) => boolean;
type Handler = OperatorHandler;

// Conditions compare the same few strings per resource ("CREATE", "8h"): each one's reading as a
// duration is kept. Short strings only, and a bounded number, whatever the resources hold.
const durationTexts = new Map<string, number | null>();
const MAX_DURATION_TEXTS = 10_000;
const MAX_DURATION_TEXT_LENGTH = 64;

/** A string operand as a duration in seconds; null when it is none ("0" alone is a number here). */
function textDuration(text: string): number | null {
  let seconds = durationTexts.get(text);
  if (seconds === undefined) {
    const nanoseconds = text === "0" ? undefined : parseGoDuration(text);
    seconds = nanoseconds === undefined ? null : durationSeconds(nanoseconds);
    if (text.length > MAX_DURATION_TEXT_LENGTH) return seconds;
    if (durationTexts.size >= MAX_DURATION_TEXTS) durationTexts.clear();
    durationTexts.set(text, seconds);
  }
  return seconds;
}

function numberDuration(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? durationSeconds(BigInt(Math.trunc(value)) * 1_000_000_000n) : null;
}

/** Duration operands: at least one side must be a duration string; numbers count as seconds. */
function parseDurations(key: unknown, value: unknown): [number, number] | undefined {
  let keySeconds = typeof key === "string" ? textDuration(key) : null;
  let valueSeconds = typeof value === "string" ? textDuration(value) : null;
  if (keySeconds === null && valueSeconds === null) return undefined;
  keySeconds ??= numberDuration(key);
  valueSeconds ??= numberDuration(value);
  if (keySeconds === null || valueSeconds === null) return undefined;
  return [keySeconds, valueSeconds];
}

function equalTo(key: unknown, value: unknown): boolean {
  if (typeof key === "boolean") return typeof value === "boolean" && key === value;
  if (typeof key === "number") {
    if (typeof value === "number") return key === value;
    if (typeof value === "string") return parseGoFloat(value) === key;
    return false;
  }
  if (typeof key === "string") {
    const durations = parseDurations(key, value);
    if (durations) return durations[0] === durations[1];
    const keyQuantity = parseQuantity(key);
    if (keyQuantity && typeof value === "string") {
      const valueQuantity = parseQuantity(value);
      return valueQuantity !== undefined && compareQuantities(keyQuantity, valueQuantity) === 0;
    }
    return typeof value === "string" && matchWildcard(value, key);
  }
  if (isPlainObject(key)) return isPlainObject(value) && deepEqualJson(key, value);
  if (Array.isArray(key)) return Array.isArray(value) && deepEqualJson(key, value);
  return false;
}

function notEqualTo(key: unknown, value: unknown): boolean {
  if (typeof key === "boolean") return typeof value === "boolean" ? key !== value : true;
  if (typeof key === "number") {
    if (typeof value === "number") return key !== value;
    if (typeof value === "string") {
      const parsed = parseGoFloat(value);
      return parsed === undefined ? true : parsed !== key;
    }
    return true;
  }
  if (typeof key === "string") {
    const durations = parseDurations(key, value);
    if (durations) return durations[0] !== durations[1];
    const keyQuantity = parseQuantity(key);
    if (keyQuantity && typeof value === "string") {
      if (value === "") return !matchWildcard(value, key);
      const valueQuantity = parseQuantity(value);
      return valueQuantity === undefined ? true : compareQuantities(keyQuantity, valueQuantity) !== 0;
    }
    return typeof value === "string" ? !matchWildcard(value, key) : true;
  }
  if (isPlainObject(key)) return isPlainObject(value) ? !deepEqualJson(key, value) : true;
  if (Array.isArray(key)) return Array.isArray(value) ? !deepEqualJson(key, value) : true;
  return false;
}

/** A string value may be a JSON array of strings; other JSON makes the operand invalid. */
function stringArrayFromJson(text: string): string[] | "invalid" | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null) return [];
  if (Array.isArray(parsed) && parsed.every((v) => typeof v === "string")) return parsed;
  return "invalid";
}

/** Kyverno's wildcard match either way round (either side may be the pattern). */
export const bothWays = (a: string, b: string): boolean => matchWildcard(a, b) || matchWildcard(b, a);

/** In/NotIn (deprecated): exact membership, JSON-array strings accepted. Returns undefined when invalid. */
function keyInArray(key: string, value: unknown): boolean | undefined {
  if (Array.isArray(value)) return value.some((v) => bothWays(goSprint(v), key));
  if (typeof value === "string") {
    if (matchWildcard(value, key)) return true;
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      return undefined;
    }
    if (parsed === null) return false;
    if (!Array.isArray(parsed) || !parsed.every((v) => typeof v === "string")) return undefined;
    return parsed.includes(key);
  }
  return undefined;
}

function setInArray(keys: string[], value: unknown, notIn: boolean): boolean | undefined {
  let values: string[];
  if (Array.isArray(value)) {
    if (!value.every((v) => typeof v === "string")) return undefined;
    values = value;
  } else if (typeof value === "string") {
    if (keys.length === 1 && keys[0] === value) return true;
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      return undefined;
    }
    if (parsed === null) values = [];
    else if (Array.isArray(parsed) && parsed.every((v) => typeof v === "string")) values = parsed;
    else return undefined;
  } else return undefined;
  const set = new Set(values);
  return notIn ? keys.some((k) => !set.has(k)) : keys.every((k) => set.has(k));
}

/** Range values such as `5000-6000` compare numerically through the pattern engine. */
function inRange(key: string, range: string): boolean {
  return validateValue(key, range);
}

function anyKeyInArray(key: string, value: unknown): boolean | undefined {
  if (Array.isArray(value)) return value.some((v) => bothWays(goSprint(v), key));
  if (typeof value === "string") {
    if (matchWildcard(value, key)) return true;
    if (operatorOf(value) === "-") return inRange(key, value);
    const parsed = stringArrayFromJson(value);
    if (parsed === "invalid") return undefined;
    return (parsed ?? [value]).some((v) => v === key);
  }
  return undefined;
}

function anySetInArray(keys: string[], value: unknown, notIn: boolean): boolean | undefined {
  let values: string[];
  // No key is found in (or missing from) any list: nothing to print.
  if (Array.isArray(value) && keys.length === 0) return false;
  if (Array.isArray(value)) values = value.map(goSprint);
  else if (typeof value === "number" || typeof value === "boolean") values = [goSprint(value)];
  else if (typeof value === "string") {
    if (keys.length === 1 && keys[0] === value) return !notIn;
    if (operatorOf(value) === "-") {
      return notIn ? keys.some((k) => inRange(k, value.replace("-", "!-"))) : keys.some((k) => inRange(k, value));
    }
    const parsed = stringArrayFromJson(value);
    if (parsed === "invalid") return undefined;
    values = parsed ?? [value];
  } else return undefined;
  const found = (k: string): boolean => values.some((v) => bothWays(k, v));
  return notIn ? keys.some((k) => !found(k)) : keys.some(found);
}

function allSetInArray(keys: string[], value: unknown, notIn: boolean): boolean | undefined {
  let values: string[];
  // Every one of no keys is in (and none is in) any list.
  if (Array.isArray(value) && keys.length === 0) return true;
  if (Array.isArray(value)) values = value.map(goSprint);
  else if (typeof value === "string") {
    if (keys.length === 1 && keys[0] === value) return !notIn;
    if (operatorOf(value) === "-") {
      return notIn ? !keys.some((k) => inRange(k, value)) : keys.every((k) => inRange(k, value));
    }
    const parsed = stringArrayFromJson(value);
    if (parsed === "invalid") return undefined;
    values = parsed ?? [value];
  } else return undefined;
  const found = (k: string): boolean => values.some((v) => bothWays(k, v));
  return notIn ? !keys.some(found) : keys.every(found);
}

/** Scalar keys are compared as their `fmt.Sprint` text; lists element by element. */
function membership(
  single: (key: string, value: unknown) => boolean | undefined,
  set: (keys: string[], value: unknown) => boolean | undefined,
  negateSingle: boolean,
  strictStrings = false,
): Handler {
  return (key, value) => {
    if (typeof key === "string" || typeof key === "number" || typeof key === "boolean") {
      const found = single(typeof key === "string" ? key : goSprint(key), value);
      if (found === undefined) return false;
      return negateSingle ? !found : found;
    }
    if (Array.isArray(key)) {
      if (strictStrings && !key.every((k) => typeof k === "string")) return false;
      return set(key.map(goSprint), value) ?? false;
    }
    return false;
  };
}

function compareBy(op: string, key: number, value: number): boolean {
  switch (op) {
    case "GreaterThanOrEquals":
      return key >= value;
    case "GreaterThan":
      return key > value;
    case "LessThanOrEquals":
      return key <= value;
    case "LessThan":
      return key < value;
    default:
      return false;
  }
}

function numericFromNumber(op: string, key: number, value: unknown): boolean {
  if (typeof value === "number") return compareBy(op, key, value);
  if (typeof value === "string") {
    const durations = parseDurations(key, value);
    if (durations) return compareBy(op, durations[0], durations[1]);
    const float = parseGoFloat(value);
    if (float !== undefined) return compareBy(op, key, float);
    const int = parseGoInt(value);
    if (int !== undefined) return compareBy(op, key, int);
  }
  return false;
}

function numeric(op: string): Handler {
  return (key, value) => {
    if (typeof key === "number") return numericFromNumber(op, key, value);
    if (typeof key !== "string") return false;
    const durations = parseDurations(key, value);
    if (durations) return compareBy(op, durations[0], durations[1]);
    const keyQuantity = parseQuantity(key);
    const valueQuantity = typeof value === "string" ? parseQuantity(value) : undefined;
    if (keyQuantity && valueQuantity) return compareBy(op, compareQuantities(keyQuantity, valueQuantity), 0);
    const float = parseGoFloat(key);
    if (float !== undefined) return numericFromNumber(op, float, value);
    const int = parseGoInt(key);
    if (int !== undefined) return numericFromNumber(op, int, value);
    const version = parseSemver(key);
    if (version && typeof value === "string") {
      const other = parseSemver(value);
      return other ? compareBy(op, compareSemver(version, other), 0) : false;
    }
    return false;
  };
}

function durationOp(op: string): Handler {
  const compareOp = op.replace("Duration", "");
  const toNanos = (v: unknown): bigint | undefined => {
    if (typeof v === "number") return Number.isFinite(v) ? BigInt(Math.trunc(v)) * 1_000_000_000n : undefined;
    if (typeof v === "string") return parseGoDuration(v);
    return undefined;
  };
  return (key, value) => {
    if (typeof key !== "number" && typeof key !== "string") return false;
    const k = toNanos(key);
    const v = toNanos(value);
    if (k === undefined || v === undefined) return false;
    return compareBy(compareOp, k < v ? -1 : k > v ? 1 : 0, 0);
  };
}

/** Kyverno's CreateOperatorHandler: operator names match case-insensitively; undefined for an unknown name. */
export function operatorHandler(operator: string): Handler | undefined {
  switch (operator.toLowerCase()) {
    case "equal":
    case "equals":
      return equalTo;
    case "notequal":
    case "notequals":
      return notEqualTo;
    case "in":
      return membership(keyInArray, (keys, value) => setInArray(keys, value, false), false, true);
    case "notin":
      return membership(keyInArray, (keys, value) => setInArray(keys, value, true), true, true);
    case "anyin":
      return membership(anyKeyInArray, (keys, value) => anySetInArray(keys, value, false), false);
    case "anynotin":
      return membership(anyKeyInArray, (keys, value) => anySetInArray(keys, value, true), true);
    case "allin":
      return membership(anyKeyInArray, (keys, value) => allSetInArray(keys, value, false), false);
    case "allnotin":
      return membership(anyKeyInArray, (keys, value) => allSetInArray(keys, value, true), true);
    case "greaterthanorequals":
    case "greaterthan":
    case "lessthanorequals":
    case "lessthan":
      // Selection ignores case, but the comparison itself only knows the exact spelling.
      return numeric(operator);
    case "durationgreaterthanorequals":
    case "durationgreaterthan":
    case "durationlessthanorequals":
    case "durationlessthan":
      return durationOp(operator);
    default:
      return undefined;
  }
}
