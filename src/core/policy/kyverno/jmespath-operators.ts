import { deepEqualJson } from "./go-format.js";
import { JmesPathError } from "./jmespath-errors.js";

/** The value operators of JMESPath: slices, comparators and arithmetic. */

/** A slice's `[start:stop:step]`, each null when left out. */
export interface SliceBounds {
  start: number | null;
  stop: number | null;
  step: number | null;
}

/** JMESPath's slice of a list, or of a string by code points; null for anything else. */
export function sliceValue(slice: SliceBounds, value: unknown): unknown {
  const isText = typeof value === "string";
  if (!Array.isArray(value) && !isText) return null;
  const items: unknown[] = isText ? Array.from(value) : value;
  const step = slice.step ?? 1;
  if (step === 0) throw new JmesPathError("slice step cannot be 0");
  const cap = (n: number): number => {
    if (n < 0) {
      const shifted = n + items.length;
      return shifted < 0 ? (step < 0 ? -1 : 0) : shifted;
    }
    return n >= items.length ? (step < 0 ? items.length - 1 : items.length) : n;
  };
  const start = slice.start === null ? (step < 0 ? items.length - 1 : 0) : cap(slice.start);
  const stop = slice.stop === null ? (step < 0 ? -1 : items.length) : cap(slice.stop);
  const out: unknown[] = [];
  if (step > 0) for (let i = start; i < stop; i += step) out.push(items[i]);
  else for (let i = start; i > stop; i += step) out.push(items[i]);
  return isText ? out.join("") : out;
}

/** A JMESPath comparator (`==`, `<`...): order only between numbers, null otherwise. */
export function compareValues(op: string, left: unknown, right: unknown): unknown {
  if (op === "EQ") return deepEqualJson(left, right);
  if (op === "NE") return !deepEqualJson(left, right);
  if (typeof left !== "number" || typeof right !== "number") return null;
  switch (op) {
    case "GT":
      return left > right;
    case "GTE":
      return left >= right;
    case "LT":
      return left < right;
    case "LTE":
      return left <= right;
    default:
      return null;
  }
}

/** JMESPath arithmetic (`+`, `//`...) on two numbers. */
export function arithmetic(op: string, left: unknown, right: unknown): number {
  if (typeof left !== "number" || typeof right !== "number") throw new JmesPathError("invalid operands for arithmetic");
  switch (op) {
    case "Plus":
      return left + right;
    case "Minus":
      return left - right;
    case "Multiply":
    case "Star":
      return left * right;
    case "Divide":
      return left / right;
    case "Modulo":
      return left % right;
    case "Div":
      return Math.floor(left / right);
    default:
      throw new JmesPathError(`unknown arithmetic operator ${op}`);
  }
}
