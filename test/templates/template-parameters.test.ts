import { beforeAll, describe, expect, it } from "vitest";
import { readBuiltinCatalog } from "../../src/adapters/local/read-builtin-catalog.js";
import type { Catalog } from "../../src/core/catalog/load-catalog.js";
import { findObjects, findPodTemplates } from "./find-objects.js";
import { parseRendered, renderCase, SAMPLE_VALUES } from "./render-case.js";

let catalog: Catalog;
beforeAll(async () => {
  catalog = (await readBuiltinCatalog()).catalog;
});

const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;

function renderWith(template: string, values: Record<string, string>) {
  const result = renderCase({ catalog, template, size: "small", environment: "dev", values: { ...SAMPLE_VALUES[template], ...values } });
  return { result, objects: parseRendered(result) };
}

/** Paths of the problems a request gets, or [] when it renders. */
function problemPaths(template: string, values: Record<string, string>): (string | undefined)[] {
  return renderWith(template, values).result.problems.map((p) => p.path);
}

describe("image", () => {
  it.each([
    "ghcr.io/acme/checkout:1.4.2",
    "nginx:1.27-alpine",
    "registry.example.com:5000/team/app:2024.01-rc1",
    `ghcr.io/acme/checkout@${DIGEST}`,
    `ghcr.io/acme/checkout:1.4.2@${DIGEST}`,
    "acme/latest-tools:v3",
  ])("accepts the pinned image %s", (image) => {
    for (const template of ["web-service", "worker", "cron-job"]) expect(problemPaths(template, { image })).toEqual([]);
  });

  it.each([
    ["an image without tag or digest", "ghcr.io/acme/checkout"],
    ["the latest tag", "ghcr.io/acme/checkout:latest"],
    ["the latest tag even with a digest", `ghcr.io/acme/checkout:latest@${DIGEST}`],
    ["an empty tag", "ghcr.io/acme/checkout:"],
    ["a short digest", "ghcr.io/acme/checkout@sha256:abc"],
    ["upper case in the repository path", "ghcr.io/Acme/checkout:1.0"],
    ["a value that tries to add YAML", "nginx:1.27\nkind: Secret"],
  ])("refuses %s", (_, image) => {
    for (const template of ["web-service", "worker", "cron-job"]) expect(problemPaths(template, { image })).toEqual(["image"]);
  });

  it("is required", () => {
    const { result } = renderWith("web-service", { image: "" });
    expect(result.problems.map((p) => [p.code, p.path])).toEqual([["request.missing-value", "image"]]);
  });
});

describe("web-service parameters", () => {
  it("builds the Ingress host from name, environment and domain, and uses the chosen class and issuer", () => {
    const { objects } = renderWith("web-service", { domain: "apps.acme.example", ingressClass: "internal", clusterIssuer: "acme-ca" });
    const [ingress] = findObjects(objects, "Ingress");
    expect(ingress?.spec?.rules?.[0]?.host).toBe("checkout.dev.apps.acme.example");
    expect(ingress?.spec?.tls).toEqual([{ hosts: ["checkout.dev.apps.acme.example"], secretName: "checkout-tls" }]);
    expect(ingress?.spec?.ingressClassName).toBe("internal");
    expect(ingress?.metadata?.annotations).toEqual({ "cert-manager.io/cluster-issuer": "acme-ca" });
  });

  it("renders the port as a number in the container and the probe paths as given", () => {
    const { objects } = renderWith("web-service", { port: "9000", healthPath: "/live", readinessPath: "/ready" });
    const container = findPodTemplates(objects)[0]?.template.spec?.containers[0];
    expect(container?.ports).toEqual([{ name: "http", containerPort: 9000, protocol: "TCP" }]);
    expect(container?.livenessProbe?.httpGet).toEqual({ path: "/live", port: "http" });
    expect(container?.readinessProbe?.httpGet).toEqual({ path: "/ready", port: "http" });
  });

  it("writes the alert thresholds into the rules", () => {
    const { objects } = renderWith("web-service", { errorRatio: "0.01", latencySeconds: "0.25" });
    const exprs = findObjects(objects, "PrometheusRule")[0]?.spec?.groups?.[0]?.rules?.map((r) => String(r.expr)) ?? [];
    expect(exprs[0]).toMatch(/> 0\.01\n?$/);
    expect(exprs[1]).toMatch(/> 0\.25\n?$/);
  });

  it.each([
    ["a privileged port", { port: "80" }, "port"],
    ["a port that is not a number", { port: "http" }, "port"],
    ["a domain without a dot", { domain: "localhost" }, "domain"],
    ["a domain with a path", { domain: "example.com/evil" }, "domain"],
    ["a probe path without leading slash", { healthPath: "healthz" }, "healthPath"],
    ["an error ratio above 1", { errorRatio: "2" }, "errorRatio"],
    ["an unknown parameter", { replicas: "5" }, "replicas"],
  ])("refuses %s", (_, values, path) => {
    expect(problemPaths("web-service", values)).toEqual([path]);
  });
});

