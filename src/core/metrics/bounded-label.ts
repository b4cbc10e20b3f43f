/** The label of every value past a label's cap, or of a value that is not a plain name. */
export const OTHER_LABEL = "other";

const NAME = /^[a-z0-9]([a-z0-9_.-]{0,61}[a-z0-9])?$/;

/**
 * Keeps a label's values bounded: a value must look like a Kubernetes-style name (lower case,
 * at most 63 characters), and once `seen` holds `cap` distinct values, new ones become `other`.
 * Policy names come from GitOps repositories, so their number is bounded by people, not by code:
 * the cap bounds it anyway. The caller remembers a returned label that equals the value.
 */
export function boundedLabel(params: { value: string; seen: ReadonlySet<string>; cap: number }): string {
  const { value, seen, cap } = params;
  if (!NAME.test(value)) return OTHER_LABEL;
  if (seen.has(value) || seen.size < cap) return value;
  return OTHER_LABEL;
}
