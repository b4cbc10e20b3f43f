import { own } from "../../own.js";

/**
 * Kubernetes resource quantities (`500m`, `1Gi`, `1e3`) parsed exactly as
 * `k8s.io/apimachinery/pkg/api/resource.ParseQuantity` accepts them, kept as exact fractions so
 * `1Gi` equals `1024Mi` and `0.5` equals `500m`.
 */
export interface Quantity {
  /** Value = numerator / denominator; denominator is always positive. */
  numerator: bigint;
  denominator: bigint;
}

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const SUFFIX_CHARS = "eEinumkKMGTP";
const NANO = 1_000_000_000n;
const MAX_BINARY = 9223372036854775807n;

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= "0" && ch <= "9";
}

interface QuantityParts {
  negative: boolean;
  value: string;
  whole: string;
  fraction: string;
  suffix: string;
}

/** Splits `[sign]digits[.digits][suffix]` the way apimachinery's parseQuantityString does. */
function splitQuantity(text: string): QuantityParts | undefined {
  let pos = 0;
  const end = text.length;
  let negative = false;
  if (text[0] === "-") {
    negative = true;
    pos++;
  } else if (text[0] === "+") pos++;
  let i = pos;
  while (i < end && isDigit(text[i])) i++;
  const whole = text.slice(pos, i);
  if (i >= end) return { negative, value: text, whole, fraction: "", suffix: "" };
  pos = i;
  let fraction = "";
  if (text[pos] === ".") {
    pos++;
    let j = pos;
    while (j < end && isDigit(text[j])) j++;
    fraction = text.slice(pos, j);
    if (j >= end) return { negative, value: text, whole, fraction, suffix: "" };
    pos = j;
  }
  const value = text.slice(0, pos);
  const suffixStart = pos;
  let k = pos;
  while (k < end && SUFFIX_CHARS.includes(text[k] ?? "")) k++;
  if (k >= end) return { negative, value, whole, fraction, suffix: text.slice(suffixStart) };
  pos = k;
  if (text[pos] === "-" || text[pos] === "+") pos++;
  let m = pos;
  while (m < end && isDigit(text[m])) m++;
  if (m >= end) return { negative, value, whole, fraction, suffix: text.slice(suffixStart) };
  return undefined;
}

function interpretSuffix(suffix: string): { base: 2 | 10; exponent: number } | undefined {
  const decimal = own(DECIMAL_SUFFIXES, suffix);
  if (decimal !== undefined) return { base: 10, exponent: decimal };
  const binary = own(BINARY_SUFFIXES, suffix);
  if (binary !== undefined) return { base: 2, exponent: binary };
  if (suffix.length > 1 && (suffix[0] === "e" || suffix[0] === "E")) {
    const digits = suffix.slice(1);
    if (!/^[+-]?[0-9]+$/.test(digits)) return undefined;
    const exponent = Number(digits);
    // The exponent is converted to int32 by apimachinery; anything beyond is meaningless.
    if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 2147483647) return undefined;
    return { base: 10, exponent };
  }
  return undefined;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function normalize(numerator: bigint, denominator: bigint): Quantity {
  const divisor = gcd(numerator, denominator) || 1n;
  return { numerator: numerator / divisor, denominator: denominator / divisor };
}

// Manifests repeat a handful of quantities (`100m`, `128Mi`) thousands of times, and BigInt
// arithmetic is dear: each text is parsed once per process. Bounded, so endless distinct input
// cannot grow it; results are frozen, since every caller shares them.
const MAX_REMEMBERED = 4096;
const remembered = new Map<string, Readonly<Quantity> | null>();

/** Parses a quantity, or undefined when apimachinery would reject it. The result is shared: read it, never change it. */
export function parseQuantity(text: string): Readonly<Quantity> | undefined {
  const known = remembered.get(text);
  if (known !== undefined) return known ?? undefined;
  const parsed = parseFresh(text);
  if (remembered.size >= MAX_REMEMBERED) remembered.clear();
  remembered.set(text, parsed ? Object.freeze(parsed) : null);
  return parsed;
}

function parseFresh(text: string): Quantity | undefined {
  if (text.length === 0) return undefined;
  if (text === "0") return { numerator: 0n, denominator: 1n };
  const parts = splitQuantity(text);
  if (!parts) return undefined;
  const unit = interpretSuffix(parts.suffix);
  if (!unit) return undefined;
  if (parts.whole === "" && parts.fraction === "") return undefined;
  // Guard against absurd exponents (`1e999999999`) that would allocate huge integers.
  if (unit.base === 10 && Math.abs(unit.exponent) > 1000) return undefined;
  let numerator = BigInt(parts.whole + parts.fraction);
  let denominator = 10n ** BigInt(parts.fraction.length);
  if (unit.base === 10) {
    if (unit.exponent >= 0) numerator *= 10n ** BigInt(unit.exponent);
    else denominator *= 10n ** BigInt(-unit.exponent);
  } else {
    numerator *= 2n ** BigInt(unit.exponent);
  }
  // Non-zero amounts are rounded up (away from zero) to the nearest nano unit.
  if (numerator !== 0n) {
    const scaled = numerator * NANO;
    let nanos = scaled / denominator;
    if (nanos * denominator !== scaled) nanos += 1n;
    numerator = nanos;
    denominator = NANO;
  }
  if (unit.base === 2 && numerator > MAX_BINARY * denominator) {
    numerator = MAX_BINARY;
    denominator = 1n;
  }
  if (parts.negative) numerator = -numerator;
  return normalize(numerator, denominator);
}

/** -1, 0 or 1 as `Quantity.Cmp`. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const left = a.numerator * b.denominator;
  const right = b.numerator * a.denominator;
  return left < right ? -1 : left > right ? 1 : 0;
}
