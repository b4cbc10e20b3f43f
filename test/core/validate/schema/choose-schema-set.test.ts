import { describe, expect, it } from "vitest";
import { chooseSchemaSet } from "../../../../src/core/validate/schema/choose-schema-set.js";

const shipped = ["1.27", "1.33", "1.34"];

describe("chooseSchemaSet", () => {
  it("takes the configured minor's own set when one is shipped", () => {
    expect(chooseSchemaSet({ shipped, configuredVersion: "1.33" })).toEqual({
      kubernetesVersion: "1.33",
      configuredVersion: "1.33",
      selection: "configured",
    });
    expect(chooseSchemaSet({ shipped, configuredVersion: "1.27" }).selection).toBe("configured");
  });

  it("takes the nearest shipped set otherwise, and says it did", () => {
    expect(chooseSchemaSet({ shipped, configuredVersion: "1.31" })).toEqual({
      kubernetesVersion: "1.33",
      configuredVersion: "1.31",
      selection: "nearest",
    });
    expect(chooseSchemaSet({ shipped, configuredVersion: "1.29" })).toMatchObject({ kubernetesVersion: "1.27", selection: "nearest" });
  });

  it("takes the newer of two equally near sets", () => {
    expect(chooseSchemaSet({ shipped, configuredVersion: "1.30" })).toMatchObject({ kubernetesVersion: "1.33", selection: "nearest" });
  });

  it("takes the oldest or newest set for a version outside the shipped range, never no set", () => {
    expect(chooseSchemaSet({ shipped, configuredVersion: "1.20" })).toMatchObject({ kubernetesVersion: "1.27", selection: "nearest" });
    expect(chooseSchemaSet({ shipped, configuredVersion: "1.0" })).toMatchObject({ kubernetesVersion: "1.27", selection: "nearest" });
    expect(chooseSchemaSet({ shipped, configuredVersion: "1.40" })).toMatchObject({ kubernetesVersion: "1.34", selection: "nearest" });
    // The platform configuration's schema takes any number of digits: so does the choice.
    expect(chooseSchemaSet({ shipped, configuredVersion: `1.${"9".repeat(400)}` })).toMatchObject({
      kubernetesVersion: "1.34",
      selection: "nearest",
    });
  });

  it("takes the newest set when no version is configured, whatever order the sets come in", () => {
    expect(chooseSchemaSet({ shipped: ["1.34", "1.27", "1.33"] })).toEqual({
      kubernetesVersion: "1.34",
      configuredVersion: null,
      selection: "newest",
    });
  });

  it("compares minors as numbers, not text", () => {
    expect(chooseSchemaSet({ shipped: ["1.9", "1.10"], configuredVersion: "1.11" })).toMatchObject({ kubernetesVersion: "1.10" });
    expect(chooseSchemaSet({ shipped, configuredVersion: "1.033" })).toMatchObject({ kubernetesVersion: "1.33", selection: "configured" });
  });

  it("refuses a value that is not a minor version (the platform configuration's schema reports it first)", () => {
    expect(() => chooseSchemaSet({ shipped, configuredVersion: "1.x" })).toThrow("not a Kubernetes minor version: 1.x");
  });
});
