import type { PlatformRules } from "../../policy/platform/platform-config.schema.js";
import type { Finding, Manifest } from "../../policy/types.js";
import type { Severity } from "../../problems.js";
import { codeSpan } from "../../report/markdown.js";
import type { FieldPath } from "../../yaml/types.js";
import { objectLabel, PROMETHEUS_RULE_POLICY, validationFinding } from "../validation-finding.js";
import { checkGoTemplate } from "./check-go-template.js";
import { checkPromql } from "./check-promql.js";
import { parsePrometheusDuration } from "./prometheus-duration.js";

type PrometheusRuleChecks = PlatformRules["prometheusRules"];

const ALERT_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// level:metric:operations, as the Prometheus documentation recommends for recording rules.
const RECORD_CONVENTION = /^[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z_][a-zA-Z0-9_]*(:[a-zA-Z0-9_]+)+$/;

/**
 * Checks every judged PrometheusRule the way Prometheus loads it, and lints it in the spirit of
 * pint: each `expr` is valid PromQL (the finding at the exact line and column inside the block
 * scalar), durations parse, names are valid, label and annotation templates parse; then the
 * configurable lint rules (severity label, summary annotation, range functions, `for` ceiling,
 * recording-rule naming). Types and unknown fields are the schema check's.
 */
export function checkPrometheusRules(params: {
  manifests: readonly Manifest[];
  checks: PrometheusRuleChecks;
  isJudged: (file: string) => boolean;
}): Finding[] {
  const findings: Finding[] = [];
  for (const manifest of params.manifests) {
    if (
      !params.isJudged(manifest.file) ||
      manifest.object.kind !== "PrometheusRule" ||
      !String(manifest.object.apiVersion).startsWith("monitoring.coreos.com/")
    )
      continue;
    const groups = record(manifest.object.spec)?.groups;
    if (!Array.isArray(groups)) continue;
    const report = reporter({ manifest, findings });
    groups.forEach((group, groupIndex) => {
      const groupPath: FieldPath = ["spec", "groups", groupIndex];
      const fields = record(group);
      if (!fields) return;
      if (typeof fields.interval === "string" && params.checks.severity !== "off")
        checkDuration({ report, path: [...groupPath, "interval"], value: fields.interval, severity: params.checks.severity });
      const rules = fields.rules;
      if (!Array.isArray(rules)) return;
      rules.forEach((rule, ruleIndex) => {
        const ruleFields = record(rule);
        if (ruleFields) checkRule({ report, path: [...groupPath, "rules", ruleIndex], rule: ruleFields, checks: params.checks });
      });
    });
  }
  return findings;
}

type Report = (finding: {
  rule: string;
  severity: Severity | "off";
  path: FieldPath;
  message: string;
  hint?: string;
  offset?: number;
}) => void;

function reporter(params: { manifest: Manifest; findings: Finding[] }): Report {
  const { manifest } = params;
  const label = objectLabel(manifest);
  return ({ rule, severity, path, message, hint, offset }) => {
    if (severity === "off") return;
    const position = offset === undefined ? undefined : (manifest.positionInValue?.(path, offset) ?? manifest.positionOf(path));
    params.findings.push(
      validationFinding({
        policy: PROMETHEUS_RULE_POLICY,
        rule,
        severity,
        manifest,
        path,
        message: `${label}: ${message}`,
        ...(hint ? { hint } : {}),
        ...(position ? { position } : {}),
      }),
    );
  };
}

