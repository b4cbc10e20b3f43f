import { parseQuantity as parsePlatformQuantity } from "../../src/core/policy/platform/quantity.js";

/** Converts a Kubernetes quantity (`250m`, `1`, `512Mi`) to a plain number, so sizes can be compared. */
export function parseQuantity(value: unknown): number {
  const parsed = parsePlatformQuantity(value);
  if (parsed === undefined) throw new Error(`not a quantity: ${String(value)}`);
  return parsed;
}
