import { describe, expect, it } from "vitest";
import { foldersOf } from "../../../../src/core/policy/platform/check-references.js";
import { compileSelector } from "../../../../src/core/policy/platform/label-selector.js";
import { createPlatformContext } from "../../../../src/core/policy/platform/platform-context.js";
import type { Manifest } from "../../../../src/core/policy/types.js";
import { configOf } from "./platform-test-helpers.js";

/** A small seeded generator, so a failure repeats. */
function random(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
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
