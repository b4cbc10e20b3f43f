import { describe, expect, it } from "vitest";
import { evaluatePlatformRules } from "../../../../src/core/policy/platform/evaluate-platform-rules.js";
import { configOf, deploymentYaml, ENVIRONMENTS, manifestsOf, positionOfText, SIZES } from "./platform-test-helpers.js";

const config = configOf({
  sizes: SIZES,
  environments: ENVIRONMENTS,
  rules: { references: { severity: "off" }, podDisruptionBudget: { severity: "off" } },
});

function check(files: Record<string, string>, judged?: string[]) {
  return evaluatePlatformRules({
    config,
    manifests: manifestsOf(files),
    ...(judged ? { isJudged: (file: string) => judged.includes(file) } : {}),
  });
}

describe("size ceilings", () => {
  it("accepts a workload within the largest size of its environment", () => {
    const text = deploymentYaml({ name: "web", namespace: "shop-prod", replicas: 6, cpu: "2", memory: "4Gi" });
    expect(check({ "apps/shop/web.yaml": text })).toEqual([]);
  });

  it("points at spec.replicas when there are more replicas than the environment allows", () => {
    const text = deploymentYaml({ name: "web", namespace: "shop-dev", replicas: 3 });
    const findings = check({ "apps/shop/web.yaml": text });
    expect(findings).toEqual([
      {
        policy: "platform",
        rule: "size-ceiling",
        severity: "error",
        file: "apps/shop/web.yaml",
        ...positionOfText(text, "replicas: 3"),
        path: "spec.replicas",
        message: 'Deployment "web" asks for 3 replicas; the largest size allowed in development ("small") allows 2.',
        hint: "Choose a smaller size, or ask the platform team to allow a larger one for this environment.",
      },
    ]);
  });

  it("points at the container's request or limit that is too large", () => {
    const text = deploymentYaml({ name: "web", namespace: "shop-dev", replicas: 1, memory: "1Gi", limitCpu: "750m" });
    const findings = check({ "apps/shop/web.yaml": text });
    expect(findings.map((f) => [f.path, f.line, f.column, f.message])).toEqual([
      [
        "spec.template.spec.containers[0].resources.requests.memory",
        positionOfText(text, "memory: 1Gi").line,
        positionOfText(text, "memory: 1Gi").column,
        'Container "app" requests 1Gi memory; the largest size allowed in development ("small") allows 512Mi per container.',
      ],
      [
        "spec.template.spec.containers[0].resources.limits.cpu",
        positionOfText(text, "cpu: 750m").line,
        positionOfText(text, "cpu: 750m").column,
        'Container "app" limits 750m cpu; the largest size allowed in development ("small") allows 500m per container.',
      ],
    ]);
  });

  it("finds the environment by label and by path as well as by namespace", () => {
    const byLabel = deploymentYaml({ name: "a", namespace: "shop", labels: { environment: "production" }, replicas: 7 });
    const byPath = deploymentYaml({ name: "b", namespace: "shop", replicas: 3 });
    const findings = check({ "apps/shop/a.yaml": byLabel, "apps/shop/dev/b.yaml": byPath });
    expect(findings.map((f) => [f.file, f.message])).toEqual([
      ["apps/shop/a.yaml", 'Deployment "a" asks for 7 replicas; the largest size allowed in production ("large") allows 6.'],
      ["apps/shop/dev/b.yaml", 'Deployment "b" asks for 3 replicas; the largest size allowed in development ("small") allows 2.'],
    ]);
  });

  it("ignores objects in no environment", () => {
    expect(check({ "a.yaml": deploymentYaml({ name: "a", namespace: "shop", replicas: 50, cpu: "64" }) })).toEqual([]);
  });

  it("checks how far an HPA may scale", () => {
    const hpa = [
      "apiVersion: autoscaling/v2",
      "kind: HorizontalPodAutoscaler",
      "metadata:",
      "  name: web",
      "  namespace: shop-dev",
      "spec:",
      "  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }",
      "  minReplicas: 1",
      "  maxReplicas: 5",
    ].join("\n");
    const findings = check({ "hpa.yaml": hpa, "web.yaml": deploymentYaml({ name: "web", namespace: "shop-dev", replicas: 1 }) });
    expect(findings.map((f) => [f.file, f.path, f.line, f.column])).toEqual([["hpa.yaml", "spec.maxReplicas", 9, 3]]);
  });

  it("adds up a namespace, counting HPA-scaled replicas, and reports once at a changed workload", () => {
    // a: 2 x 400m; b: 450m, scaled to 3 by its HPA: 2.15 cores, over the small namespace ceiling of 2.
    const a = deploymentYaml({ name: "a", namespace: "shop-dev", replicas: 2, cpu: "400m" });
    const b = deploymentYaml({ name: "b", namespace: "shop-dev", replicas: 1, cpu: "450m" });
    const hpa = [
      "apiVersion: autoscaling/v2",
      "kind: HorizontalPodAutoscaler",
      "metadata: { name: b, namespace: shop-dev }",
      "spec:",
      "  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: b }",
      "  maxReplicas: 3",
    ].join("\n");
    const findings = check({ "a.yaml": a, "b.yaml": b, "hpa.yaml": hpa }, ["b.yaml"]);
    expect(findings).toEqual([
      expect.objectContaining({
        file: "b.yaml",
        path: "metadata.namespace",
        ...positionOfText(b, "namespace: shop-dev"),
        message:
          'Namespace "shop-dev" would request 2150m CPU across 2 workload(s); the largest size allowed in development ("small") allows 2 per namespace.',
      }),
    ]);
    expect(check({ "a.yaml": a, "b.yaml": b }, ["b.yaml"])).toEqual([]);
  });

  it("reports nothing when no file of the namespace is part of the change", () => {
    const a = deploymentYaml({ name: "a", namespace: "shop-dev", replicas: 3, cpu: "900m" });
    expect(check({ "a.yaml": a }, [])).toEqual([]);
  });
});
