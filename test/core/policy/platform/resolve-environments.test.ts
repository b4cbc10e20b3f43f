import { describe, expect, it } from "vitest";
import { own } from "../../../../src/core/own.js";
import { globToRegExp, matchesAny } from "../../../../src/core/policy/platform/glob.js";
import type { PlatformConfig } from "../../../../src/core/policy/platform/platform-config.schema.js";
import { resolveEnvironments } from "../../../../src/core/policy/platform/resolve-environments.js";
import { asRecord, identify, stringRecord } from "../../../../src/core/policy/platform/workloads.js";
import type { Manifest } from "../../../../src/core/policy/types.js";
import { configOf } from "./platform-test-helpers.js";
import { seededRandom } from "../../../helpers/seeded-random.js";

/** The direct reading, object by object, that the cached resolution must always agree with. */
function slowEnvironmentOf(config: PlatformConfig, manifest: Manifest): string | undefined {
  const { namespace } = identify(manifest);
  const labels = stringRecord(asRecord(manifest.object.metadata)?.labels);
  const found = config.environments.find(
    (environment) =>
      (namespace !== undefined && matchesAny(environment.namespaces.map(globToRegExp), namespace)) ||
      matchesAny(environment.paths.map(globToRegExp), manifest.file) ||
      (Object.keys(environment.labels).length > 0 && Object.entries(environment.labels).every(([key, value]) => labels[key] === value)),
  );
  return found && own(config.sizes, found.maxSize) ? found.name : undefined;
}

/** A small seeded generator, so a failure repeats. */
function random(seed: number): (n: number) => number {
  return seededRandom(seed).below;
}

const NAMESPACES = [undefined, "", "prod", "team-a-prod", "team-a-dev", "staging", "x/prod", "constructor", "__proto__", "dev"];
const FILES = ["apps/a/prod/app.yaml", "apps/a/dev/app.yaml", "apps/b/app.yaml", "cluster/ns.yaml", "apps/a/dev", "x.yaml"];
const LABEL_SETS: unknown[] = [
  undefined,
  "not a mapping",
  ["environment", "production"],
  { environment: "production" },
  { environment: "staging", tier: "web" },
  { environment: 7 },
  { tier: "web" },
  { toString: "production" },
  { constructor: "x" },
];

function manifestOf(pick: (n: number) => number, index: number): Manifest {
  const namespace = NAMESPACES[pick(NAMESPACES.length)];
  const metadata: Record<string, unknown> = { name: `o-${index}` };
  if (namespace !== undefined) metadata.namespace = namespace;
  const labels = LABEL_SETS[pick(LABEL_SETS.length)];
  if (labels !== undefined) metadata.labels = labels;
  if (pick(10) === 0) metadata.namespace = 42;
  return {
    file: FILES[pick(FILES.length)] ?? "x.yaml",
    documentIndex: 0,
    object: pick(12) === 0 ? { kind: "Thing" } : { apiVersion: "v1", kind: "Thing", metadata },
    positionOf: () => ({ line: 1, column: 1 }),
  };
}

describe("resolveEnvironments", () => {
  it("answers as the direct reading does, on varied and hostile objects and configs, in any order", () => {
    const base = configOf({ sizes: { small: { replicas: 2 }, large: { replicas: 6 } } });
    const environments: PlatformConfig["environments"] = [
      { name: "by-label", namespaces: [], paths: [], labels: { environment: "production" }, maxSize: "large" },
      { name: "production", namespaces: ["*-prod", "prod"], paths: [], labels: {}, maxSize: "large" },
      { name: "two-labels", namespaces: [], paths: [], labels: { environment: "staging", tier: "web" }, maxSize: "small" },
      { name: "no-size", namespaces: ["staging"], paths: ["cluster/**"], labels: {}, maxSize: "missing" },
      { name: "dev-path", namespaces: ["*-dev"], paths: ["apps/*/dev/**"], labels: {}, maxSize: "small" },
      { name: "proto", namespaces: ["constructor", "__proto__"], paths: [], labels: { toString: "production" }, maxSize: "constructor" },
      { name: "numbers", namespaces: [], paths: ["**/x.yaml"], labels: { environment: "7" }, maxSize: "small" },
      { name: "catch-all", namespaces: ["**"], paths: [], labels: {}, maxSize: "small" },
    ];
    for (let seed = 1; seed <= 40; seed++) {
      const pick = random(seed);
      // Each seed keeps a random subset of the environments, in a random order.
      const chosen = environments.filter(() => pick(3) > 0).sort(() => pick(3) - 1);
      const config = { ...base, environments: chosen };
      const environmentOf = resolveEnvironments(config);
      for (let index = 0; index < 60; index++) {
        const manifest = manifestOf(pick, index);
        const namespace = identify(manifest).namespace;
        // Twice: the second answer comes from the caches.
        for (let round = 0; round < 2; round++) {
          expect(environmentOf({ manifest, namespace })?.environment.name, `seed ${seed}, object ${index}`).toBe(
            slowEnvironmentOf(config, manifest),
          );
        }
      }
    }
  });

  it("gives the size of the environment it chose", () => {
    const config = configOf({
      sizes: { small: { replicas: 2 }, large: { replicas: 6 } },
      environments: [{ name: "production", namespaces: ["*-prod"], maxSize: "large" }],
    });
    const manifest = manifestOf(() => 0, 0);
    expect(resolveEnvironments(config)({ manifest, namespace: "a-prod" })?.size.replicas).toBe(6);
  });
});
