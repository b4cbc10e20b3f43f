import type { ILabelSelector } from "@kubernetes-models/apimachinery/apis/meta/v1/LabelSelector";
import { beforeAll, describe, expect, it } from "vitest";
import { readBuiltinCatalog } from "../../src/adapters/local/read-builtin-catalog.js";
import { findObjects, findPodTemplates } from "./find-objects.js";
import { CASES, createCaseRenderer, SAMPLE_VALUES, type RenderedObject } from "./render-case.js";

// What the default policies will demand of every workload (privileges, images, resources, probes,
// disruption budgets, TLS), checked here so the built-in templates are known to pass them.

let render: ReturnType<typeof createCaseRenderer>;
beforeAll(async () => {
  render = createCaseRenderer((await readBuiltinCatalog()).catalog);
});

function objectsOf(template: string, size: string, environment: string): RenderedObject[] {
  const { result, objects } = render(template, size, environment);
  expect(result.problems).toEqual([]);
  return objects;
}

/** True when every matchLabels pair of the selector is among the labels (the templates use no expressions). */
function selects(selector: ILabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  const wanted = Object.entries(selector?.matchLabels ?? {});
  return wanted.length > 0 && selector?.matchExpressions === undefined && wanted.every(([k, v]) => labels?.[k] === v);
}

describe.each(CASES)("$template $size in $environment", ({ template, size, environment }) => {
  it("runs every pod unprivileged, as non-root, with no host access and a read-only root filesystem", () => {
    for (const { workload, template: pod } of findPodTemplates(objectsOf(template, size, environment))) {
      const spec = pod.spec;
      expect(spec, workload).toMatchObject({ automountServiceAccountToken: false, securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } } });
      expect([spec?.hostNetwork, spec?.hostPID, spec?.hostIPC].filter(Boolean), workload).toEqual([]);
      expect((spec?.volumes ?? []).filter((v) => v.hostPath !== undefined), workload).toEqual([]);
      for (const container of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
        const where = `${workload} container ${container.name}`;
        expect(container.securityContext, where).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
        expect(container.securityContext?.privileged, where).not.toBe(true);
        expect(container.securityContext?.capabilities?.add, where).toBeUndefined();
        expect((container.ports ?? []).filter((p) => p.hostPort !== undefined), where).toEqual([]);
        // A read-only root needs somewhere to write: an emptyDir at /tmp.
        const tmp = container.volumeMounts?.find((m) => m.mountPath === "/tmp");
        expect(spec?.volumes?.find((v) => v.name === tmp?.name)?.emptyDir, where).toBeDefined();
      }
    }
  });

  it("pins every image and sets requests and limits for CPU and memory", () => {
    for (const { workload, template: pod } of findPodTemplates(objectsOf(template, size, environment))) {
      for (const container of pod.spec?.containers ?? []) {
        expect(container.image, workload).toBe(SAMPLE_VALUES[template]?.image);
        expect(container.image, workload).toMatch(/(:(?!latest$)[\w][\w.-]*|@sha256:[a-f0-9]{64})$/);
        expect(Object.keys(container.resources?.requests ?? {}).sort(), workload).toEqual(["cpu", "memory"]);
        expect(Object.keys(container.resources?.limits ?? {}).sort(), workload).toEqual(["cpu", "memory"]);
        // No environment variables at all, so no secret can sit in a plain env value.
        expect(container.env, workload).toBeUndefined();
      }
    }
  });

  it("gives every Deployment probes, at least two replicas and a PodDisruptionBudget that covers its pods", () => {
    const objects = objectsOf(template, size, environment);
    const budgets = findObjects(objects, "PodDisruptionBudget");
    for (const deployment of findObjects(objects, "Deployment")) {
      const where = `Deployment ${deployment.metadata?.name}`;
      const podLabels = deployment.spec?.template.metadata?.labels;
      expect(deployment.spec?.replicas, where).toBeGreaterThanOrEqual(2);
      expect(selects(deployment.spec?.selector, podLabels), `${where} selector must match its pod labels`).toBe(true);
      for (const container of deployment.spec?.template.spec?.containers ?? []) {
        expect(container.livenessProbe, where).toBeDefined();
        expect(container.readinessProbe, where).toBeDefined();
      }
      expect(budgets.filter((b) => selects(b.spec?.selector, podLabels)), `${where} needs a PodDisruptionBudget`).toHaveLength(1);
    }
  });

  it("routes Services, Ingresses and NetworkPolicies to pods that exist", () => {
    const objects = objectsOf(template, size, environment);
    const podLabels = findPodTemplates(objects).map((p) => p.template.metadata?.labels);
    for (const service of findObjects(objects, "Service")) {
      expect(podLabels.some((labels) => selects({ matchLabels: service.spec?.selector }, labels)), `Service ${service.metadata?.name}`).toBe(true);
    }
    const services = new Set(findObjects(objects, "Service").map((s) => s.metadata?.name));
    for (const ingress of findObjects(objects, "Ingress")) {
      const hosts = ingress.spec?.rules?.map((r) => r.host) ?? [];
      const tlsHosts = ingress.spec?.tls?.flatMap((t) => t.hosts ?? []) ?? [];
      expect(hosts.length, `Ingress ${ingress.metadata?.name}`).toBeGreaterThan(0);
      expect(tlsHosts, `every host of Ingress ${ingress.metadata?.name} is served over TLS`).toEqual(expect.arrayContaining(hosts));
      for (const path of ingress.spec?.rules?.flatMap((r) => r.http?.paths ?? []) ?? []) expect(services.has(path.backend.service?.name)).toBe(true);
    }
    for (const policy of findObjects(objects, "NetworkPolicy")) {
      const selector = policy.spec?.podSelector;
      const everyPod = Object.keys(selector?.matchLabels ?? {}).length === 0 && selector?.matchExpressions === undefined;
      expect(everyPod || podLabels.some((labels) => selects(selector, labels)), `NetworkPolicy ${policy.metadata?.name}`).toBe(true);
    }
  });

  it("mounts no service account token by default", () => {
    for (const account of findObjects(objectsOf(template, size, environment), "ServiceAccount")) {
      expect(account.automountServiceAccountToken, `ServiceAccount ${account.metadata?.name}`).toBe(false);
    }
  });
});
