import { own } from "../../own.js";

/**
 * Go `time.ParseDuration`: a sequence of decimal numbers with units (`300ms`, `1.5h`, `2h45m`),
 * optional sign, `0` alone allowed. Returns nanoseconds as a bigint (durations reach 2^63).
 */
const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  "\u00b5s": 1_000n,
  "\u03bcs": 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const MAX_DURATION = 1n << 63n;

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= "0" && ch <= "9";
}

/** Parses a Go duration string, or undefined when Go would return an error. */
export function parseGoDuration(input: string): bigint | undefined {
  let s = input;
  let negative = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    negative = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0n;
  if (s === "") return undefined;
  let total = 0n;
  while (s !== "") {
    if (!(s[0] === "." || isDigit(s[0]))) return undefined;
    let i = 0;
    while (isDigit(s[i])) i++;
    const wholeText = s.slice(0, i);
    s = s.slice(i);
    let fractionText = "";
    if (s[0] === ".") {
      let j = 1;
      while (isDigit(s[j])) j++;
      fractionText = s.slice(1, j);
      s = s.slice(j);
    }
    if (wholeText === "" && fractionText === "") return undefined;
    let u = 0;
    while (u < s.length && !(s[u] === "." || isDigit(s[u]))) u++;
    if (u === 0) return undefined;
    const unit = own(UNITS, s.slice(0, u));
    s = s.slice(u);
    if (unit === undefined) return undefined;
    const whole = wholeText === "" ? 0n : BigInt(wholeText);
    if (whole > MAX_DURATION / unit) return undefined;
    let value = whole * unit;
    if (fractionText !== "") {
      // Go accumulates the fraction as an integer and scales it in float64 arithmetic.
      const digits = fractionText.slice(0, 18);
      const scale = 10 ** digits.length;
      value += BigInt(Math.trunc(Number(digits) * (Number(unit) / scale)));
      if (value > MAX_DURATION) return undefined;
    }
    total += value;
    if (total > MAX_DURATION) return undefined;
  }
  if (!negative && total > MAX_DURATION - 1n) return undefined;
  return negative ? -total : total;
}

/** Seconds as a float, like `time.Duration.Seconds()`. */
export function durationSeconds(nanoseconds: bigint): number {
  const seconds = nanoseconds / 1_000_000_000n;
  const rest = nanoseconds % 1_000_000_000n;
  return Number(seconds) + Number(rest) / 1e9;
}
