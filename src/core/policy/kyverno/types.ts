/** A JSON object as read from YAML. */
export type JsonObject = Record<string, unknown>;

/**
 * A Kyverno ClusterPolicy or Policy accepted by {@link parseKyvernoPolicy}. Rules stay in their raw
 * JSON form because pod controller autogen rewrites them as JSON, exactly as Kyverno does.
 */
export interface KyvernoPolicy {
  file: string;
  kind: "ClusterPolicy" | "Policy";
  name: string;
  /** Set for a namespaced `Policy`: it only applies to resources in this namespace. */
  namespace?: string;
  annotations: Readonly<Record<string, string>>;
  /** `spec.validationFailureAction` (or `spec.failureAction`), defaulting to Audit. */
  failureAction: "Audit" | "Enforce";
  /** `spec.applyRules`: with One, evaluation stops after the first rule that applied. */
  applyRules: "All" | "One";
  /** `spec.rules` as written. */
  rules: readonly JsonObject[];
  /** Names of rules that use unsupported features: they (and their autogen rules) are not evaluated. */
  skippedRules: ReadonlySet<string>;
}
