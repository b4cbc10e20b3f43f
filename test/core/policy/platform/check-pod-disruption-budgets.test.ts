import { describe, expect, it } from "vitest";
import { evaluatePlatformRules } from "../../../../src/core/policy/platform/evaluate-platform-rules.js";
import { configOf, deploymentYaml, ENVIRONMENTS, manifestsOf, positionOfText, SIZES } from "./platform-test-helpers.js";

const config = configOf({ sizes: SIZES, environments: ENVIRONMENTS, rules: { references: { severity: "off" } } });
const pdb = (selector: string) =>
  `apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: { name: web, namespace: shop-prod }\nspec:\n  maxUnavailable: 1\n  selector: ${selector}\n`;

function check(files: Record<string, string>) {
  return evaluatePlatformRules({ config, manifests: manifestsOf(files) }).filter((f) => f.rule === "require-pdb");
}

describe("no PodDisruptionBudget", () => {
  it("warns at the name of a replicated production workload no PDB covers", () => {
    const text = deploymentYaml({ name: "web", namespace: "shop-prod", replicas: 3 });
    expect(check({ "web.yaml": text, "pdb.yaml": pdb("{ matchLabels: { app: other } }") })).toEqual([
      {
        policy: "platform",
        rule: "require-pdb",
        severity: "warning",
        file: "web.yaml",
        ...positionOfText(text, "name: web"),
        path: "metadata.name",
        message: 'Deployment "web" runs in production with several replicas but no PodDisruptionBudget selects its pods.',
        hint: "Add a PodDisruptionBudget (policy/v1) whose selector matches the pod template labels, for example with maxUnavailable: 1.",
      },
    ]);
  });

  it("is satisfied by a matching PDB", () => {
    const text = deploymentYaml({ name: "web", namespace: "shop-prod", replicas: 3 });
    expect(check({ "web.yaml": text, "pdb.yaml": pdb("{ matchLabels: { app: web } }") })).toEqual([]);
  });

  it("leaves single replicas and other environments alone", () => {
    expect(check({ "a.yaml": deploymentYaml({ name: "a", namespace: "shop-prod", replicas: 1 }) })).toEqual([]);
    expect(check({ "b.yaml": deploymentYaml({ name: "b", namespace: "shop-dev", replicas: 2 }) })).toEqual([]);
  });
});
