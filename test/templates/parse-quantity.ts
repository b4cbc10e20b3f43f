const SUFFIX: Record<string, number> = { m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

/** Converts a Kubernetes quantity (`250m`, `1`, `512Mi`) to a plain number, so sizes can be compared. */
export function parseQuantity(value: unknown): number {
  const match = /^([0-9.]+)([a-zA-Z]*)$/.exec(String(value));
  const factor = match ? SUFFIX[match[2] ?? ""] : undefined;
  if (!match || factor === undefined) throw new Error(`not a quantity: ${String(value)}`);
  return Number(match[1]) * factor;
}
