import { parseGoDuration } from "./duration.js";
import { JmesPathError } from "./jmespath-errors.js";
import { compareGoStrings, deepEqualJson, formatFloat32Plain, goJsonMarshal, isPlainObject, parseGoFloat } from "./go-format.js";
import { compileGoRegExp, type GoRegExp } from "./go-regexp.js";
import { parseLimitedValue } from "../../yaml/parse-limited-value.js";
import { parseQuantity } from "./quantity.js";
import { parseSemver, satisfiesSemverRange } from "./semver.js";
import { matchWildcard } from "./wildcard.js";

/** A Kyverno JMESPath extension: receives evaluated arguments, throws on bad input. */
export type KyvernoFunction = (args: unknown[]) => unknown;

class FunctionError extends JmesPathError {
  constructor(name: string, detail: string) {
    super(`JMESPath function '${name}': ${detail}`);
  }
}

function stringArg(name: string, args: unknown[], index: number): string {
  if (index >= args.length) throw new FunctionError(name, `${index + 1} argument is out of bounds (${args.length})`);
  const value = args[index];
  if (typeof value !== "string") throw new FunctionError(name, `argument #${index + 1} is not of type string`);
  return value;
}

function numberArg(name: string, args: unknown[], index: number): number {
  if (index >= args.length) throw new FunctionError(name, `${index + 1} argument is out of bounds (${args.length})`);
  const value = args[index];
  if (typeof value !== "number") throw new FunctionError(name, `argument #${index + 1} is not of type float64`);
  return value;
}

