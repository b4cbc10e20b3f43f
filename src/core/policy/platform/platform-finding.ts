import type { Severity } from "../../problems.js";
import { validationFinding } from "../../validate/validation-finding.js";
import type { FieldPath } from "../../yaml/types.js";
import type { Finding, Manifest } from "../types.js";

/** Every platform rule reports under this policy name, with the rule telling which check fired. */
export const PLATFORM_POLICY = "platform";

/** Builds a platform finding positioned at `path` in the manifest (its parent when missing). */
export function platformFinding(params: {
  manifest: Manifest;
  path: FieldPath;
  rule: string;
  severity: Severity;
  message: string;
  hint?: string;
}): Finding {
  return validationFinding({ policy: PLATFORM_POLICY, ...params });
}

/** Builds a platform finding about a whole file (a path with no manifest, such as a deleted file). */
export function fileFinding(params: { file: string; rule: string; severity: Severity; message: string; hint?: string }): Finding {
  return {
    policy: PLATFORM_POLICY,
    rule: params.rule,
    severity: params.severity,
    file: params.file,
    line: 1,
    column: 1,
    path: "",
    message: params.message,
    ...(params.hint === undefined ? {} : { hint: params.hint }),
  };
}

/** One-line descriptions of the platform rules, keyed `platform/<rule>` (SARIF rule metadata). */
export const PLATFORM_RULE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  "platform/size-ceiling": "Replicas, CPU and memory stay within the largest size the environment allows",
  "platform/namespace-ownership": "A team changes only its own folders and namespaces",
  "platform/team-quota": "A team's total requests across the repository stay within its quota",
  "platform/service-selector": "A Service selects at least one workload",
  "platform/ingress-backend": "An Ingress routes to an existing Service and port",
  "platform/hpa-target": "A HorizontalPodAutoscaler scales an existing workload",
  "platform/pdb-target": "A PodDisruptionBudget protects at least one workload",
  "platform/argocd-path": "An Argo CD Application syncs a folder that exists in the repository",
  "platform/deprecated-api": "Objects use API versions the target Kubernetes version serves",
  "platform/require-pdb": "Replicated production workloads are covered by a PodDisruptionBudget",
};
