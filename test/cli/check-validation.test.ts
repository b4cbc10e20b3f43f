import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCheck } from "../../src/cli/check.js";

async function run(argv: string[], cwd: string) {
  let stdout = "";
  let stderr = "";
  const code = await runCheck(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd });
  return { code, stdout, stderr };
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop-dev }
spec:
  replicas: "three"
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      securityContext: { runAsNonRoot: true }
      containers:
        - name: app
          image: ghcr.io/acme/web:1.0.0
          readinesProbe: { httpGet: { path: /healthz, port: 8080 } }
          resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { memory: 128Mi } }
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true }
`;

const RULES = `apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: { name: web, namespace: shop-dev }
spec:
  groups:
    - name: web
      rules:
        - alert: WebDown
          expr: |
            sum(up{job="web"}
              == 0
          for: 5x
          labels: { severity: critical }
          annotations: { summary: Web is down. }
`;

const DASHBOARD = JSON.stringify(
  { uid: "web", title: "Web", panels: [{ type: "timeseries", targets: [{ refId: "A", expr: "rate(http_requests_total)" }] }] },
  null,
  2,
);

const scratch = mkdtempSync(path.join(tmpdir(), "gitops-bot-validate-"));
mkdirSync(path.join(scratch, "apps/shop"), { recursive: true });
mkdirSync(path.join(scratch, "dashboards"), { recursive: true });
writeFileSync(path.join(scratch, "apps/shop/web.yaml"), DEPLOYMENT);
writeFileSync(path.join(scratch, "apps/shop/rules.yaml"), RULES);
writeFileSync(path.join(scratch, "dashboards/web.json"), DASHBOARD);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("gitops-bot check: schema, PrometheusRule and dashboard findings", () => {
  it("prints them like policy findings, each at its line and column, with its own rule id", async () => {
    const result = await run(["."], scratch);
    expect(result.code).toBe(1);
    const lines = result.stdout.split("\n");
    expect(lines).toEqual(
      expect.arrayContaining([
        'apps/shop/web.yaml:5:3: error: Deployment "web": `spec.replicas` must be an integer, not the string `three`. [schema/wrong-type]',
        expect.stringMatching(
          /^apps\/shop\/web\.yaml:14:11: error: Deployment "web": `readinesProbe` is not a field of `spec\.template\.spec\.containers\[0\]`; did you mean `readinessProbe`\? \[schema\/unknown-field\]$/,
        ),
        expect.stringMatching(
          /^apps\/shop\/rules\.yaml:11:19: error: PrometheusRule "web": The PromQL expression ends too early.* \[prometheus-rule\/promql\]$/,
        ),
        'apps/shop/rules.yaml:12:11: error: PrometheusRule "web": `5x` is not a Prometheus duration. [prometheus-rule/duration]',
        expect.stringMatching(
          /^dashboards\/web\.json:10:19: error: A panel query is not valid PromQL: `rate\(\)` needs a range vector.* \[grafana-dashboard\/promql\]$/,
        ),
      ]),
    );
    expect(result.stdout).toContain("in 3 files");
    // The CRD schema's pattern for `for` would say the same as the duration check: only the clearer one is shown.
    expect(result.stdout).not.toContain("rules[0].for` must match");
  });

  it("--format json and SARIF carry the same rule ids, SARIF with a description of each", async () => {
    const json = JSON.parse((await run([".", "--format", "json"], scratch)).stdout) as {
      findings: { policy: string; rule: string; line: number }[];
    };
    expect(json.findings.map((f) => `${f.policy}/${f.rule}`)).toEqual(
      expect.arrayContaining([
        "schema/wrong-type",
        "schema/unknown-field",
        "prometheus-rule/promql",
        "prometheus-rule/duration",
        "grafana-dashboard/promql",
      ]),
    );
    const sarif = JSON.parse((await run([".", "--format=sarif"], scratch)).stdout) as {
      runs: { tool: { driver: { rules: { id: string; shortDescription: { text: string } }[] } }; results: { ruleId: string }[] }[];
    };
    const run0 = sarif.runs[0];
    expect(run0?.results.map((r) => r.ruleId)).toEqual(
      expect.arrayContaining(["schema/unknown-field", "prometheus-rule/duration", "grafana-dashboard/promql"]),
    );
    expect(run0?.tool.driver.rules).toContainEqual(
      expect.objectContaining({ id: "schema/unknown-field", shortDescription: { text: expect.stringContaining("declares") } }),
    );
  });
});