/** Kyverno's ifaceToString: numbers print with float32 precision, as Kyverno does. */
function textArg(name: string, args: unknown[], index: number): string {
  const value = args[index];
  if (typeof value === "string") return value;
  if (typeof value === "number") return formatFloat32Plain(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  throw new FunctionError(name, `argument #${index + 1} is not of type String or Real`);
}

function goTrim(text: string, cutset: string): string {
  const cut = new Set(Array.from(cutset));
  const chars = Array.from(text);
  let start = 0;
  let end = chars.length;
  while (start < end && cut.has(chars[start] ?? "")) start++;
  while (end > start && cut.has(chars[end - 1] ?? "")) end--;
  return chars.slice(start, end).join("");
}

function goSplit(text: string, separator: string): string[] {
  if (separator === "") return Array.from(text);
  return text.split(separator);
}

function goReplace(text: string, from: string, to: string, count: number): string {
  if (count < 0) return text.split(from).join(to);
  let out = "";
  let rest = text;
  for (let i = 0; i < count; i++) {
    const at = rest.indexOf(from);
    if (at < 0 || from === "") break;
    out += rest.slice(0, at) + to;
    rest = rest.slice(at + from.length);
  }
  return out + rest;
}

function compileRegex(name: string, pattern: string): GoRegExp {
  try {
    return compileGoRegExp(pattern);
  } catch (error) {
    throw new FunctionError(name, (error as Error).message);
  }
}

/** `parse_json` and `parse_yaml` under the manifests' YAML limits: the text may come from a manifest. */
function parseText(name: "parse_json" | "parse_yaml", args: unknown[]): unknown {
  const parsed = parseLimitedValue({ text: stringArg(name, args, 0), format: name === "parse_json" ? "json" : "yaml" });
  if (!parsed.ok) throw new FunctionError(name, parsed.reason);
  return parsed.value;
}

function regexReplace(name: string, args: unknown[], literal: boolean): string {
  const regex = compileRegex(name, stringArg(name, args, 0));
  return regex.replaceAll({ text: textArg(name, args, 1), replacement: textArg(name, args, 2), literal });
}

type Operand = { kind: "scalar"; value: number } | { kind: "duration"; value: bigint } | { kind: "quantity" };

function operand(name: string, args: unknown[], index: number): Operand {
  const value = args[index];
  if (typeof value === "number") return { kind: "scalar", value };
  if (typeof value === "string") {
    if (parseQuantity(value)) return { kind: "quantity" };
    const duration = parseGoDuration(value);
    if (duration !== undefined) return { kind: "duration", value: duration };
  }
  throw new FunctionError(name, "invalid operand");
}

/** Go's time.Duration.String, e.g. `1h30m0s`, `1.5s`, `500ms`. */
export function formatGoDuration(nanoseconds: bigint): string {
  if (nanoseconds === 0n) return "0s";
  const negative = nanoseconds < 0n;
  let u = negative ? -nanoseconds : nanoseconds;
  const fraction = (value: bigint, digits: number): [string, bigint] => {
    let text = "";
    let printed = false;
    let v = value;
    for (let i = 0; i < digits; i++) {
      const digit = v % 10n;
      printed = printed || digit !== 0n;
      if (printed) text = digit.toString() + text;
      v /= 10n;
    }
    return [printed ? `.${text}` : "", v];
  };
  let out: string;
  if (u < 1_000_000_000n) {
    if (u < 1_000n) out = `${u}ns`;
    else if (u < 1_000_000n) {
      const [frac, whole] = fraction(u, 3);
      out = `${whole}${frac}\u00b5s`;
    } else {
      const [frac, whole] = fraction(u, 6);
      out = `${whole}${frac}ms`;
    }
  } else {
    const [frac, wholeSeconds] = fraction(u, 9);
    out = `${wholeSeconds % 60n}${frac}s`;
    u = wholeSeconds / 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return negative ? `-${out}` : out;
}

function durationFromSeconds(seconds: number): bigint {
  return BigInt(Math.trunc(seconds * 1e9));
}

function arithmetic(name: string, args: unknown[]): unknown {
  const left = operand(name, args, 0);
  const right = operand(name, args, 1);
  if (left.kind === "quantity" || right.kind === "quantity") {
    throw new FunctionError(name, "quantity arithmetic is not supported by gitops-bot");
  }
  const mismatch = (): never => {
    throw new FunctionError(name, "Types mismatch");
  };
  const zero = (): never => {
    throw new FunctionError(name, "Zero divisor passed");
  };
  switch (name) {
    case "add":
    case "sum":
    case "subtract": {
      const sign = name === "subtract" ? -1 : 1;
      if (left.kind === "scalar" && right.kind === "scalar") return left.value + sign * right.value;
      if (left.kind === "duration" && right.kind === "duration") return formatGoDuration(left.value + BigInt(sign) * right.value);
      return mismatch();
    }
    case "multiply":
      if (left.kind === "scalar" && right.kind === "scalar") return left.value * right.value;
      if (left.kind === "duration" && right.kind === "scalar")
        return formatGoDuration(durationFromSeconds((Number(left.value) / 1e9) * right.value));
      if (left.kind === "scalar" && right.kind === "duration")
        return formatGoDuration(durationFromSeconds((Number(right.value) / 1e9) * left.value));
      return mismatch();
    case "divide":
      if (left.kind === "scalar" && right.kind === "scalar") return right.value === 0 ? zero() : left.value / right.value;
      if (left.kind === "duration" && right.kind === "duration")
        return right.value === 0n ? zero() : Number(left.value) / Number(right.value);
      if (left.kind === "duration" && right.kind === "scalar") {
        return right.value === 0 ? zero() : formatGoDuration(durationFromSeconds(Number(left.value) / 1e9 / right.value));
      }
      return mismatch();
    default: {
      if (left.kind === "scalar" && right.kind === "scalar") {
        if (!Number.isInteger(left.value) || !Number.isInteger(right.value)) {
          throw new FunctionError(name, "Non-integer argument(s) passed for modulo");
        }
        if (right.value === 0) return zero();
        const result = Math.trunc(left.value) % Math.trunc(right.value);
        return result === 0 ? 0 : result;
      }
      if (left.kind === "duration" && right.kind === "duration")
        return right.value === 0n ? zero() : formatGoDuration(left.value % right.value);
      return mismatch();
    }
  }
}

function truncateRunes(text: string, length: number): string {
  const chars = Array.from(text);
  return chars.length <= length ? text : chars.slice(0, length).join("");
}

function canonicalPath(path: string): string {
  if (path === "") return "";
  const absolute = path.startsWith("/");
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!absolute) out.push("..");
    } else out.push(part);
  }
  const joined = out.join("/");
  if (absolute) return `/${joined}`;
  return joined === "" ? "." : joined;
}

