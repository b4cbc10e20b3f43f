import { describe, expect, it } from "vitest";
import { evaluatePlatformRules } from "../../../../src/core/policy/platform/evaluate-platform-rules.js";
import { configOf, deploymentYaml, manifestsOf, positionOfText } from "./platform-test-helpers.js";

const config = configOf({
  ownership: { paths: ["apps/{team}/**"] },
  teams: { shop: { quota: { cpu: "2", memory: "4Gi" }, namespaces: ["storefront"] }, search: {} },
  rules: { references: { severity: "off" } },
});

function check(files: Record<string, string>, changed: string[]) {
  return evaluatePlatformRules({ config, manifests: manifestsOf(files), isJudged: (file) => changed.includes(file) }).filter(
    (f) => f.rule === "team-quota",
  );
}

describe("team quota", () => {
  it("adds the team's requests over the whole repository, not just the change", () => {
    const existing = deploymentYaml({ name: "api", namespace: "shop", replicas: 3, cpu: "500m" });
    const added = deploymentYaml({ name: "web", namespace: "shop", replicas: 2, cpu: "300m" });
    const findings = check({ "apps/shop/api.yaml": existing, "apps/shop/web.yaml": added }, ["apps/shop/web.yaml"]);
    expect(findings).toEqual([
      {
        policy: "platform",
        rule: "team-quota",
        severity: "error",
        file: "apps/shop/web.yaml",
        ...positionOfText(added, "requests:"),
        path: "spec.template.spec.containers[0].resources.requests",
        message: 'Team "shop" would request 2100m CPU in total across 2 workload(s), above its quota of 2.',
        hint: "Lower replicas or requests, remove unused workloads, or ask the platform team for a larger quota.",
      },
    ]);
  });

  it("stays quiet within the quota and for teams without one", () => {
    const files = {
      "apps/shop/api.yaml": deploymentYaml({ name: "api", namespace: "shop", replicas: 2, cpu: "500m", memory: "1Gi" }),
      "apps/search/big.yaml": deploymentYaml({ name: "big", namespace: "search", replicas: 10, cpu: "4" }),
    };
    expect(check(files, Object.keys(files))).toEqual([]);
  });

  it("counts workloads outside team folders by namespace, and memory as well as CPU", () => {
    const files = {
      "apps/shop/api.yaml": deploymentYaml({ name: "api", namespace: "shop", replicas: 2, memory: "1Gi" }),
      "clusters/prod/storefront.yaml": deploymentYaml({ name: "front", namespace: "storefront", replicas: 3, memory: "1Gi" }),
    };
    const findings = check(files, ["clusters/prod/storefront.yaml"]);
    expect(findings.map((f) => [f.file, f.message])).toEqual([
      ["clusters/prod/storefront.yaml", 'Team "shop" would request 5Gi memory in total across 2 workload(s), above its quota of 4Gi.'],
    ]);
  });

  it("counts the larger of an init container and the sum of the regular containers per pod", () => {
    const text = [
      "apiVersion: batch/v1",
      "kind: Job",
      "metadata: { name: migrate, namespace: shop }",
      "spec:",
      "  parallelism: 2",
      "  template:",
      "    spec:",
      "      initContainers:",
      "        - { name: init, image: x:1, resources: { requests: { cpu: 1500m } } }",
      "      containers:",
      "        - { name: a, image: x:1, resources: { requests: { cpu: 100m } } }",
      "        - { name: b, image: x:1, resources: { requests: { cpu: 100m } } }",
    ].join("\n");
    const findings = check({ "apps/shop/job.yaml": text }, ["apps/shop/job.yaml"]);
    expect(findings.map((f) => f.message)).toEqual([
      'Team "shop" would request 3 CPU in total across 1 workload(s), above its quota of 2.',
    ]);
  });
});
