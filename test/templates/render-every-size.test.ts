import { beforeAll, describe, expect, it } from "vitest";
import { readBuiltinCatalog } from "../../src/adapters/local/read-builtin-catalog.js";
import type { Catalog } from "../../src/core/catalog/load-catalog.js";
import { CASES, createCaseRenderer, renderCase, SAMPLE_VALUES, TEST_CONFIG, TEST_REPO_URL, type RenderedCase, type SIZES } from "./render-case.js";
import { typeKey, validateWithSchema } from "./validate-with-schema.js";

let catalog: Catalog;
let renderCached: ReturnType<typeof createCaseRenderer>;
beforeAll(async () => {
  const loaded = await readBuiltinCatalog();
  expect(loaded.problems).toEqual([]);
  catalog = loaded.catalog;
  renderCached = createCaseRenderer(catalog);
});

/** Files each template renders per size, inside the request's folder (each request also gets its Application). */
const EXPECTED_FILES: Record<string, Record<(typeof SIZES)[number], string[]>> = {
  "web-service": {
    small: ["dashboard.yaml", "deployment.yaml", "ingress.yaml", "networkpolicy.yaml", "pdb.yaml", "prometheusrule.yaml", "service.yaml", "serviceaccount.yaml", "servicemonitor.yaml"],
    medium: ["dashboard.yaml", "deployment.yaml", "hpa.yaml", "ingress.yaml", "networkpolicy.yaml", "pdb.yaml", "prometheusrule.yaml", "service.yaml", "serviceaccount.yaml", "servicemonitor.yaml"],
    large: ["dashboard.yaml", "deployment.yaml", "hpa.yaml", "ingress.yaml", "networkpolicy.yaml", "pdb.yaml", "prometheusrule.yaml", "service.yaml", "serviceaccount.yaml", "servicemonitor.yaml"],
  },
  worker: {
    small: ["dashboard.yaml", "deployment.yaml", "hpa.yaml", "networkpolicy.yaml", "pdb.yaml", "podmonitor.yaml", "prometheusrule.yaml", "serviceaccount.yaml"],
    medium: ["dashboard.yaml", "deployment.yaml", "hpa.yaml", "networkpolicy.yaml", "pdb.yaml", "podmonitor.yaml", "prometheusrule.yaml", "serviceaccount.yaml"],
    large: ["dashboard.yaml", "deployment.yaml", "hpa.yaml", "networkpolicy.yaml", "pdb.yaml", "podmonitor.yaml", "prometheusrule.yaml", "serviceaccount.yaml"],
  },
  "cron-job": {
    small: ["cronjob.yaml", "dashboard.yaml", "prometheusrule.yaml", "serviceaccount.yaml"],
    medium: ["cronjob.yaml", "dashboard.yaml", "prometheusrule.yaml", "serviceaccount.yaml"],
    large: ["cronjob.yaml", "dashboard.yaml", "prometheusrule.yaml", "serviceaccount.yaml"],
  },
  "team-namespace": {
    small: ["limitrange.yaml", "namespace.yaml", "networkpolicy.yaml", "resourcequota.yaml", "rolebinding.yaml"],
    medium: ["limitrange.yaml", "namespace.yaml", "networkpolicy.yaml", "resourcequota.yaml", "rolebinding.yaml"],
    large: ["limitrange.yaml", "namespace.yaml", "networkpolicy.yaml", "resourcequota.yaml", "rolebinding.yaml"],
  },
};

function render(template: string, size: string, environment: string): RenderedCase {
  const entry = renderCached(template, size, environment);
  expect(entry.result.problems).toEqual([]);
  return entry;
}

function metadata(object: Record<string, unknown>): { name?: string; namespace?: string; labels?: Record<string, string> } {
  return (object.metadata ?? {});
}

it("has sample values, and so render tests, for every built-in template", () => {
  expect(Object.keys(SAMPLE_VALUES).sort()).toEqual([...catalog.templates.keys()].sort());
});

