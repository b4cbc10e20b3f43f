import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadAll } from "js-yaml";
import { afterAll, describe, expect, it } from "vitest";
import { PrometheusTelemetry } from "../../src/adapters/metrics/prometheus-telemetry.js";
import { runCheck } from "../../src/cli/check.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DEPLOY = path.join(ROOT, "deploy");

type Obj = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; spec?: unknown; data?: Record<string, string> };

interface Probe {
  httpGet: { path: string; port: string };
}
interface Container {
  env: { name: string; value?: string; valueFrom?: unknown }[];
  livenessProbe: Probe;
  readinessProbe: Probe;
  startupProbe: Probe;
  resources: Record<string, unknown>;
  securityContext: unknown;
}
/** The fields of the objects below that the tests read. */
interface Spec {
  replicas: number;
  minAvailable: number;
  template: { spec: { containers: Container[]; securityContext: unknown; automountServiceAccountToken: boolean; topologySpreadConstraints: { topologyKey: string }[] } };
  tls: unknown;
  rules: { http: { paths: { path: string }[] } }[];
  groups: { rules: { alert: string; expr: string }[] }[];
  source: { path: string };
  syncPolicy: { automated: unknown };
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

const objects: Obj[] = yamlFiles(DEPLOY).flatMap((file) => loadAll(readFileSync(file, "utf8")) as Obj[]);
const find = (kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in deploy/`);
  return found as Obj & { spec: Spec };
};

async function check(argv: string[], cwd: string) {
  let stdout = "";
  const code = await runCheck(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stdout += t), cwd });
  return { code, stdout };
}

describe("deploy/: the App's own manifests", () => {
  it("pass the App's own `gitops-bot check` with the default policies, without a finding", async () => {
    const result = await check(["deploy"], ROOT);
    expect(result.stdout).toMatch(/^No findings\.\n/);
    expect(result.code).toBe(0);
  });

  it("run two restricted replicas with probes on /healthz and /readyz, resources and topology spread", () => {
    const deployment = find("Deployment", "gitops-bot");
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0]!;
    expect(deployment.spec.replicas).toBe(2);
    expect(container.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(container.startupProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(container.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "http" });
    expect(Object.keys(container.resources)).toEqual(["requests", "limits"]);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.topologySpreadConstraints.map((c) => c.topologyKey)).toEqual(["kubernetes.io/hostname", "topology.kubernetes.io/zone"]);
    expect(find("PodDisruptionBudget", "gitops-bot").spec.minAvailable).toBe(1);
  });

  it("take APP_ID, PRIVATE_KEY and WEBHOOK_SECRET from a Secret reference; no Secret or credential is in git", () => {
    const container = find("Deployment", "gitops-bot").spec.template.spec.containers[0]!;
    const env = new Map(container.env.map((e) => [e.name, e]));
    for (const key of ["APP_ID", "PRIVATE_KEY", "WEBHOOK_SECRET"]) expect(env.get(key)).toEqual({ name: key, valueFrom: { secretKeyRef: { name: "gitops-bot", key } } });
    expect(objects.filter((o) => o.kind === "Secret")).toEqual([]);
    const text = yamlFiles(DEPLOY).map((f) => readFileSync(f, "utf8")).join("\n");
    expect(text).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY|ghs_|ghp_|github_pat_/);
  });

  it("expose only the webhook route through the Ingress, with TLS", () => {
    const ingress = find("Ingress", "gitops-bot");
    expect(ingress.spec.tls).toEqual([{ hosts: ["gitops-bot.example.com"], secretName: "gitops-bot-tls" }]);
    expect(ingress.spec.rules.flatMap((r) => r.http.paths.map((p) => p.path))).toEqual(["/api/github/webhooks"]);
  });

  it("alert and chart only on metrics the App exports, and alert on each failure the issue names", async () => {
    const telemetry = new PrometheusTelemetry({ defaultMetrics: true });
    const exported = new Set((await telemetry.registry.getMetricsAsJSON()).flatMap((m) => (String(m.type) === "histogram" ? [`${m.name}_bucket`, `${m.name}_count`, `${m.name}_sum`] : [m.name])));
    const rule = find("PrometheusRule", "gitops-bot");
    const alerts = rule.spec.groups.flatMap((g) => g.rules);
    expect(alerts.map((a) => a.alert)).toEqual(expect.arrayContaining(["GitopsBotWebhookFailures", "GitopsBotGitHubErrors", "GitopsBotRateLimitLow", "GitopsBotRedeliveryBacklog"]));
    const dashboard = JSON.parse(find("ConfigMap", "gitops-bot-dashboard").data?.["gitops-bot.json"] ?? "") as { panels: { targets: { expr: string }[] }[] };
    const expressions = [...alerts.map((a) => a.expr), ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr))];
    const used = new Set(expressions.flatMap((e) => e.match(/\b(?:gitops_bot_\w+|process_\w+|nodejs_\w+)/g) ?? []));
    expect([...used].filter((name) => !exported.has(name))).toEqual([]);
    expect(used.size).toBeGreaterThanOrEqual(10);
  });

  it("are deployed by an Argo CD Application that points at the example overlay", () => {
    const application = find("Application", "gitops-bot");
    expect(application.spec.source.path).toBe("deploy/overlays/example");
    expect(readdirSync(path.join(ROOT, application.spec.source.path))).toContain("kustomization.yaml");
    expect(application.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
  });
});

// kustomize (inside kubectl) builds the overlay with its patches; the result must pass the check too.
const kubectl = spawnSync("kubectl", ["kustomize", "--help"], { encoding: "utf8" });
const KUSTOMIZE_MISSING = kubectl.status === 0 ? null : "kubectl (with kustomize) is not installed";
describe.skipIf(KUSTOMIZE_MISSING !== null)(`deploy/overlays/example built by kustomize${KUSTOMIZE_MISSING ? ` (skipped: ${KUSTOMIZE_MISSING})` : ""}`, () => {
  const scratch = mkdtempSync(path.join(tmpdir(), "gitops-bot-deploy-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("renders the namespace, Redis and REDIS_URL, and passes `gitops-bot check`", async () => {
    const built = execFileSync("kubectl", ["kustomize", path.join(DEPLOY, "overlays/example")], { encoding: "utf8" });
    writeFileSync(path.join(scratch, "gitops-bot.yaml"), built);
    const rendered = loadAll(built) as (Obj & { metadata: { namespace?: string } })[];
    expect(rendered.filter((o) => o.kind !== "Namespace").every((o) => o.metadata.namespace === "gitops-bot")).toBe(true);
    const app = rendered.find((o) => o.kind === "Deployment" && o.metadata.name === "gitops-bot") as Obj & { spec: Spec };
    expect(app.spec.template.spec.containers[0]?.env).toContainEqual({ name: "REDIS_URL", value: "redis://gitops-bot-redis:6379" });
    expect(rendered.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(expect.arrayContaining(["Deployment/gitops-bot-redis", "Service/gitops-bot-redis", "NetworkPolicy/gitops-bot-redis"]));
    const result = await check(["."], scratch);
    expect(result.stdout).toMatch(/^No findings\.\n/);
    expect(result.code).toBe(0);
  });
});
