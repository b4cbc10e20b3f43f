import { describe, expect, it } from "vitest";
import { sortFindings } from "../../../src/core/policy/evaluate.js";
import { loadManifests } from "../../../src/core/manifests/load-manifests.js";
import { PlatformRulesSchema } from "../../../src/core/policy/platform/platform-config.schema.js";
import { checkGoTemplate } from "../../../src/core/validate/promql/check-go-template.js";
import { checkPromql } from "../../../src/core/validate/promql/check-promql.js";
import { checkPrometheusRules } from "../../../src/core/validate/promql/check-prometheus-rules.js";
import { parsePrometheusDuration } from "../../../src/core/validate/promql/prometheus-duration.js";

const CHECKS = PlatformRulesSchema.parse(undefined).prometheusRules;

function check(rules: string, checks = CHECKS) {
  const text = `apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: { name: web }
spec:
  groups:
    - name: web
      interval: 1m
      rules:
${rules}`;
  const { manifests, problems } = loadManifests({ files: [{ path: "rules.yaml", text }] });
  expect(problems).toEqual([]);
  return checkPrometheusRules({ manifests, checks, isJudged: () => true });
}

const GOOD_ALERT = `        - alert: HighErrorRate
          expr: |
            sum(rate(http_requests_total{code=~"5.."}[5m]))
              / sum(rate(http_requests_total[5m])) > 0.05
          for: 10m
          labels: { severity: critical }
          annotations:
            summary: Too many errors.
            description: '{{ $value | humanizePercentage }} of requests to {{ $labels.job }} failed.'
`;

describe("checkPrometheusRules", () => {
  it("a well-formed alert has no findings", () => {
    expect(check(GOOD_ALERT)).toEqual([]);
  });

  it("a PromQL syntax error is reported at its exact line and column inside the block scalar", () => {
    const findings = check(GOOD_ALERT.replace("/ sum(rate(http_requests_total[5m])) > 0.05", "/ sum(rate(http_requests_total[5m]) > 0.05"));
    expect(findings).toEqual([
      expect.objectContaining({
        policy: "prometheus-rule",
        rule: "promql",
        severity: "error",
        path: "spec.groups[0].rules[0].expr",
        line: 12,
        column: 57,
      }),
    ]);
    expect(findings[0]?.message).toContain("ends too early");
  });

  it("a syntax error on the first line of the expression points at the token", () => {
    const findings = check(
      GOOD_ALERT.replace('sum(rate(http_requests_total{code=~"5.."}[5m]))', 'sum(rate(http_requests_total{code=~"5.."}[5m])) )'),
    );
    expect(findings).toEqual([expect.objectContaining({ rule: "promql", line: 11, column: 61 })]);
  });

  it.each([
    ["for", "for: 10m", "for: 5x", 13],
    ["keep_firing_for", "for: 10m", "for: 10m\n          keep_firing_for: 1.5h", 14],
  ])("an invalid %s duration is reported", (_field, from, to, line) => {
    const findings = check(GOOD_ALERT.replace(from, to));
    expect(findings).toEqual([expect.objectContaining({ rule: "duration", severity: "error", line })]);
  });

  it("an invalid group interval is reported", () => {
    const text = check(GOOD_ALERT).length;
    expect(text).toBe(0);
    const { manifests } = loadManifests({
      files: [
        {
          path: "r.yaml",
          text: "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: { name: a }\nspec:\n  groups:\n    - name: a\n      interval: 1 minute\n      rules: []\n",
        },
      ],
    });
    expect(checkPrometheusRules({ manifests, checks: CHECKS, isJudged: () => true })).toEqual([
      expect.objectContaining({ rule: "duration", line: 7, path: "spec.groups[0].interval" }),
    ]);
  });

  it("names: an invalid alert name is an error, a record name off the convention a warning", () => {
    const findings = check(`${GOOD_ALERT.replace("HighErrorRate", "High-Error-Rate")}        - record: http_requests_rate5m
          expr: sum(rate(http_requests_total[5m]))
        - record: job:http_requests:rate5m
          expr: sum by (job) (rate(http_requests_total[5m]))
`);
    expect(findings.map((f) => [f.rule, f.severity, f.line])).toEqual([
      ["name", "error", 9],
      ["record-name", "warning", 18],
    ]);
  });

  it("label and annotation templates must parse", () => {
    const findings = check(GOOD_ALERT.replace("{{ $labels.job }} failed", "{{ $labels.job failed"));
    expect(findings).toEqual([
      expect.objectContaining({ rule: "template", line: 17, path: "spec.groups[0].rules[0].annotations.description" }),
    ]);
  });

  it("lint: severity label from the allowed set, summary annotation, range functions, for ceiling", () => {
    const findings = check(`        - alert: NoSeverity
          expr: rate(http_requests_total) > 1
          for: 2h
          labels: { severity: page }
`);
    expect(sortFindings(findings).map((f) => [f.rule, f.severity, f.line, f.column])).toEqual([
      ["summary-annotation", "warning", 9, 11],
      ["range-function", "error", 10, 22],
      ["for-ceiling", "warning", 11, 11],
      ["severity-label", "warning", 12, 21],
    ]);
  });

  it("each lint rule can be switched off; `severity: off` switches every check off", () => {
    const rules = `        - alert: Quiet\n          expr: up == 0\n`;
    expect(check(rules).map((f) => f.rule)).toEqual(["severity-label", "summary-annotation"]);
    const quiet = PlatformRulesSchema.parse({
      prometheusRules: { severityLabel: { severity: "off" }, summaryAnnotation: { severity: "off" } },
    }).prometheusRules;
    expect(check(rules, quiet)).toEqual([]);
  });
});