function decodeBase64(name: string, text: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new FunctionError(name, "illegal base64 data");
  const binary = atob(text);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

function encodeBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Kyverno's JMESPath extensions that need no cluster, clock or randomness (Kyverno
 * `pkg/engine/jmespath/functions.go`). Functions left out are reported as unsupported.
 */
export const KYVERNO_FUNCTIONS: Record<string, KyvernoFunction> = {
  // Built-ins whose Go behaviour differs from the JavaScript library: numeric sort, deep
  // equality in contains, Go JSON in to_string, strconv.ParseFloat in to_number.
  sort: (args) => {
    const items = args[0];
    if (args.length !== 1 || !Array.isArray(items)) throw new FunctionError("sort", "argument #1 is not of type array");
    if (items.every((v) => typeof v === "number")) return [...items].sort((a, b) => a - b);
    if (items.every((v) => typeof v === "string")) return [...items].sort(compareGoStrings);
    throw new FunctionError("sort", "argument #1 is not of type array[number] or array[string]");
  },
  contains: (args) => {
    if (args.length !== 2) throw new FunctionError("contains", "expected 2 arguments");
    const [subject, search] = args;
    if (typeof subject === "string") return typeof search === "string" && subject.includes(search);
    if (Array.isArray(subject)) return subject.some((item) => deepEqualJson(item, search));
    throw new FunctionError("contains", "argument #1 is not of type array or string");
  },
  to_string: (args) => {
    if (args.length !== 1) throw new FunctionError("to_string", "expected 1 argument");
    return typeof args[0] === "string" ? args[0] : goJsonMarshal(args[0]);
  },
  to_number: (args) => {
    if (args.length !== 1) throw new FunctionError("to_number", "expected 1 argument");
    const [value] = args;
    if (typeof value === "number") return value;
    if (typeof value === "string") return parseGoFloat(value) ?? null;
    return null;
  },
  compare: (args) => {
    const a = stringArg("compare", args, 0);
    const b = stringArg("compare", args, 1);
    return compareGoStrings(a, b);
  },
  equal_fold: (args) => {
    const a = stringArg("equal_fold", args, 0);
    const b = stringArg("equal_fold", args, 1);
    return a.toLowerCase() === b.toLowerCase() || a.toUpperCase() === b.toUpperCase();
  },
  replace: (args) =>
    goReplace(
      stringArg("replace", args, 0),
      stringArg("replace", args, 1),
      stringArg("replace", args, 2),
      Math.trunc(numberArg("replace", args, 3)),
    ),
  replace_all: (args) =>
    stringArg("replace_all", args, 0)
      .split(stringArg("replace_all", args, 1))
      .join(stringArg("replace_all", args, 2)),
  to_upper: (args) => stringArg("to_upper", args, 0).toUpperCase(),
  to_lower: (args) => stringArg("to_lower", args, 0).toLowerCase(),
  trim: (args) => goTrim(stringArg("trim", args, 0), stringArg("trim", args, 1)),
  trim_prefix: (args) => {
    const text = stringArg("trim_prefix", args, 0);
    const prefix = stringArg("trim_prefix", args, 1);
    return text.startsWith(prefix) ? text.slice(prefix.length) : text;
  },
  split: (args) => goSplit(stringArg("split", args, 0), stringArg("split", args, 1)),
  regex_replace_all: (args) => regexReplace("regex_replace_all", args, false),
  regex_replace_all_literal: (args) => regexReplace("regex_replace_all_literal", args, true),
  regex_match: (args) => {
    const regex = compileRegex("regex_match", stringArg("regex_match", args, 0));
    return regex.test(textArg("regex_match", args, 1));
  },
  pattern_match: (args) => matchWildcard(stringArg("pattern_match", args, 0), textArg("pattern_match", args, 1)),
  label_match: (args) => {
    const [labels, match] = args;
    if (!isPlainObject(labels)) throw new FunctionError("label_match", "argument #0 is not of type Object");
    if (!isPlainObject(match)) throw new FunctionError("label_match", "argument #1 is not of type Object");
    return Object.entries(labels).every(([k, v]) => Object.hasOwn(match, k) && deepEqualJson(match[k], v));
  },
  to_boolean: (args) => {
    const text = stringArg("to_boolean", args, 0).toLowerCase();
    if (text === "true") return true;
    if (text === "false") return false;
    throw new FunctionError("to_boolean", `lowercase argument must be 'true' or 'false' (provided: '${String(args[0])}')`);
  },
  add: (args) => arithmetic("add", args),
  subtract: (args) => arithmetic("subtract", args),
  multiply: (args) => arithmetic("multiply", args),
  divide: (args) => arithmetic("divide", args),
  modulo: (args) => arithmetic("modulo", args),
  sum: (args) => {
    const items = args[0];
    if (!Array.isArray(items)) throw new FunctionError("sum", "Types mismatch");
    if (items.length === 0) throw new FunctionError("sum", "at least one element in the array is required");
    return (items as unknown[]).slice(1).reduce((acc: unknown, item) => arithmetic("sum", [acc, item]), items[0] as unknown);
  },
  round: (args) => {
    const value = numberArg("round", args, 0);
    const digits = numberArg("round", args, 1);
    if (!Number.isInteger(digits)) throw new FunctionError("round", "Non-integer argument(s) passed for round off");
    if (digits < 0) throw new FunctionError("round", "1 argument is out of bounds (2)");
    const shift = 10 ** digits;
    // Go's math.Round rounds half away from zero; Math.round rounds half up.
    const scaled = value * shift;
    return (Math.sign(scaled) * Math.round(Math.abs(scaled))) / shift;
  },
  base64_decode: (args) => decodeBase64("base64_decode", stringArg("base64_decode", args, 0)),
  base64_encode: (args) => encodeBase64(stringArg("base64_encode", args, 0)),
  path_canonicalize: (args) => canonicalPath(stringArg("path_canonicalize", args, 0)),
  truncate: (args) => truncateRunes(stringArg("truncate", args, 0), Math.max(0, Math.trunc(numberArg("truncate", args, 1)))),
  semver_compare: (args) => {
    const version = parseSemver(stringArg("semver_compare", args, 0)) ?? { major: 0, minor: 0, patch: 0, pre: [] };
    return satisfiesSemverRange(version, stringArg("semver_compare", args, 1));
  },
  parse_json: (args) => parseText("parse_json", args),
  parse_yaml: (args) => parseText("parse_yaml", args),
  lookup: (args) => {
    const [input, key] = args;
    if (isPlainObject(input)) {
      if (typeof key !== "string") throw new FunctionError("lookup", "argument #2 is not of type String");
      return Object.hasOwn(input, key) ? input[key] : null;
    }
    if (Array.isArray(input)) {
      if (typeof key !== "number") throw new FunctionError("lookup", "argument #2 is not of type Number");
      if (!Number.isInteger(key)) throw new FunctionError("lookup", `argument #2: expected an integer number but got: ${key}`);
      return key < 0 || key > input.length - 1 ? null : (input[key] as unknown);
    }
    throw new FunctionError("lookup", "argument #1 is not of type Object or Array");
  },
  items: (args) => {
    const [input, keyName, valueName] = args;
    if (typeof keyName !== "string") throw new FunctionError("items", "argument #2 is not of type String");
    if (typeof valueName !== "string") throw new FunctionError("items", "argument #3 is not of type String");
    if (isPlainObject(input)) {
      return Object.keys(input)
        .sort(compareGoStrings)
        .map((k) => ({ [keyName]: k, [valueName]: input[k] }));
    }
    if (Array.isArray(input)) return (input as unknown[]).map((v, i) => ({ [keyName]: i, [valueName]: v }));
    throw new FunctionError("items", "argument #1 is not of type Object or Array");
  },
  object_from_lists: (args) => {
    const [keys, values] = args;
    if (!Array.isArray(keys)) throw new FunctionError("object_from_lists", "argument #1 is not of type Array");
    if (!Array.isArray(values)) throw new FunctionError("object_from_lists", "argument #2 is not of type Array");
    const out: Record<string, unknown> = {};
    keys.forEach((key, i) => {
      out[textArg("object_from_lists", [key], 0)] = i < values.length ? values[i] : null;
    });
    return out;
  },
};
