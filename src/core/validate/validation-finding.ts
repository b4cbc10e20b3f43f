import { formatPath, type Severity } from "../problems.js";
import type { Finding, Manifest } from "../policy/types.js";
import type { FieldPath, SourcePosition } from "../yaml/types.js";

/** Policy names of the validation checks: `schema/unknown-field`, `prometheus-rule/promql`, … */
export const SCHEMA_POLICY = "schema";
export const PROMETHEUS_RULE_POLICY = "prometheus-rule";
export const GRAFANA_DASHBOARD_POLICY = "grafana-dashboard";

/** Builds a finding at `path` of a manifest (its parent when missing), or at an explicit position inside a value: validation checks and platform rules alike. */
export function validationFinding(params: {
  policy: string;
  rule: string;
  severity: Severity;
  manifest: Manifest;
  path: FieldPath;
  message: string;
  hint?: string;
  position?: SourcePosition;
}): Finding {
  const position = params.position ?? params.manifest.positionOf(params.path);
  return {
    policy: params.policy,
    rule: params.rule,
    severity: params.severity,
    file: params.manifest.file,
    line: position.line,
    column: position.column,
    path: formatPath(params.path),
    message: params.message,
    ...(params.hint === undefined ? {} : { hint: params.hint }),
  };
}

/** A manifest's `Kind "name"` label, as every finding message starts. */
export function objectLabel(manifest: Manifest): string {
  const metadata = manifest.object.metadata;
  const name =
    typeof metadata === "object" && metadata !== null && typeof (metadata as Record<string, unknown>).name === "string"
      ? ((metadata as Record<string, unknown>).name as string)
      : "";
  const kind = typeof manifest.object.kind === "string" ? manifest.object.kind : "object";
  return `${kind} "${name}"`;
}

/** One-line descriptions of the validation rules, keyed `policy/rule` (SARIF rule metadata). */
export const VALIDATION_RULE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  "schema/wrong-type": "Every field has the type the Kubernetes schema gives it",
  "schema/unknown-field": "Every field is one the Kubernetes schema declares (the API server rejects or drops others)",
  "schema/enum": "Fields with a fixed set of values use one of them",
  "schema/required": "Fields the Kubernetes schema requires are present",
  "schema/invalid-value": "Values meet the schema's formats and bounds",
  "schema/no-schema": "Objects of kinds without a known schema are not validated",
  "prometheus-rule/promql": "Every rule expression is valid PromQL",
  "prometheus-rule/duration": "`for`, `keep_firing_for` and `interval` are Prometheus durations",
  "prometheus-rule/name": "Alert, record and group names are valid",
  "prometheus-rule/record-name": "Recording rule names follow `level:metric:operations`",
  "prometheus-rule/template": "Annotation and label templates parse",
  "prometheus-rule/severity-label": "Every alert has a `severity` label from the allowed set",
  "prometheus-rule/summary-annotation": "Every alert has a `summary` annotation",
  "prometheus-rule/range-function": "rate(), increase() and other range functions get a range vector",
  "prometheus-rule/for-ceiling": "An alert's `for` stays below the configured ceiling",
  "grafana-dashboard/json": "Dashboards are valid JSON objects",
  "grafana-dashboard/uid": "Every dashboard has a `uid`, unique across the repository",
  "grafana-dashboard/promql": "Every Prometheus query of a dashboard is valid PromQL",
};
