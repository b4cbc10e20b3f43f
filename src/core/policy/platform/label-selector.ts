import { asRecord, stringRecord } from "./workloads.js";

/** A label selector, read once, ready to test many label sets. */
export type LabelMatcher = (labels: Readonly<Record<string, string>>) => boolean;

/**
 * Compiles a Kubernetes label selector. Accepts both shapes: a plain map (Service `spec.selector`)
 * and a LabelSelector with `matchLabels` and `matchExpressions` (PDB, Deployment). `emptySelects`
 * says what an empty selector means: everything for a PDB in policy/v1, nothing for a Service
 * (which then has manually managed endpoints).
 */
export function compileSelector(selector: unknown, emptySelects: boolean): LabelMatcher {
  return compileIndexedSelector(selector, emptySelects).matches;
}

/**
 * {@link compileSelector}, with a label (key and value) that every label set it matches has as an
 * own entry, when there is one: the first of `matchLabels`. Lets a caller test only the objects
 * that carry that label instead of every object of a namespace.
 */
export function compileIndexedSelector(
  selector: unknown,
  emptySelects: boolean,
): { matches: LabelMatcher; required: readonly [string, string] | undefined } {
  const record = asRecord(selector);
  if (!record) return { matches: () => emptySelects, required: undefined };
  const isLabelSelector = "matchLabels" in record || "matchExpressions" in record;
  const matchLabels = Object.entries(stringRecord(isLabelSelector ? record.matchLabels : record));
  const expressions = (isLabelSelector && Array.isArray(record.matchExpressions) ? record.matchExpressions : []).map(compileExpression);
  if (matchLabels.length === 0 && expressions.length === 0) return { matches: () => emptySelects, required: undefined };
  return {
    matches: (labels) => matchLabels.every(([key, value]) => labels[key] === value) && expressions.every((matches) => matches(labels)),
    required: matchLabels[0],
  };
}

function compileExpression(expression: unknown): LabelMatcher {
  const record = asRecord(expression);
  if (!record || typeof record.key !== "string") return () => false;
  const key = record.key;
  const values = Array.isArray(record.values) ? record.values.map(String) : [];
  switch (record.operator) {
    case "In":
      return (labels) => Object.hasOwn(labels, key) && values.includes(labels[key] ?? "");
    case "NotIn":
      return (labels) => !Object.hasOwn(labels, key) || !values.includes(labels[key] ?? "");
    case "Exists":
      return (labels) => Object.hasOwn(labels, key);
    case "DoesNotExist":
      return (labels) => !Object.hasOwn(labels, key);
    default:
      return () => false;
  }
}

/** Describes a selector for a message: `app=web, tier in (a,b)`. */
export function describeSelector(selector: unknown): string {
  const record = asRecord(selector);
  if (!record) return "(none)";
  const isLabelSelector = "matchLabels" in record || "matchExpressions" in record;
  const parts = Object.entries(stringRecord(isLabelSelector ? record.matchLabels : record)).map(([k, v]) => `${k}=${v}`);
  if (isLabelSelector && Array.isArray(record.matchExpressions)) {
    for (const expression of record.matchExpressions) {
      const e = asRecord(expression);
      if (!e) continue;
      const values = Array.isArray(e.values) ? ` (${e.values.map(String).join(",")})` : "";
      parts.push(`${String(e.key)} ${String(e.operator)}${values}`);
    }
  }
  return parts.length > 0 ? parts.join(", ") : "(empty)";
}
