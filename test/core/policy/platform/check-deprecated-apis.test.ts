import { describe, expect, it } from "vitest";
import { DEPRECATED_APIS } from "../../../../src/core/policy/platform/deprecated-apis.js";
import { evaluatePlatformRules } from "../../../../src/core/policy/platform/evaluate-platform-rules.js";
import { configOf, manifestsOf } from "./platform-test-helpers.js";

function check(apiVersion: string, kind: string, kubernetesVersion: string | undefined) {
  const config = configOf({
    rules: { references: { severity: "off" }, deprecatedApis: kubernetesVersion ? { kubernetesVersion } : {} },
  });
  const text = `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: x\nspec: {}\n`;
  return evaluatePlatformRules({ config, manifests: manifestsOf({ "x.yaml": text }) });
}

describe("deprecated and removed APIs", () => {
  it.each([
    ["extensions/v1beta1", "Ingress", "1.31", "error"],
    ["networking.k8s.io/v1beta1", "Ingress", "1.22", "error"],
    ["networking.k8s.io/v1beta1", "Ingress", "1.21", "warning"],
    ["networking.k8s.io/v1beta1", "Ingress", "1.18", undefined],
    ["policy/v1beta1", "PodDisruptionBudget", "1.25", "error"],
    ["policy/v1beta1", "PodSecurityPolicy", "1.24", "warning"],
    ["batch/v1beta1", "CronJob", "1.29", "error"],
    ["autoscaling/v2beta1", "HorizontalPodAutoscaler", "1.25", "error"],
    ["autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.25", "warning"],
    ["autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.26", "error"],
    ["flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", "1.26", "error"],
    ["flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration", "1.28", "warning"],
    ["flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", "1.32", "error"],
    ["flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", "1.31", "warning"],
    ["networking.k8s.io/v1", "Ingress", "1.31", undefined],
    ["batch/v1", "CronJob", "1.31", undefined],
    ["policy/v1beta1", "PodDisruptionBudget", undefined, undefined],
  ])("%s %s on Kubernetes %s: %s", (apiVersion, kind, version, expected) => {
    const findings = check(apiVersion, kind, version);
    expect(findings.map((f) => f.severity)).toEqual(expected ? [expected] : []);
  });

  it("points at apiVersion and names the replacement", () => {
    expect(check("batch/v1beta1", "CronJob", "1.31")).toEqual([
      {
        policy: "platform",
        rule: "deprecated-api",
        severity: "error",
        file: "x.yaml",
        line: 1,
        column: 1,
        path: "apiVersion",
        message: 'CronJob "x" uses batch/v1beta1, which Kubernetes 1.25 removed (target is 1.31); use batch/v1.',
        hint: "Change apiVersion to batch/v1 and adapt the fields that changed (see the Kubernetes deprecation guide).",
      },
    ]);
    expect(check("autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.24")[0]?.message).toBe(
      'HorizontalPodAutoscaler "x" uses autoscaling/v2beta2, deprecated since Kubernetes 1.23 and removed in 1.26; use autoscaling/v2.',
    );
  });

  it("keeps a consistent table: each entry deprecated before it is removed, replaced by a different version", () => {
    for (const entry of DEPRECATED_APIS) {
      expect(entry.deprecatedIn).toBeLessThan(entry.removedIn);
      expect(entry.replacement).not.toBe(entry.apiVersion);
    }
  });
});
