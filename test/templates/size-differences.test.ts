import { beforeAll, describe, expect, it } from "vitest";
import { readBuiltinCatalog } from "../../src/adapters/local/read-builtin-catalog.js";
import { findObjects, findPodTemplates } from "./find-objects.js";
import { parseQuantity } from "./parse-quantity.js";
import { createCaseRenderer, SAMPLE_VALUES, SIZES, type RenderedObject } from "./render-case.js";

let render: ReturnType<typeof createCaseRenderer>;
beforeAll(async () => {
  render = createCaseRenderer((await readBuiltinCatalog()).catalog);
});

function objectsFor(template: string, size: string): RenderedObject[] {
  const { result, objects } = render(template, size, "prod");
  expect(result.problems).toEqual([]);
  return objects;
}

/** cpu request, cpu limit, memory request, memory limit of the workload's container, as numbers. */
function resources(objects: RenderedObject[]): [number, number, number, number] {
  const [pod] = findPodTemplates(objects);
  const r = pod?.template.spec?.containers[0]?.resources;
  return [parseQuantity(r?.requests?.cpu), parseQuantity(r?.limits?.cpu), parseQuantity(r?.requests?.memory), parseQuantity(r?.limits?.memory)];
}

/** The objects with the size label removed: what is left must still differ between sizes. */
function withoutSizeLabel(objects: RenderedObject[]): string {
  return JSON.stringify(objects, (key, value: unknown) => (key === "gitops-bot.dev/size" ? undefined : value));
}

const TEMPLATES = Object.keys(SAMPLE_VALUES);
const WORKLOAD_TEMPLATES = ["web-service", "worker", "cron-job"];

describe.each(TEMPLATES)("%s across sizes", (template) => {
  it("renders different manifests for small, medium and large beyond the size label", () => {
    const texts = SIZES.map((size) => withoutSizeLabel(objectsFor(template, size)));
    expect(new Set(texts).size).toBe(SIZES.length);
  });
});

describe.each(WORKLOAD_TEMPLATES)("%s resources", (template) => {
  it("never shrinks a request or limit from a smaller size to a larger one, and grows some", () => {
    const [small, medium, large] = SIZES.map((size) => resources(objectsFor(template, size)));
    for (const [lower, upper] of [
      [small, medium],
      [medium, large],
    ]) {
      lower?.forEach((value, i) => expect(upper?.[i]).toBeGreaterThanOrEqual(value));
      expect(upper).not.toEqual(lower);
    }
  });

  it.each(SIZES)("keeps requests at or below limits in %s", (size) => {
    const [cpuRequest, cpuLimit, memoryRequest, memoryLimit] = resources(objectsFor(template, size));
    expect(cpuRequest).toBeLessThanOrEqual(cpuLimit);
    expect(memoryRequest).toBeLessThanOrEqual(memoryLimit);
  });
});

describe("replicas and autoscaling", () => {
  it.each(["web-service", "worker"])("%s runs more replicas in larger sizes, and its autoscaler starts where the Deployment does", (template) => {
    const replicas = SIZES.map((size) => findObjects(objectsFor(template, size), "Deployment")[0]?.spec?.replicas ?? 0);
    expect(replicas[0]).toBeGreaterThanOrEqual(2);
    expect(replicas).toEqual([...replicas].sort((a, b) => a - b));
    expect(new Set(replicas).size).toBe(SIZES.length);
    for (const size of SIZES) {
      const objects = objectsFor(template, size);
      for (const hpa of findObjects(objects, "HorizontalPodAutoscaler")) {
        expect(hpa.spec?.minReplicas).toBe(findObjects(objects, "Deployment")[0]?.spec?.replicas);
        expect(hpa.spec?.maxReplicas).toBeGreaterThan(hpa.spec?.minReplicas ?? Infinity);
        expect(hpa.spec?.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: SAMPLE_VALUES[template]?.name });
      }
    }
  });

  it("autoscales web-service from medium up and worker in every size", () => {
    const has = (template: string, size: string) => findObjects(objectsFor(template, size), "HorizontalPodAutoscaler").length === 1;
    expect(SIZES.map((size) => has("web-service", size))).toEqual([false, true, true]);
    expect(SIZES.map((size) => has("worker", size))).toEqual([true, true, true]);
  });
});

describe("team-namespace quota", () => {
  it("grows the namespace quota with the size, with container defaults whose requests fit their limits", () => {
    const quotas = SIZES.map((size) => {
      const objects = objectsFor("team-namespace", size);
      const hard = findObjects(objects, "ResourceQuota")[0]?.spec?.hard ?? {};
      const limits = findObjects(objects, "LimitRange")[0]?.spec?.limits[0];
      expect(parseQuantity(limits?.defaultRequest?.cpu)).toBeLessThanOrEqual(parseQuantity(limits?.default?.cpu));
      expect(parseQuantity(limits?.defaultRequest?.memory)).toBeLessThanOrEqual(parseQuantity(limits?.default?.memory));
      return [parseQuantity(hard["requests.cpu"]), parseQuantity(hard["requests.memory"]), parseQuantity(hard.pods)];
    });
    for (let i = 1; i < quotas.length; i++) quotas[i]?.forEach((value, j) => expect(value).toBeGreaterThan(quotas[i - 1]?.[j] ?? Infinity));
  });
});

describe("approvals", () => {
  it.each(TEMPLATES)("%s asks the platform group to approve large, and nobody extra for small or medium", (template) => {
    const reviewers = SIZES.map((size) => render(template, size, "prod").result.reviewers);
    expect(reviewers).toEqual([[], [], ["acme/platform-team"]]);
  });
});
