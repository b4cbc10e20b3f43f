import { describe, expect, it } from "vitest";
import { describeSchemaSet } from "../../../../src/core/validate/schema/describe-schema-set.js";

const catalog = { description: "kubernetes-models 4.5.1", kubernetesVersion: "1.27" };

describe("describeSchemaSet", () => {
  it("says when the schemas are not those of the configured Kubernetes version", () => {
    expect(describeSchemaSet({ catalog, configuredVersion: "1.31" })).toEqual({
      source: "kubernetes-models 4.5.1",
      kubernetesVersion: "1.27",
      configuredVersion: "1.31",
      matchesConfigured: false,
      note: "Schemas: kubernetes-models 4.5.1 (Kubernetes 1.27 by its own account), not the configured Kubernetes 1.31's: fields and kinds that changed in between are judged by this set.",
    });
  });

  it("says when they are", () => {
    expect(describeSchemaSet({ catalog, configuredVersion: "1.27" })).toMatchObject({
      matchesConfigured: true,
      note: "Schemas: kubernetes-models 4.5.1 (Kubernetes 1.27 by its own account), the configured Kubernetes version.",
    });
  });

  it("says when no version is configured, or the package states none", () => {
    expect(describeSchemaSet({ catalog }).note).toBe(
      "Schemas: kubernetes-models 4.5.1 (Kubernetes 1.27 by its own account); the platform configuration names no Kubernetes version (`deprecatedApis.kubernetesVersion`).",
    );
    expect(
      describeSchemaSet({ catalog: { description: "own-schemas 1.0.0", kubernetesVersion: null }, configuredVersion: "1.31" }),
    ).toMatchObject({
      matchesConfigured: false,
      note: "Schemas: own-schemas 1.0.0 (no Kubernetes version stated), not the configured Kubernetes 1.31's: fields and kinds that changed in between are judged by this set.",
    });
  });
});
