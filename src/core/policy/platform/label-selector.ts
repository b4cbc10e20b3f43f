import { asRecord, stringRecord } from "./workloads.js";

/**
 * True when a Kubernetes label selector selects the labels. Accepts both shapes: a plain map
 * (Service `spec.selector`) and a LabelSelector with `matchLabels` and `matchExpressions`
 * (PDB, Deployment). `emptySelects` says what an empty selector means: everything for a PDB in
 * policy/v1, nothing for a Service (which then has manually managed endpoints).
 */
export function matchesSelector(selector: unknown, labels: Readonly<Record<string, string>>, emptySelects: boolean): boolean {
  const record = asRecord(selector);
  if (!record) return emptySelects;
  const isLabelSelector = "matchLabels" in record || "matchExpressions" in record;
  const matchLabels = stringRecord(isLabelSelector ? record.matchLabels : record);
  const expressions = isLabelSelector && Array.isArray(record.matchExpressions) ? record.matchExpressions : [];
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) return emptySelects;
  for (const [key, value] of Object.entries(matchLabels)) {
    if (labels[key] !== value) return false;
  }
  return expressions.every((expression) => matchesExpression(expression, labels));
}

function matchesExpression(expression: unknown, labels: Readonly<Record<string, string>>): boolean {
  const record = asRecord(expression);
  if (!record || typeof record.key !== "string") return false;
  const values = Array.isArray(record.values) ? record.values.map(String) : [];
  const has = Object.hasOwn(labels, record.key);
  const value = labels[record.key];
  switch (record.operator) {
    case "In":
      return has && value !== undefined && values.includes(value);
    case "NotIn":
      return !has || (value !== undefined && !values.includes(value));
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
    default:
      return false;
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