describe("cron-job parameters", () => {
  it.each(["0 3 * * *", "*/15 * * * *", "0 9 * * MON-FRI", "5,35 0-6/2 1,15 JAN-JUN 1", "@daily", "@hourly"])("accepts the schedule %s", (schedule) => {
    const { result, objects } = renderWith("cron-job", { schedule });
    expect(result.problems).toEqual([]);
    expect(findObjects(objects, "CronJob")[0]?.spec?.schedule).toBe(schedule);
  });

  it.each([
    ["four fields", "0 3 * *"],
    ["six fields", "0 0 3 * * *"],
    ["a time zone inside the schedule", "CRON_TZ=Europe/Berlin 0 3 * * *"],
    ["a day of month given as a name", "0 3 MON * *"],
    ["an unknown macro", "@sometimes"],
    ["a second line", "0 3 * * *\nkind: Secret"],
  ])("refuses %s", (_, schedule) => {
    expect(problemPaths("cron-job", { schedule })).toEqual(["schedule"]);
  });

  it("renders time zone, deadline, retries and suspend with their Kubernetes types", () => {
    const { objects } = renderWith("cron-job", { timeZone: "Europe/Berlin", timeoutSeconds: "600", retries: "0", suspend: "true" });
    const cronJob = findObjects(objects, "CronJob")[0];
    expect(cronJob?.spec).toMatchObject({ timeZone: "Europe/Berlin", suspend: true, concurrencyPolicy: "Forbid", jobTemplate: { spec: { activeDeadlineSeconds: 600, backoffLimit: 0 } } });
  });

  it("is not suspended unless asked", () => {
    expect(findObjects(renderWith("cron-job", {}).objects, "CronJob")[0]?.spec?.suspend).toBe(false);
  });

  it.each([
    ["a deadline under a minute", { timeoutSeconds: "10" }, "timeoutSeconds"],
    ["suspend that is not a boolean", { suspend: "yes" }, "suspend"],
    ["a time zone with spaces", { timeZone: "Central European Time" }, "timeZone"],
  ])("refuses %s", (_, values, path) => {
    expect(problemPaths("cron-job", values)).toEqual([path]);
  });
});

describe("team-namespace parameters", () => {
  it("binds the team's group to the edit role by default", () => {
    const [binding] = findObjects(renderWith("team-namespace", {}).objects, "RoleBinding");
    expect(binding?.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" });
    expect(binding?.subjects).toEqual([{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "team-payments" }]);
  });

  it("binds the group named by the prefix to the role asked for", () => {
    const [binding] = findObjects(renderWith("team-namespace", { groupPrefix: "oidc:acme-", accessRole: "view" }).objects, "RoleBinding");
    expect(binding?.metadata?.name).toBe("team-view");
    expect(binding?.roleRef.name).toBe("view");
    expect(binding?.subjects?.[0]?.name).toBe("oidc:acme-payments");
  });

  it("refuses roles other than view and edit", () => {
    expect(problemPaths("team-namespace", { accessRole: "cluster-admin" })).toEqual(["accessRole"]);
    expect(problemPaths("team-namespace", { accessRole: "admin" })).toEqual(["accessRole"]);
  });

  it("names the Namespace after the environment's namespace and enforces the restricted pod security standard", () => {
    const [namespace] = findObjects(renderWith("team-namespace", {}).objects, "Namespace");
    expect(namespace?.metadata?.name).toBe("payments-dev");
    expect(namespace?.metadata?.labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "restricted" });
  });
});
