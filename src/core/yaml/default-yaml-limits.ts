import type { YamlLimits } from "./types.js";

/**
 * Limits applied when no configuration overrides them (docs/yaml-limits.md explains each one).
 * They are far above what real manifests need and far below what hurts a two-core runner.
 */
export const DEFAULT_YAML_LIMITS: Readonly<YamlLimits> = Object.freeze({
  maxBytes: 1024 * 1024,
  maxDepth: 64,
  maxAliases: 100,
  maxDocuments: 500,
});

/**
 * Fills the unset fields of a partial limits object with the defaults.
 * Values that are not positive integers (a typo in config) fall back to the default rather than
 * switching a protection off.
 */
export function resolveYamlLimits(limits: Partial<YamlLimits> | undefined): YamlLimits {
  return {
    maxBytes: pick(limits?.maxBytes, DEFAULT_YAML_LIMITS.maxBytes),
    maxDepth: pick(limits?.maxDepth, DEFAULT_YAML_LIMITS.maxDepth),
    // Zero is meaningful here: "no aliases at all".
    maxAliases: pick(limits?.maxAliases, DEFAULT_YAML_LIMITS.maxAliases, 0),
    maxDocuments: pick(limits?.maxDocuments, DEFAULT_YAML_LIMITS.maxDocuments),
  };
}

function pick(value: number | undefined, fallback: number, minimum = 1): number {
  return typeof value === "number" && Number.isInteger(value) && value >= minimum ? value : fallback;
}
