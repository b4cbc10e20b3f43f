import { describe, expect, it } from "vitest";
import { copyPattern } from "../../../../src/core/policy/kyverno/copy-pattern.js";
import { matchPattern, matchPlan } from "../../../../src/core/policy/kyverno/match-pattern.js";
import type { PatternResult } from "../../../../src/core/policy/kyverno/match-pattern.js";
import { patternExpands, staticPlan } from "../../../../src/core/policy/kyverno/pattern-plan.js";

// Issue 16: a pattern is compiled once into a plan (pattern-plan.ts) that the walk follows. Where
// Kyverno's metadata wildcard expansion rewrites the pattern in place, a static plan keeps each
// walk's rewrite beside it instead of copying the pattern. The reference is the walk over a deep
// copy that the expansion rewrites in place (Kyverno's own way): every case must give the same
// result both ways, leave the compiled pattern as written, and carry nothing over to the next walk.

/** A result as plain data: a failure's, a skip's or an error's message is written when read. */
function data(result: PatternResult): PatternResult {
  if (result.status === "pass") return { status: "pass" };
  if (result.status !== "fail") return { status: result.status, message: result.message };
  return { status: "fail", path: result.path, segments: [...result.segments], message: result.message };
}

function viaPlan(resource: unknown, pattern: unknown): PatternResult {
  const plan = staticPlan(pattern);
  if (!plan) throw new Error("no static plan");
  return data(matchPlan(resource, plan));
}

const viaCopy = (resource: unknown, pattern: unknown): PatternResult => data(matchPattern(resource, structuredClone(pattern)));

const labelled = (labels: Record<string, unknown>, annotations: Record<string, unknown> = {}) => ({ metadata: { labels, annotations } });

const CASES: { name: string; pattern: unknown; resources: unknown[] }[] = [
  {
    name: "a negated wildcard annotation",
    pattern: { metadata: { "=(annotations)": { "X(fluxcd.io/*)": "*?" } } },
    resources: [
      labelled({}, { "fluxcd.io/automated": "true" }),
      labelled({}, { other: "x" }),
      { metadata: {} },
      { metadata: { annotations: "text" } },
      {},
    ],
  },
  {
    name: "wildcard label keys that must hold a value",
    pattern: { metadata: { labels: { "app.kubernetes.io/*": "?*", team: "?*" } } },
    resources: [
      labelled({ "app.kubernetes.io/name": "web", team: "a" }),
      labelled({ "app.kubernetes.io/name": "", team: "a" }),
      labelled({ team: "a" }),
      labelled({ "app.kubernetes.io/*": "literal", team: "a" }),
      labelled({ "app.kubernetes.io/name": 5, team: "a" }),
    ],
  },
  {
    name: "anchored wildcard keys and values that are not strings (dropped by the expansion)",
    pattern: { "=(metadata)": { "=(labels)": { "=(tier-*)": "front | back", count: 3, nested: { "(x)": "y" } } } },
    resources: [labelled({ "tier-web": "front" }), labelled({ "tier-web": "middle" }), labelled({ count: "3" }), labelled({})],
  },
  {
    // The items share one pattern map: the first item's expansion is what the next items see
    // (Kyverno rewrites the pattern in place), so the second item is judged on the first's key.
    name: "a metadata expansion met again for every item of a list",
    pattern: { spec: { items: [{ metadata: { labels: { "app/*": "?*" } } }] } },
    resources: [
      { spec: { items: [labelled({ "app/name": "a" }), labelled({ "app/version": "1" })] } },
      { spec: { items: [labelled({ "app/name": "a" }), labelled({ "app/name": "b" })] } },
      { spec: { items: [labelled({ other: "a" }), labelled({ "app/name": "" })] } },
      { spec: { items: [labelled({ "app/name": "" }), labelled({ "app/name": "b" })] } },
      { spec: { items: [] } },
    ],
  },
  {
    name: "a conditional anchor inside an expanded list",
    pattern: { spec: { items: [{ "(metadata)": { labels: { "role/*": "db" } }, spec: { size: ">1" } }] } },
    resources: [
      { spec: { items: [{ ...labelled({ "role/main": "db" }), spec: { size: 1 } }] } },
      {
        spec: {
          items: [
            { ...labelled({ "role/main": "web" }), spec: { size: 1 } },
            { ...labelled({ "role/x": "db" }), spec: { size: 2 } },
          ],
        },
      },
    ],
  },
  {
    name: "anchors of every kind",
    pattern: {
      spec: {
        "^(containers)": [{ name: "app" }],
        containers: [{ "(image)": "*:latest", "=(imagePullPolicy)": "Always", "X(hostPort)": "null" }],
        "<(hostNetwork)": false,
        "+(dnsPolicy)": "ClusterFirst",
      },
    },
    resources: [
      {
        spec: {
          containers: [{ name: "app", image: "a:latest", imagePullPolicy: "Always" }],
          hostNetwork: false,
          dnsPolicy: "ClusterFirst",
        },
      },
      {
        spec: { containers: [{ name: "app", image: "a:latest", imagePullPolicy: "Never" }], hostNetwork: false, dnsPolicy: "ClusterFirst" },
      },
      { spec: { containers: [{ name: "app", image: "a:1", hostPort: 80 }], hostNetwork: false, dnsPolicy: "ClusterFirst" } },
      { spec: { containers: [{ name: "side", image: "a:1" }], hostNetwork: false, dnsPolicy: "ClusterFirst" } },
      { spec: { containers: [{ name: "app", image: "a:1" }], hostNetwork: true, dnsPolicy: "ClusterFirst" } },
      { spec: { containers: "text", hostNetwork: false } },
    ],
  },
  {
    name: "keys a plain object inherits, and keys holding '/' or nothing",
    pattern: { spec: { "=(constructor)": "x", toString: "?*", "a/b": { "": "v" } } },
    resources: [
      { spec: { toString: "y", "a/b": { "": "v" } } },
      { spec: { constructor: "z", toString: "y", "a/b": { "": "w" } } },
      { spec: {} },
    ],
  },
];

