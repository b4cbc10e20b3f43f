import { isPlainObject } from "./go-format.js";
import { expandedMetadataKey, planCopyAs } from "./pattern-plan.js";

/**
 * A copy of a pattern for a walk that may expand its metadata in place (the compiled pattern must
 * stay as written), equal to a deep copy for the walk. The walk only ever writes into the metadata
 * maps it expands: those are copied, with every list and map on the way to them; the rest is
 * shared. A pattern that holds one list or map in two places (a YAML alias) is copied whole, as
 * `structuredClone` copies it, so a write through one place still shows through the other.
 */
export function copyPattern(pattern: unknown): unknown {
  if (typeof pattern !== "object" || pattern === null) return pattern;
  let plan = copyPlans.get(pattern);
  if (!plan) copyPlans.set(pattern, (plan = planCopy(pattern)));
  return plan === "whole" ? structuredClone(pattern) : copyWritable(pattern, plan);
}

/** The maps a walk may expand, and the lists and maps on the way to them. */
interface CopyPlan {
  copied: Set<object>;
  expanded: Set<object>;
}

const copyPlans = new WeakMap<object, CopyPlan | "whole">();

function planCopy(root: object): CopyPlan | "whole" {
  const seen = new Set<object>();
  const plan: CopyPlan = { copied: new Set(), expanded: new Set() };
  let aliased = false;
  // Whether the node is copied: it is expanded, or leads to what is.
  const visit = (node: unknown): boolean => {
    if (typeof node !== "object" || node === null) return false;
    if (seen.has(node)) {
      aliased = true;
      return false;
    }
    seen.add(node);
    let leads = false;
    if (Array.isArray(node)) {
      for (const item of node) if (visit(item)) leads = true;
    } else if (isPlainObject(node)) {
      for (const key of Object.keys(node)) if (visit(node[key])) leads = true;
      const metadataKey = expandedMetadataKey(node);
      const metadata = metadataKey === undefined ? undefined : node[metadataKey];
      if (isPlainObject(metadata)) {
        plan.expanded.add(metadata);
        plan.copied.add(metadata);
        leads = true;
      }
    }
    if (leads) plan.copied.add(node);
    return leads;
  };
  visit(root);
  return aliased ? "whole" : plan;
}

function copyWritable(node: unknown, plan: CopyPlan): unknown {
  if (typeof node !== "object" || node === null || !plan.copied.has(node)) return node;
  if (Array.isArray(node)) return node.map((item) => copyWritable(item, plan));
  const source = node as Record<string, unknown>;
  const map: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    const value = copyWritable(source[key], plan);
    if (key === "__proto__") Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
    else map[key] = value;
  }
  // The copy orders as its original, except an expanded map, which a fresh copy always ordered
  // when the walk reached it, after the expansion.
  planCopyAs(map, source, !plan.expanded.has(node));
  return map;
}
