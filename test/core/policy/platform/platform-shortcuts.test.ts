import { describe, expect, it } from "vitest";
import { foldersOf } from "../../../../src/core/policy/platform/check-references.js";
import { checkPodDisruptionBudgets } from "../../../../src/core/policy/platform/check-pod-disruption-budgets.js";
import { compileSelector } from "../../../../src/core/policy/platform/label-selector.js";
import { createPlatformContext, sameNamespace } from "../../../../src/core/policy/platform/platform-context.js";
import { asRecord } from "../../../../src/core/policy/platform/workloads.js";
import type { Manifest } from "../../../../src/core/policy/types.js";
import { configOf } from "./platform-test-helpers.js";
import { seededRandom } from "../../../helpers/seeded-random.js";

/** A small seeded generator, so a failure repeats. */
function random(seed: number): (n: number) => number {
  return seededRandom(seed).below;
}

const NAMESPACES = [undefined, "a", "b", "constructor", "__proto__"];
const LABELS: unknown[] = [
  undefined,
  "not a mapping",
  {},
  { app: "web" },
  { app: "web", tier: "front" },
  { app: "api", tier: "back" },
  { app: 7, tier: true },
  { app: "7" },
  { constructor: "x", app: "web" },
  { tier: "front" },
];
const SELECTORS: unknown[] = [
  undefined,
  null,
  "text",
  {},
  { app: "web" },
  { app: "web", tier: "front" },
  { app: 7 },
  { app: "nothing" },
  { constructor: "x" },
  { toString: "x" },
  { __proto__: "x" },
  { matchLabels: { app: "web" } },
  { matchLabels: {} },
  { matchLabels: { tier: "front" }, matchExpressions: [{ key: "app", operator: "In", values: ["web", "api"] }] },
  { matchExpressions: [{ key: "app", operator: "Exists" }] },
  { matchExpressions: [{ key: "tier", operator: "DoesNotExist" }] },
  { matchExpressions: [{ key: "app", operator: "NotIn", values: ["web"] }] },
  { matchExpressions: "not a list" },
  { matchLabels: "not a mapping" },
];

function deployment(pick: (n: number) => number, index: number): Manifest {
  const namespace = NAMESPACES[pick(NAMESPACES.length)];
  const labels = LABELS[pick(LABELS.length)];
  const object = {
    apiVersion: "apps/v1",
    kind: pick(5) === 0 ? "Pod" : "Deployment",
    metadata: { name: `w-${index}`, ...(namespace === undefined ? {} : { namespace }), ...(labels === undefined ? {} : { labels }) },
    spec: {
      template: { metadata: labels === undefined ? {} : { labels }, spec: { containers: [{ name: "c" }] } },
      containers: [{ name: "c" }],
    },
  };
  return { file: `f${index}.yaml`, documentIndex: 0, object, positionOf: () => ({ line: 1, column: 1 }) };
}

describe("platform rule shortcuts against their slow paths", () => {
  it("selectsWorkload answers as testing every workload near the namespace does", () => {
    const config = configOf({});
    for (let seed = 1; seed <= 60; seed++) {
      const pick = random(seed);
      const manifests = Array.from({ length: pick(12) }, (_, index) => deployment(pick, index));
      const context = createPlatformContext({ config, manifests, isJudged: () => true });
      for (const namespace of NAMESPACES) {
        for (const selector of SELECTORS) {
          for (const emptySelects of [true, false]) {
            const matches = compileSelector(selector, emptySelects);
            const slow = context.workloadsNear(namespace).some((workload) => matches(workload.podLabels));
            expect(
              context.selectsWorkload({ namespace, selector, emptySelects }),
              `seed ${seed} ${String(namespace)} ${JSON.stringify(selector)}`,
            ).toBe(slow);
          }
        }
      }
    }
  });

  it("require-pdb compares each workload with the PDBs of its namespace and the unplaced ones, as comparing with all of them does", () => {
    const config = configOf({
      sizes: { large: { replicas: 10 } },
      environments: [{ name: "production", paths: ["**"], maxSize: "large" }],
    });
    let seedsWithCover = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const pick = random(seed);
      const manifests = Array.from({ length: 1 + pick(10) }, (_, index) => {
        const manifest = deployment(pick, index);
        (manifest.object.spec as Record<string, unknown>).replicas = 2;
        if (pick(2) === 0) return manifest;
        const namespace = NAMESPACES[pick(NAMESPACES.length)];
        const object = {
          apiVersion: "policy/v1",
          kind: "PodDisruptionBudget",
          metadata: { name: `p-${index}`, ...(namespace === undefined ? {} : { namespace }) },
          spec: { selector: SELECTORS[pick(SELECTORS.length)] },
        };
        return { ...manifest, object };
      });
      const context = createPlatformContext({ config, manifests, isJudged: () => true });
      const pdbs = context.objectsOfKind("PodDisruptionBudget");
      const uncovered = context.workloads
        .filter((w) => w.kind === "Deployment")
        .filter(
          (w) =>
            !pdbs.some(
              (pdb) =>
                sameNamespace(pdb.namespace, w.namespace) &&
                compileSelector(asRecord(pdb.manifest.object.spec)?.selector, true)(w.podLabels),
            ),
        )
        .map((w) => w.manifest.file);
      const found = checkPodDisruptionBudgets(context, { severity: "warning", environments: ["production"] }).map((f) => f.file);
      expect(found, `seed ${seed}`).toEqual(uncovered);
      if (found.length < context.workloads.length && pdbs.length > 0) seedsWithCover++;
    }
    // The generated repositories do exercise coverage, not only its absence.
    expect(seedsWithCover).toBeGreaterThan(10);
  });

  it("foldersOf holds exactly the folders some file starts with, followed by a slash", () => {
    const files = ["apps/a/x.yaml", "apps/a/b/y.yaml", "/lead.yaml", "a//b/c", "top.yaml", "apps/ab/z.yaml", "trailing/"];
    const candidates = [
      "apps",
      "apps/a",
      "apps/a/b",
      "apps/ab",
      "apps/b",
      "app",
      "a",
      "a/",
      "a//b",
      "",
      "/lead.yaml",
      "trailing",
      "top.yaml",
    ];
    const folders = foldersOf(files);
    for (const folder of candidates) {
      expect(folders.has(folder), folder).toBe(files.some((file) => file.startsWith(`${folder}/`)));
    }
  });
});