function checkRule(params: { report: Report; path: FieldPath; rule: Record<string, unknown>; checks: PrometheusRuleChecks }): void {
  const { report, path, rule, checks } = params;
  const severity = checks.severity;
  const alert = typeof rule.alert === "string" ? rule.alert : undefined;
  const recordName = typeof rule.record === "string" ? rule.record : undefined;
  if (alert !== undefined && recordName !== undefined) {
    report({
      rule: "name",
      severity,
      path: [...path, "record"],
      message: "A rule is either an alert or a recording rule: it has both `alert` and `record`.",
    });
  } else if (alert === undefined && recordName === undefined) {
    report({ rule: "name", severity, path, message: "The rule has neither `alert` nor `record`." });
  }
  if (alert !== undefined && !ALERT_NAME.test(alert)) {
    report({
      rule: "name",
      severity,
      path: [...path, "alert"],
      message: `The alert name ${codeSpan(alert)} is not valid: use letters, digits and underscores, not starting with a digit.`,
    });
  }
  if (recordName !== undefined) {
    if (!METRIC_NAME.test(recordName)) {
      report({
        rule: "name",
        severity,
        path: [...path, "record"],
        message: `The record name ${codeSpan(recordName)} is not a valid metric name.`,
      });
    } else if (!RECORD_CONVENTION.test(recordName)) {
      report({
        rule: "record-name",
        severity: checks.recordNames.severity,
        path: [...path, "record"],
        message: `The record name ${codeSpan(recordName)} does not follow the \`level:metric:operations\` convention.`,
        hint: "Name recording rules like `job:http_requests:rate5m`: the aggregation level, the metric, then the operations applied.",
      });
    }
  }
  if (typeof rule.expr === "string") {
    for (const issue of checkPromql(rule.expr)) {
      report({
        rule: issue.kind,
        severity: issue.kind === "promql" ? severity : checks.rangeFunctions.severity,
        path: [...path, "expr"],
        message: issue.message,
        offset: issue.offset,
        ...(issue.kind === "promql"
          ? { hint: "Prometheus rejects the whole rule group when one expression does not parse, so none of its alerts would fire." }
          : {}),
      });
    }
  }
  for (const field of ["for", "keep_firing_for"] as const) {
    const value = rule[field];
    if (value === undefined) continue;
    if (alert === undefined)
      report({
        rule: "duration",
        severity,
        path: [...path, field],
        message: `\`${field}\` applies to alerts only; a recording rule cannot have it.`,
      });
    if (typeof value === "string") checkDuration({ report, path: [...path, field], value, severity });
  }
  checkTemplates({ report, path, rule, severity });
  if (alert !== undefined) lintAlert({ report, path, rule, checks });
}

function checkDuration(params: { report: Report; path: FieldPath; value: string; severity: Severity | "off" }): void {
  if (parsePrometheusDuration(params.value) !== undefined) return;
  params.report({
    rule: "duration",
    severity: params.severity,
    path: params.path,
    message: `${codeSpan(params.value)} is not a Prometheus duration.`,
    hint: "Write a number and a unit, largest unit first, without spaces or decimals: `30s`, `5m`, `1h30m` (units: ms, s, m, h, d, w, y).",
  });
}

function checkTemplates(params: { report: Report; path: FieldPath; rule: Record<string, unknown>; severity: Severity | "off" }): void {
  for (const field of ["labels", "annotations"] as const) {
    const values = record(params.rule[field]);
    if (!values) continue;
    for (const [name, value] of Object.entries(values)) {
      const path = [...params.path, field, name];
      if (field === "labels" && (!LABEL_NAME.test(name) || name.startsWith("__"))) {
        params.report({ rule: "name", severity: params.severity, path, message: `${codeSpan(name)} is not a valid label name.` });
      }
      if (typeof value !== "string") continue;
      const problem = checkGoTemplate(value);
      if (problem)
        params.report({
          rule: "template",
          severity: params.severity,
          path,
          message: `The template of ${field === "labels" ? "label" : "annotation"} ${codeSpan(name)} does not parse: ${problem.message}`,
          offset: problem.offset,
        });
    }
  }
}

function lintAlert(params: { report: Report; path: FieldPath; rule: Record<string, unknown>; checks: PrometheusRuleChecks }): void {
  const { report, path, rule, checks } = params;
  const labels = record(rule.labels);
  const severityValue = labels?.severity;
  const allowed = checks.severityLabel.values;
  if (typeof severityValue !== "string") {
    report({
      rule: "severity-label",
      severity: checks.severityLabel.severity,
      path: labels ? [...path, "labels"] : [...path, "alert"],
      message: `The alert has no \`severity\` label; use one of ${allowed.map((v) => codeSpan(v)).join(", ")}.`,
      hint: "Alertmanager routes on the severity label: an alert without one may reach nobody.",
    });
  } else if (!allowed.includes(severityValue)) {
    report({
      rule: "severity-label",
      severity: checks.severityLabel.severity,
      path: [...path, "labels", "severity"],
      message: `The severity ${codeSpan(severityValue)} is not one of ${allowed.map((v) => codeSpan(v)).join(", ")}.`,
    });
  }
  const annotations = record(rule.annotations);
  if (typeof annotations?.summary !== "string" || annotations.summary.trim() === "") {
    report({
      rule: "summary-annotation",
      severity: checks.summaryAnnotation.severity,
      path: annotations ? [...path, "annotations"] : [...path, "alert"],
      message: "The alert has no `summary` annotation, so whoever gets paged is not told what is wrong.",
    });
  }
  const forValue = typeof rule.for === "string" ? parsePrometheusDuration(rule.for) : undefined;
  const ceiling = parsePrometheusDuration(checks.forCeiling.max);
  if (forValue !== undefined && ceiling !== undefined && forValue > ceiling) {
    report({
      rule: "for-ceiling",
      severity: checks.forCeiling.severity,
      path: [...path, "for"],
      message: `\`for: ${String(rule.for)}\` is longer than the ${checks.forCeiling.max} this platform allows: the alert would fire too late to act on.`,
    });
  }
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