describe.each(CASES)("$template $size in $environment", ({ template, size, environment }) => {
  const team = SAMPLE_VALUES[template]?.team ?? "";
  const name = SAMPLE_VALUES[template]?.name ?? "";
  const namespace = `${team}-${environment}`;

  it("renders without problems, the template's files for this size plus the Application", () => {
    const { result } = render(template, size, environment);
    const folder = `apps/${team}/${name}/${environment}`;
    expect(result.paths).toEqual({ manifests: folder, application: `argocd/${environment}/${team}-${name}.yaml` });
    expect(result.files.map((f) => f.path)).toEqual([...(EXPECTED_FILES[template]?.[size] ?? []).map((f) => `${folder}/${f}`), `argocd/${environment}/${team}-${name}.yaml`].sort());
  });

  it("validates every rendered object against its Kubernetes, Argo CD or Prometheus operator schema", () => {
    const { objects } = render(template, size, environment);
    expect(objects.length).toBeGreaterThan(0);
    const complaints = objects.flatMap(({ file, object }) => validateWithSchema(object).map((c) => `${file}: ${c}`));
    expect(complaints).toEqual([]);
  });

  it("puts the standard labels on every object, and the size on the Application alone", () => {
    const { objects } = render(template, size, environment);
    for (const { file, object } of objects) {
      const labels = metadata(object).labels;
      expect(labels, `${file} ${typeKey(object)}`).toMatchObject({
        "app.kubernetes.io/name": name,
        "app.kubernetes.io/instance": `${name}-${environment}`,
        "app.kubernetes.io/component": template,
        "app.kubernetes.io/part-of": team,
        "app.kubernetes.io/managed-by": "gitops-bot",
      });
      // A resize then changes only the files whose content depends on the size.
      expect(labels?.["gitops-bot.dev/size"], `${file} ${typeKey(object)}`).toBe(object.kind === "Application" ? size : undefined);
    }
  });

  it("places namespaced objects in the environment's namespace and the Application in Argo CD's", () => {
    const { objects } = render(template, size, environment);
    for (const { file, object } of objects) {
      const expected = object.kind === "Namespace" ? undefined : object.kind === "Application" ? "argocd" : namespace;
      expect(metadata(object).namespace, `${file} ${typeKey(object)}`).toBe(expected);
    }
  });

  it("points the Application at the request's folder and the environment's cluster from the config", () => {
    const { objects, result } = render(template, size, environment);
    const applications = objects.filter((o) => o.object.kind === "Application");
    expect(applications).toHaveLength(1);
    expect(applications[0]?.object).toMatchObject({
      metadata: { name: `${team}-${name}-${environment}`, namespace: "argocd", finalizers: ["resources-finalizer.argocd.argoproj.io"] },
      spec: {
        project: "apps",
        source: { repoURL: TEST_REPO_URL, targetRevision: "HEAD", path: result.paths?.manifests },
        destination: { server: TEST_CONFIG.environments[environment]?.cluster, namespace },
        syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: expect.arrayContaining(["CreateNamespace=true"]) },
      },
    });
  });

  it("renders byte-identical files twice, whatever the order the values came in", () => {
    const first = renderCase({ catalog, template, size, environment });
    const second = renderCase({ catalog, template, size, environment });
    const reversed = renderCase({ catalog, template, size, environment, values: Object.fromEntries(Object.entries(SAMPLE_VALUES[template] ?? {}).reverse()) });
    expect(second.files).toEqual(first.files);
    expect(reversed.files).toEqual(first.files);
  });
});

it.each(Object.keys(SAMPLE_VALUES))("refuses %s large in dev, where the config stops at medium", (template) => {
  const result = renderCase({ catalog, template, size: "large", environment: "dev" });
  expect(result.problems.map((p) => p.code)).toEqual(["request.size-not-allowed"]);
  expect(result.files).toEqual([]);
});

describe("the schema check itself", () => {
  it("fails an object whose kind has no schema model instead of skipping it", () => {
    expect(validateWithSchema({ apiVersion: "v1", kind: "Secret", metadata: { name: "x" } })).toEqual(["no schema model for v1/Secret: add it to SCHEMA_MODELS"]);
    expect(validateWithSchema({ apiVersion: "example.com/v1", kind: "Widget" })).toHaveLength(1);
    expect(validateWithSchema("kind: Deployment")).toHaveLength(1);
  });

  it.each([
    ["a Deployment whose replicas is text", { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "x" }, spec: { replicas: "2", selector: {}, template: {} } }, /replicas must be integer/],
    ["an Application without destination", { apiVersion: "argoproj.io/v1alpha1", kind: "Application", metadata: { name: "x" }, spec: { project: "default", source: { repoURL: "r" } } }, /destination/],
    ["a PrometheusRule with a bad duration", { apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", metadata: { name: "x" }, spec: { groups: [{ name: "g", rules: [{ alert: "A", expr: "up", for: "ten minutes" }] }] } }, /for must match pattern/],
    ["a CronJob whose suspend is text", { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "x" }, spec: { schedule: "@daily", suspend: "no", jobTemplate: { spec: { template: {} } } } }, /suspend must be boolean/],
    ["a Namespace with a wrong apiVersion", { apiVersion: "v2", kind: "Namespace", metadata: { name: "x" } }, /no schema model/],
  ])("rejects %s", (_, object, message) => {
    const complaints = validateWithSchema(object);
    expect(complaints).toHaveLength(1);
    expect(complaints[0]).toMatch(message);
  });
});
