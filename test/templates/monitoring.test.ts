import { beforeAll, describe, expect, it } from "vitest";
import { readBuiltinCatalog } from "../../src/adapters/local/read-builtin-catalog.js";
import { findObjects } from "./find-objects.js";
import { createCaseRenderer, SAMPLE_VALUES } from "./render-case.js";

let render: ReturnType<typeof createCaseRenderer>;
beforeAll(async () => {
  render = createCaseRenderer((await readBuiltinCatalog()).catalog);
});

const MONITORED = ["web-service", "worker", "cron-job"];

const EXPECTED_ALERTS: Record<string, string[]> = {
  "web-service": ["HighErrorRate", "HighLatency", "PodCrashLooping", "ReplicasUnavailable"],
  worker: ["PodCrashLooping", "ReplicasUnavailable", "WorkerDown", "AutoscalerAtMaximum"],
  "cron-job": ["CronJobRunFailed", "CronJobRunTooLong"],
};

describe.each(MONITORED)("%s monitoring", (template) => {
  const name = SAMPLE_VALUES[template]?.name ?? "";
  const team = SAMPLE_VALUES[template]?.team ?? "";
  const namespace = `${team}-prod`;

  it("alerts on the request's own workload, labelled with its team, leaving Prometheus templates alone", () => {
    const [rule] = findObjects(render(template, "medium", "prod").objects, "PrometheusRule");
    const rules = rule?.spec?.groups?.flatMap((g) => g.rules ?? []) ?? [];
    expect(rules.map((r) => r.alert)).toEqual(EXPECTED_ALERTS[template]);
    for (const r of rules) {
      expect(String(r.expr)).toContain(`namespace="${namespace}"`);
      expect(String(r.expr)).toContain(name);
      expect(String(r.expr)).not.toContain("${{");
      expect(r.labels).toMatchObject({ team });
      expect(r.annotations?.summary).toContain(name);
      // Prometheus fills these in when the alert fires; the renderer must pass them through.
      expect(r.annotations?.description).toMatch(/\{\{ \$(labels\.\w+|value)/);
    }
  });

  it("ships a Grafana dashboard the sidecar loads, as valid JSON whose queries target the workload", () => {
    const [configMap] = findObjects(render(template, "medium", "prod").objects, "ConfigMap");
    expect(configMap?.metadata?.labels).toMatchObject({ grafana_dashboard: "1" });
    expect(Object.keys(configMap?.data ?? {})).toEqual([`${name}.json`]);
    const dashboard = JSON.parse(configMap?.data?.[`${name}.json`] ?? "") as { title: string; panels: { targets: { expr: string; legendFormat?: string }[] }[] };
    expect(dashboard.title).toBe(`${name} (${team}, prod)`);
    const targets = dashboard.panels.flatMap((p) => p.targets);
    expect(targets.length).toBeGreaterThan(3);
    for (const target of targets) expect(target.expr).toContain(`namespace="${namespace}"`);
    expect(targets.some((t) => t.legendFormat === "{{pod}}")).toBe(true);
  });
});

describe("scraping", () => {
  it("scrapes web-service through its Service's named port and worker through its pods' metrics port", () => {
    const web = render("web-service", "small", "dev").objects;
    const [serviceMonitor] = findObjects(web, "ServiceMonitor");
    const [service] = findObjects(web, "Service");
    expect(serviceMonitor?.spec.endpoints?.map((e) => e.port)).toEqual(service?.spec?.ports?.map((p) => p.name));
    expect(service?.metadata?.labels).toMatchObject(serviceMonitor?.spec.selector.matchLabels ?? { missing: true });

    const worker = render("worker", "small", "dev").objects;
    const [podMonitor] = findObjects(worker, "PodMonitor");
    const [deployment] = findObjects(worker, "Deployment");
    expect(podMonitor?.spec.podMetricsEndpoints?.map((e) => e.port)).toEqual(deployment?.spec?.template.spec?.containers[0]?.ports?.map((p) => p.name));
  });
});
