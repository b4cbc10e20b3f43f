/**
 * Go formatting and parsing rules that Kyverno's results depend on. Kyverno turns numbers into
 * strings before wildcard matching (`strconv.FormatFloat`, `fmt.Sprint`, `%f`) and parses strings
 * with `strconv.ParseInt`/`ParseFloat`; a JavaScript `String(n)` would change which values match.
 */

/** Plain JSON object (what a YAML mapping becomes). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Splits a finite non-zero number into its shortest decimal digits and exponent (d.ddd × 10^exp). */
function shortestDigits(value: number): { negative: boolean; digits: string; exponent: number } {
  const text = Math.abs(value).toExponential();
  const [mantissa = "0", exp = "0"] = text.split("e");
  return { negative: value < 0, digits: mantissa.replace(".", ""), exponent: Number(exp) };
}

function formatExponent(exponent: number): string {
  const sign = exponent < 0 ? "-" : "+";
  const abs = Math.abs(exponent);
  return `${sign}${abs < 10 ? "0" : ""}${abs}`;
}

function specialFloat(value: number): string | undefined {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return undefined;
}

/** `strconv.FormatFloat(v, 'E', -1, 64)`: shortest digits, always exponent form, e.g. `5E+00`. */
export function formatFloatE(value: number): string {
  const special = specialFloat(value);
  if (special !== undefined) return special;
  if (value === 0) return Object.is(value, -0) ? "-0E+00" : "0E+00";
  const { negative, digits, exponent } = shortestDigits(value);
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${negative ? "-" : ""}${mantissa}E${formatExponent(exponent)}`;
}

/** Digits placed around a decimal point at position `exponent + 1` (no exponent notation). */
function plainDecimal(digits: string, exponent: number): string {
  const point = exponent + 1;
  if (point <= 0) return `0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return digits + "0".repeat(point - digits.length);
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** `strconv.FormatFloat(v, 'g', -1, 64)`, which is also what `fmt.Sprint` prints for a float64. */
export function formatFloatG(value: number): string {
  const special = specialFloat(value);
  if (special !== undefined) return special;
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  const { negative, digits, exponent } = shortestDigits(value);
  // Go's %g with shortest precision switches to exponent form below 1e-4 and from 1e21,
  // or sooner when the shortest digits cannot be shown without padding zeros (eprec rule).
  let eprec = 6;
  const decimalPoint = exponent + 1;
  if (eprec > digits.length && digits.length >= decimalPoint) eprec = digits.length;
  const sign = negative ? "-" : "";
  if (exponent < -4 || exponent >= eprec) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${mantissa}e${formatExponent(exponent)}`;
  }
  return sign + plainDecimal(digits, exponent);
}

/** `fmt.Sprintf("%f", v)`: six decimals, never exponent form. */
export function formatFloatFixed6(value: number): string {
  const special = specialFloat(value);
  if (special !== undefined) return special;
  if (Math.abs(value) < 1e21) return value.toFixed(6);
  const { negative, digits, exponent } = shortestDigits(value);
  return `${negative ? "-" : ""}${plainDecimal(digits, exponent)}.000000`;
}

/**
 * `strconv.FormatFloat(v, 'f', -1, 32)`: the shortest decimal that survives a float32 round trip,
 * printed without exponent. Kyverno's JMESPath functions use it to turn numbers into strings.
 */
export function formatFloat32Plain(value: number): string {
  const special = specialFloat(value);
  if (special !== undefined) return special;
  const single = Math.fround(value);
  if (single === 0) return "0";
  for (let precision = 1; precision <= 9; precision++) {
    const candidate = single.toPrecision(precision);
    if (Math.fround(Number(candidate)) === single) {
      const { negative, digits, exponent } = shortestDigits(Number(candidate));
      return (negative ? "-" : "") + plainDecimal(digits.replace(/0+$/, "") || "0", exponent);
    }
  }
  return String(single);
}

/** `fmt.Sprint(v)` (`%v`) for JSON-like values, as Kyverno stringifies operands. */
export function goSprint(value: unknown): string {
  if (value === null || value === undefined) return "<nil>";
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return formatFloatG(value);
  if (Array.isArray(value)) return `[${value.map(goSprint).join(" ")}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort(compareGoStrings);
    return `map[${keys.map((k) => `${k}:${goSprint(value[k])}`).join(" ")}]`;
  }
  return String(value);
}

/** Go's `<` on strings compares bytes; UTF-16 order only differs outside the BMP, rare in keys. */
export function compareGoStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function goJsonString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    // encoding/json escapes HTML-significant characters and the JavaScript line separators.
    else if (code < 0x20 || ch === "<" || ch === ">" || ch === "&" || code === 0x2028 || code === 0x2029) {
      out += `\\u${code.toString(16).padStart(4, "0")}`;
    } else out += ch;
  }
  return `${out}"`;
}

/** `json.Marshal` as Go does it: object keys sorted, HTML characters escaped. */
export function goJsonMarshal(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return goJsonString(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return Number.isFinite(value) ? JSON.stringify(value) : "null";
  if (Array.isArray(value)) return `[${value.map(goJsonMarshal).join(",")}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort(compareGoStrings);
    return `{${keys.map((k) => `${goJsonString(k)}:${goJsonMarshal(value[k])}`).join(",")}}`;
  }
  return "null";
}

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** `strconv.ParseInt(s, 10, 64)`: optional sign and decimal digits only, within int64. */
export function parseGoInt(text: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const big = BigInt(text);
  if (big > INT64_MAX || big < INT64_MIN) return undefined;
  return Number(big);
}

/**
 * `strconv.ParseFloat(s, 64)`: decimal or hex float syntax, `inf`/`infinity`/`nan` in any case,
 * underscores only between digits of base-prefixed numbers. Out-of-range values are errors.
 */
export function parseGoFloat(text: string): number | undefined {
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(text);
  if (special) {
    if (special[2]?.toLowerCase() === "nan") return Number.NaN;
    return special[1] === "-" ? -Infinity : Infinity;
  }
  if (/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(text)) {
    const value = Number(text);
    return Number.isFinite(value) ? value : undefined;
  }
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?[0-9]+)$/.exec(text);
  if (hex && (hex[2] !== "" || hex[3] !== "")) {
    const mantissa = parseInt(`${hex[2] ?? ""}${hex[3] ?? ""}` || "0", 16);
    const value = mantissa * 2 ** (Number(hex[4]) - 4 * (hex[3] ?? "").length);
    if (!Number.isFinite(value)) return undefined;
    return hex[1] === "-" ? -value : value;
  }
  return undefined;
}

/** `%T`-like type names used in Kyverno's error messages. */
export function goTypeName(value: unknown): string {
  if (value === null || value === undefined) return "<nil>";
  if (typeof value === "string") return "string";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return "float64";
  if (Array.isArray(value)) return "[]interface {}";
  if (isPlainObject(value)) return "map[string]interface {}";
  return typeof value;
}

/** `reflect.DeepEqual` over JSON-like values. */
export function deepEqualJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined) return b === null;
  if (b === undefined) return a === null;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => deepEqualJson(item, b[i]));
  }
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const keysA = Object.keys(a);
    if (keysA.length !== Object.keys(b).length) return false;
    return keysA.every((k) => Object.hasOwn(b, k) && deepEqualJson(a[k], b[k]));
  }
  return false;
}
