import { describe, expect, it } from "vitest";
import { kubernetesModelsSchemas } from "../../../src/adapters/schemas/kubernetes-models-schemas.js";
import { loadManifests } from "../../../src/core/manifests/load-manifests.js";
import { checkSchemas } from "../../../src/core/validate/schema/check-schemas.js";

async function check(text: string) {
  const { manifests, problems } = loadManifests({ files: [{ path: "app.yaml", text }] });
  expect(problems).toEqual([]);
  const catalog = await kubernetesModelsSchemas.load(
    manifests.map((m) => ({ apiVersion: String(m.object.apiVersion), kind: String(m.object.kind) })),
  );
  return checkSchemas({ manifests, catalog, severity: "error", unknownKinds: "notice", isJudged: () => true });
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { app: web, anything.example.com/free: "yes" }
spec:
  replicas: REPLICAS
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/web:1.0.0
          PROBE:
            httpGet: { path: /healthz, port: 8080 }
          ports:
            - containerPort: 8080
              protocol: PROTOCOL
          resources:
            requests: { cpu: 100m, memory: 64Mi }
`;

function deployment(replace: Record<string, string>): string {
  return Object.entries({ REPLICAS: "2", PROBE: "readinessProbe", PROTOCOL: "TCP", ...replace }).reduce(
    (text, [key, value]) => text.replace(key, value),
    DEPLOYMENT,
  );
}

describe("checkSchemas: the Kubernetes schemas, strictly", () => {
  it("a valid Deployment has no findings (maps such as labels and resources take any key)", async () => {
    expect(await check(deployment({}))).toEqual([]);
  });

  it("a wrong type points at the field", async () => {
    const findings = await check(deployment({ REPLICAS: '"three"' }));
    expect(findings).toEqual([
      expect.objectContaining({ policy: "schema", rule: "wrong-type", severity: "error", line: 7, column: 3, path: "spec.replicas" }),
    ]);
    expect(findings[0]?.message).toBe('Deployment "web": `spec.replicas` must be an integer, not the string `three`.');
  });

  it("an unknown field says which field was meant", async () => {
    const findings = await check(deployment({ PROBE: "readinesProbe" }));
    expect(findings).toEqual([
      expect.objectContaining({ rule: "unknown-field", line: 17, column: 11, path: "spec.template.spec.containers[0].readinesProbe" }),
    ]);
    expect(findings[0]?.message).toContain("did you mean `readinessProbe`?");
  });

  it("an enum value outside the schema's set, with a suggestion", async () => {
    const findings = await check(deployment({ PROTOCOL: "TCPP" }));
    expect(findings).toEqual([
      expect.objectContaining({ rule: "enum", line: 21, column: 15, path: "spec.template.spec.containers[0].ports[0].protocol" }),
    ]);
    expect(findings[0]?.message).toContain("did you mean `TCP`?");
  });

  it("a missing required field points at its parent", async () => {
    const findings = await check(deployment({}).replace("        - name: app\n", "        - \n"));
    expect(findings).toEqual([
      expect.objectContaining({ rule: "required", line: 16, column: 11, path: "spec.template.spec.containers[0].name" }),
    ]);
  });

  it("the CRDs the templates use are validated too (Argo CD Application, PrometheusRule, ServiceMonitor, PodMonitor)", async () => {
    const findings = await check(`apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: web }
spec:
  project: default
  source: { repoURL: https://example.com/repo.git, path: apps/web, targetRevisoin: main }
  destination: { server: https://kubernetes.default.svc, namespace: web }
---
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: { name: web }
spec:
  groups:
    - name: web
      rules:
        - alert: Down
          expr: up == 0
          for: 5m
          labels: { severity: critical }
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: { name: web }
spec:
  selector: { matchLabels: { app: web } }
  endpoints: [{ port: http, interval: 30s, honorLabel: true }]
---
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata: { name: web }
spec:
  selector: { matchLabels: { app: web } }
  podMetricsEndpoints: [{ port: http }]
`);
    expect(findings.map((f) => [f.rule, f.path, f.line])).toEqual([
      ["unknown-field", "spec.source.targetRevisoin", 6],
      ["unknown-field", "spec.endpoints[0].honorLabel", 26],
    ]);
    expect(findings[0]?.message).toContain("did you mean `targetRevision`?");
    expect(findings[1]?.message).toContain("did you mean `honorLabels`?");
  });

  it("a kind without a schema is one notice per file and kind, never an error", async () => {
    const findings = await check(`apiVersion: example.com/v1
kind: Widget
metadata: { name: a }
---
apiVersion: example.com/v1
kind: Widget
metadata: { name: b }
`);
    expect(findings).toEqual([expect.objectContaining({ rule: "no-schema", severity: "notice", line: 2, path: "kind" })]);
  });

  it("hostile apiVersion and kind never reach a module path", async () => {
    const findings = await check(`apiVersion: ../../../etc/v1
kind: Passwd
metadata: { name: a }
---
apiVersion: v1
kind: ../../package
metadata: { name: b }
---
apiVersion: v1
kind: Container
metadata: { name: c }
`);
    expect(findings.map((f) => f.rule)).toEqual(["no-schema", "no-schema", "no-schema"]);
  });

  it("learned shapes are reused: a second object of the kind gets the same findings", async () => {
    const findings = await check(`${deployment({ PROBE: "readinesProbe" })}---\n${deployment({ PROBE: "livenesProbe" })}`);
    expect(findings.map((f) => f.path)).toEqual([
      "spec.template.spec.containers[0].readinesProbe",
      "spec.template.spec.containers[0].livenesProbe",
    ]);
  });
});
