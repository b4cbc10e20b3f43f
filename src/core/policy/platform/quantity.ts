/**
 * Kubernetes resource quantities (`500m`, `1.5`, `512Mi`, `1G`, `2e3`) as plain numbers in base
 * units: cores for CPU, bytes for memory. Platform rules compare and add them, so they are parsed
 * once, by value, the way the API server reads them.
 */

const SUFFIX_FACTORS: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/;

/**
 * Parses a quantity into base units, or returns undefined when it is not a valid quantity.
 * Numbers are taken as they are (YAML `cpu: 2` is a number, not a string).
 */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string") return undefined;
  const match = QUANTITY.exec(value.trim());
  if (!match) return undefined;
  const base = Number(match[1]);
  if (match[2] !== undefined) return base * 10 ** Number(match[2].slice(1));
  const factor = SUFFIX_FACTORS[match[3] ?? ""];
  return factor === undefined ? undefined : base * factor;
}

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
