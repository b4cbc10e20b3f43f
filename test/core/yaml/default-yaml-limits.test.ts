import { describe, expect, it } from "vitest";
import { DEFAULT_YAML_LIMITS, resolveYamlLimits } from "../../../src/core/yaml/default-yaml-limits.js";

describe("resolveYamlLimits", () => {
  it("uses the defaults for anything not set", () => {
    expect(resolveYamlLimits(undefined)).toEqual(DEFAULT_YAML_LIMITS);
    expect(resolveYamlLimits({ maxDepth: 10 })).toEqual({ ...DEFAULT_YAML_LIMITS, maxDepth: 10 });
  });

  it("keeps zero aliases (no aliases allowed) but never a zero or broken size, depth or document count", () => {
    expect(resolveYamlLimits({ maxAliases: 0 }).maxAliases).toBe(0);
    expect(resolveYamlLimits({ maxBytes: 0, maxDepth: -3, maxDocuments: 1.5 })).toEqual(DEFAULT_YAML_LIMITS);
  });

  it("cannot be changed by accident", () => {
    expect(Object.isFrozen(DEFAULT_YAML_LIMITS)).toBe(true);
  });
});
