import { parseQuantity as parseExactQuantity } from "../kyverno/quantity.js";

/**
 * Kubernetes resource quantities (`500m`, `1.5`, `512Mi`, `1G`, `2e3`) as plain numbers in base
 * units: cores for CPU, bytes for memory. Platform rules compare and add them, so they are parsed
 * once, by value, the way the API server reads them.
 */

/**
 * Parses a quantity into base units, or returns undefined when it is not a valid quantity.
 * Numbers are taken as they are (YAML `cpu: 2` is a number, not a string). The grammar is the
 * Kyverno engine's exact apimachinery parser, so both judge the same text the same way.
 */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string") return undefined;
  const known = inBaseUnits.get(value);
  if (known !== undefined) return Number.isNaN(known) ? undefined : known;
  const exact = parseExactQuantity(value.trim());
  const parsed = exact === undefined ? undefined : Number(exact.numerator) / Number(exact.denominator);
  // Every workload's containers repeat the same few amounts: each text is converted once per process.
  if (inBaseUnits.size >= MAX_REMEMBERED) inBaseUnits.clear();
  inBaseUnits.set(value, parsed ?? Number.NaN);
  return parsed;
}

/** Texts already converted, NaN for the invalid ones; bounded so endless distinct input cannot grow it. */
const inBaseUnits = new Map<string, number>();
const MAX_REMEMBERED = 4096;

/** Formats CPU cores for a message: `250m`, `1.5`. */
export function formatCpu(cores: number): string {
  const millis = Math.round(cores * 1000);
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** Formats bytes for a message in the largest binary unit that keeps one decimal: `512Mi`, `1.5Gi`. */
export function formatMemory(bytes: number): string {
  const units = ["Ei", "Pi", "Ti", "Gi", "Mi", "Ki"] as const;
  for (const [index, unit] of units.entries()) {
    const factor = 2 ** (10 * (units.length - index));
    if (bytes >= factor) {
      const value = Math.round((bytes / factor) * 10) / 10;
      return `${value}${unit}`;
    }
  }
  return String(Math.round(bytes));
}
