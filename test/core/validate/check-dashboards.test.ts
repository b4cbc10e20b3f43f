import { describe, expect, it } from "vitest";
import { loadManifests } from "../../../src/core/manifests/load-manifests.js";
import { checkDashboards } from "../../../src/core/validate/grafana/check-dashboards.js";
import { substituteGrafanaVariables } from "../../../src/core/validate/grafana/grafana-expression.js";

function dashboard(panels: unknown[], uid = "web"): string {
  return JSON.stringify({ uid, title: "Web", panels }, null, 2);
}

function panel(expr: string, datasource: unknown = { type: "prometheus", uid: "${datasource}" }) {
  return { type: "timeseries", title: "p", datasource, targets: [{ refId: "A", expr }] };
}

function configMap(json: string, name = "web-dashboard"): string {
  const indented = json
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  labels: { grafana_dashboard: "1" }\ndata:\n  web.json: |\n${indented}\n`;
}

function check(params: { yaml?: string; files?: { path: string; text: string }[]; judged?: (file: string) => boolean }) {
  const { manifests, problems } = loadManifests({ files: params.yaml ? [{ path: "dash.yaml", text: params.yaml }] : [] });
  expect(problems).toEqual([]);
  return checkDashboards({ manifests, files: params.files ?? [], severity: "error", isJudged: params.judged ?? (() => true) });
}

describe("checkDashboards", () => {
  it("a dashboard with valid queries, Grafana variables included, has no findings", () => {
    const json = dashboard([
      panel('sum by (code) (rate(http_requests_total{job="$job", namespace=~"${namespace:regex}"}[$__rate_interval]))'),
      { type: "row", panels: [panel("histogram_quantile(0.99, sum by (le) (rate(x_bucket[$__interval])))")] },
      panel('{job="web"} |= "error"', { type: "loki", uid: "logs" }),
    ]);
    expect(check({ yaml: configMap(json) })).toEqual([]);
  });

  it("an invalid query in a ConfigMap is reported at the line of its expr inside the embedded JSON", () => {
    const json = dashboard([panel("sum(rate(x[5m])"), panel("up")]);
    const yaml = configMap(json);
    const findings = check({ yaml });
    expect(findings).toEqual([
      expect.objectContaining({ policy: "grafana-dashboard", rule: "promql", severity: "error", path: 'data["web.json"]' }),
    ]);
    const line = yaml.split("\n")[(findings[0]?.line ?? 0) - 1];
    expect(line).toContain('"expr": "sum(rate(x[5m])"');
  });

  it("nested row panels are checked too", () => {
    const text = dashboard([{ type: "row", panels: [panel("rate(x)")] }]);
    const findings = check({ files: [{ path: "dashboards/web.json", text }] });
    expect(findings).toEqual([expect.objectContaining({ rule: "promql" })]);
    expect(text.split("\n")[(findings[0]?.line ?? 0) - 1]).toContain('"expr": "rate(x)"');
  });

  it("invalid JSON is one finding at the place it breaks", () => {
    const text = '{\n  "uid": "a",\n  "panels": [\n    { "title": "x" }\n    { "title": "y" }\n  ]\n}\n';
    const findings = check({ files: [{ path: "dashboards/a.json", text }] });
    expect(findings).toEqual([expect.objectContaining({ rule: "json", file: "dashboards/a.json", line: 5 })]);
  });

  it("a uid used twice in the repository is reported on every judged copy, at its uid", () => {
    const findings = check({
      yaml: configMap(dashboard([], "shared")),
      files: [
        { path: "dashboards/a.json", text: dashboard([], "shared") },
        { path: "dashboards/b.json", text: dashboard([], "other") },
      ],
      judged: (file) => file !== "dashboards/a.json",
    });
    expect(findings).toEqual([expect.objectContaining({ rule: "uid", file: "dash.yaml", line: 9 })]);
    expect(findings[0]?.message).toContain("dashboards/a.json");
  });

  it("a panel query of 1 MB, or nested 1,000 deep, is one finding each, not a parse of it", () => {
    const findings = check({
      files: [
        {
          path: "dashboards/hostile.json",
          text: dashboard([panel("up + ".repeat(200_000) + "up"), panel(`${"(".repeat(1_000)}up${")".repeat(1_000)}`)]),
        },
      ],
    });
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([
      ["promql", "error"],
      ["promql", "error"],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringContaining("characters long"),
      expect.stringContaining("nests brackets more than 64 deep"),
    ]);
  });

  it("a dashboard whose JSON nests 100,000 arrays deep is read without recursion: no query, no finding", () => {
    const deep = `{"uid":"deep","panels":[${"[".repeat(100_000)}${"]".repeat(100_000)}]}`;
    expect(check({ files: [{ path: "dashboards/deep.json", text: deep }] })).toEqual([]);
  });

  it("a dashboard with 10,000 panels is a bounded check: the first 1,000 queries, then one notice", () => {
    const panels = Array.from({ length: 10_000 }, (_, index) => panel(index === 5 ? "up ==" : `rate(x_${index}[5m])`));
    const started = performance.now();
    const findings = check({ files: [{ path: "dashboards/big.json", text: dashboard(panels) }] });
    const elapsed = performance.now() - started;
    expect(findings.map((f) => [f.rule, f.severity])).toEqual(
      [
        ["promql", "notice"],
        ["promql", "error"],
      ].sort() as unknown as [string, string][],
    );
    // The bound is the notice (9,000 queries not parsed); the time is printed, not asserted.
    expect(findings.find((f) => f.severity === "notice")?.message).toContain("the other 9000 were not");
    console.log(`a dashboard with 10,000 panels checked in ${elapsed.toFixed(0)} ms`);
  });
});

describe("substituteGrafanaVariables", () => {
  it.each([
    ["rate(x[$__rate_interval])", "rate(x[5m])"],
    ["rate(x[${__range}])", "rate(x[5m])"],
    ["max_over_time(x[1h:$__interval])", "max_over_time(x[1h:5m])"],
    ["x offset $shift", "x offset 5m"],
    ['sum by ($label) (x{job="$job"})', 'sum by (grafana_variable) (x{job="$job"})'],
    ["[[metric]] > 1", "grafana_variable > 1"],
  ])("%s", (input, output) => {
    expect(substituteGrafanaVariables(input)).toBe(output);
  });
});
