import { describe, expect, it } from "vitest";
import { describeSchemaSet } from "../../../../src/core/validate/schema/describe-schema-set.js";

const shipped = ["1.27", "1.33", "1.34"];
const packages = "kubernetes-models 4.5.1, @kubernetes-models/argo-cd 2.7.2";

describe("describeSchemaSet", () => {
  it("names the set and says when it is the configured version's own", () => {
    expect(
      describeSchemaSet({ catalog: { description: packages, kubernetesVersion: "1.33" }, shipped, configuredVersion: "1.33" }),
    ).toEqual({
      source: packages,
      kubernetesVersion: "1.33",
      configuredVersion: "1.33",
      selection: "configured",
      shipped,
      matchesConfigured: true,
      note: `Schemas: Kubernetes 1.33 (configured 1.33), from ${packages}.`,
    });
  });

  it("says when it is the nearest shipped set instead, and which sets there are", () => {
    expect(
      describeSchemaSet({ catalog: { description: packages, kubernetesVersion: "1.33" }, shipped, configuredVersion: "1.31" }),
    ).toMatchObject({
      selection: "nearest",
      matchesConfigured: false,
      note: `Schemas: Kubernetes 1.33 (configured 1.31, nearest shipped of 1.27, 1.33, 1.34), from ${packages}. Fields and kinds that changed between 1.31 and 1.33 are judged as 1.33 has them.`,
    });
  });

  it("says when no version is configured and the newest set judged", () => {
    expect(
      describeSchemaSet({ catalog: { description: packages, kubernetesVersion: "1.34" }, shipped: ["1.34", "1.27", "1.33"] }),
    ).toMatchObject({
      selection: "newest",
      shipped,
      configuredVersion: null,
      note: `Schemas: Kubernetes 1.34 (newest shipped; no \`deprecatedApis.kubernetesVersion\` is configured), from ${packages}.`,
    });
  });
});