describe("a static plan walks as a copy rewritten in place does", () => {
  it.each(CASES)("$name", ({ pattern, resources }) => {
    const written = structuredClone(pattern);
    const expected = resources.map((resource) => viaCopy(resource, pattern));
    // Twice over, forwards then backwards: nothing one walk rewrote may reach the next walk.
    expect(resources.map((resource) => viaPlan(resource, pattern))).toEqual(expected);
    expect([...resources].reverse().map((resource) => viaPlan(resource, pattern))).toEqual([...expected].reverse());
    expect(resources.map((resource) => data(matchPattern(resource, copyPattern(pattern))))).toEqual(expected);
    expect(pattern).toEqual(written);
  });

  it("reports a failure's exact keys, '/' in them included, and Kyverno's path text", () => {
    const pattern = { metadata: { annotations: { "example.com/owner": "?*" } } };
    expect(viaPlan({ metadata: { annotations: { "example.com/owner": "" } } }, pattern)).toMatchObject({
      status: "fail",
      path: "/metadata/annotations/example.com/owner/",
      segments: ["metadata", "annotations", "example.com/owner"],
    });
    const nested = { spec: { "a/b": { "c/d": [{ "": ">1" }] } } };
    expect(viaPlan({ spec: { "a/b": { "c/d": [{ "": 2 }, { "": 0 }] } } }, nested)).toMatchObject({
      status: "fail",
      path: "/spec/a/b/c/d/1//",
      segments: ["spec", "a/b", "c/d", 1, ""],
    });
  });
});

// Kyverno tells a skip from a failure partly by searching the error text for "conditional anchor
// mismatch" or "global anchor mismatch"; the walk tells without writing the text. A value, a
// pattern or a key holding those words, or a list whose items spell them, must still count.
describe("failures whose text mentions an anchor's error", () => {
  const words = "conditional anchor mismatch";
  it.each([
    ["a resource value", { spec: { items: [{ name: "a" }] } }, { spec: { items: [{ name: `x ${words} y` }] } }],
    ["a pattern value", { spec: { items: [{ name: `global anchor mismatch|a` }] } }, { spec: { items: [{ name: "b" }] } }],
    ["a key", { spec: { items: [{ [words]: "a" }] } }, { spec: { items: [{ [words]: "b" }] } }],
    ["a missing key", { spec: { items: [{ [words]: "*" }] } }, { spec: { items: [{}] } }],
    ["a list spelling them", { spec: { items: [{ name: "a" }] } }, { spec: { items: [{ name: ["conditional", "anchor", "mismatch"] }] } }],
  ])("%s makes a skip", (_what, pattern, resource) => {
    expect(viaPlan(resource, pattern).status).toBe("skip");
    expect(viaCopy(resource, pattern).status).toBe("skip");
  });

  it("other words make a failure", () => {
    expect(viaPlan({ spec: { items: [{ name: "anchor mismatch" }] } }, { spec: { items: [{ name: "a" }] } }).status).toBe("fail");
  });
});

describe("patterns the walk may only see as a copy", () => {
  it("a YAML alias next to an expanded metadata map is walked in a copy that keeps the alias", () => {
    const shared = { "=(app.kubernetes.io/*)": "?*" };
    const pattern = { metadata: { labels: shared, annotations: shared } };
    expect(staticPlan(pattern)).toBeUndefined();
    expect(patternExpands(pattern)).toBe(true);
    const resource = labelled({ "app.kubernetes.io/name": "" }, { "app.kubernetes.io/name": "x" });
    expect(data(matchPattern(resource, copyPattern(pattern)))).toEqual(viaCopy(resource, pattern));
    expect(pattern.metadata.labels).toBe(pattern.metadata.annotations);
  });

  it("an alias without expansion shares one plan", () => {
    const container = { image: "!*:latest" };
    const pattern = { spec: { containers: [container], initContainers: [container] } };
    expect(staticPlan(pattern)).toBeDefined();
    const resource = { spec: { containers: [{ image: "a:1" }], initContainers: [{ image: "a:latest" }] } };
    expect(viaPlan(resource, pattern)).toEqual(viaCopy(resource, pattern));
  });

  it("a metadata map holding another expanded one", () => {
    const pattern = { metadata: { labels: { "a*": "x" }, metadata: { labels: { "b*": "y" } } } };
    expect(staticPlan(pattern)).toBeUndefined();
  });
});

describe("a pattern nested deeper than the stack allows", () => {
  // YAML limits keep such text from being read; built otherwise, it must throw (the rule then ends
  // in an error, evaluate-policy.ts) and leave nothing half-made behind for the next walk.
  it("throws each time it is planned or walked, and the next walk is sound", () => {
    let deep: Record<string, unknown> = { leaf: "x" };
    for (let depth = 0; depth < 200_000; depth++) deep = { a: deep };
    const resource = { a: { a: { a: {} } } };
    for (let run = 0; run < 2; run++) {
      expect(() => staticPlan(deep)).toThrow(RangeError);
      expect(() => matchPattern(resource, deep)).toThrow(RangeError);
      expect(viaPlan({ metadata: { name: "" } }, { metadata: { name: "?*" } })).toMatchObject({
        status: "fail",
        segments: ["metadata", "name"],
      });
    }
  });
});