describe("checkPrometheusRules: bounded on hostile input (issue 11 point 5)", () => {
  it("a rule whose expr is 1 MB is one finding at that expr, not a parse of it", () => {
    const findings = check(`        - record: job:up:sum\n          expr: ${"up + ".repeat(200_000)}up\n`);
    expect(findings).toEqual([expect.objectContaining({ policy: "prometheus-rule", rule: "promql", severity: "error", line: 10 })]);
    expect(findings[0]?.message).toContain("characters long");
  });

  it("a rule whose expr nests brackets 1,000 deep is one finding at the bracket that goes too deep", () => {
    const findings = check(`        - record: job:up:sum\n          expr: ${"(".repeat(1_000)}up${")".repeat(1_000)}\n`);
    expect(findings).toEqual([expect.objectContaining({ rule: "promql", line: 10, column: 17 + 64 })]);
    expect(findings[0]?.message).toContain("nests brackets more than 64 deep");
  });
});

describe("checkPromql: bounded on hostile input", () => {
  it("a 1 MB expression is one finding, at once", () => {
    const started = performance.now();
    const issues = checkPromql("up + ".repeat(200_000));
    expect(issues).toEqual([expect.objectContaining({ kind: "promql", offset: 0 })]);
    // Refused by its length before any parse (the message says so); the time is printed, not
    // asserted, so that a loaded machine cannot fail it.
    expect(issues[0]?.message).toContain("characters long");
    console.log(`checkPromql refused a 1 MB expression in ${(performance.now() - started).toFixed(1)} ms`);
  });

  it("a deeply nested query is one finding at the bracket that goes too deep", () => {
    const issues = checkPromql(`${"(".repeat(1_000)}up${")".repeat(1_000)}`);
    expect(issues).toEqual([expect.objectContaining({ kind: "promql", offset: 64 })]);
  });

  it("brackets inside strings do not count as nesting", () => {
    expect(checkPromql(`up{job="${"(".repeat(200)}"}`)).toEqual([]);
  });

  it.each([
    ["rate(x[5m])", []],
    ["quantile_over_time(0.9, x[5m])", []],
    ["quantile_over_time(0.9, x)", ["range-function"]],
    ["rate((x[5m]))", []],
    ["rate(x[5m:1m])", []],
    ["increase(sum(x))", ["range-function"]],
    ["sum(x) by (job)", []],
    ["up ==", ["promql"]],
    ["", ["promql"]],
    ["foo(up)", ["promql"]],
  ])("%s", (expression, kinds) => {
    expect(checkPromql(expression).map((i) => i.kind)).toEqual(kinds);
  });
});

describe("parsePrometheusDuration", () => {
  it.each([
    ["5m", 300_000],
    ["1h30m", 5_400_000],
    ["0", 0],
    ["100ms", 100],
    ["5x", undefined],
    ["1.5h", undefined],
    ["5 m", undefined],
    ["30m1h", undefined],
    ["", undefined],
  ])("%s", (text, expected) => {
    expect(parsePrometheusDuration(text)).toBe(expected);
  });
});

describe("checkGoTemplate", () => {
  it.each([
    ["{{ $labels.job }} is down", undefined],
    ['{{ $value | printf "%.2f" }}', undefined],
    ["{{ if gt $value 1.0 }}high{{ else }}low{{ end }}", undefined],
    ["{{- /* a comment */ -}}text", undefined],
    ['{{ "}}" }}', undefined],
    ["{{ $labels.job", "never closed"],
    ["{{ }}", "empty action"],
    ["{{ if $x }}unclosed", "never closed with `{{ end }}`"],
    ["{{ end }}", "has no"],
    ["{{ else }}", "outside"],
    ['{{ "open }}', "never closed"],
  ])("%s", (text, problem) => {
    const found = checkGoTemplate(text);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found?.message).toContain(problem);
  });
});
