import { describe, expect, it } from "vitest";
import { compileRule } from "../../../../src/core/policy/kyverno/compile-rule.js";
import { failurePlace } from "../../../../src/core/policy/kyverno/pattern-failure.js";
import { matchPattern, matchPlan } from "../../../../src/core/policy/kyverno/match-pattern.js";
import type { PatternResult } from "../../../../src/core/policy/kyverno/match-pattern.js";
import { staticPlan } from "../../../../src/core/policy/kyverno/pattern-plan.js";
import { buildEvaluation, validateRule } from "../../../../src/core/policy/kyverno/validate-rule.js";
import { matchWildcard, wildcardMatcher } from "../../../../src/core/policy/kyverno/wildcard.js";
import type { Verdict } from "../../../../src/core/policy/kyverno/validate-rule.js";
import { seededRandom } from "../../../helpers/seeded-random.js";

// Issue 16: a failing pattern verdict shares what repeats from one resource to the next: the
// place it failed at (keys, path text, what the keys mention) and, where the rule's message has
// no variable, its whole message. Each shortcut is checked here against the text written the
// slow way, on varied and hostile input, and the walk of a static plan against the walk of a copy.

/** Kyverno's path text written out from the keys (the reference). */
const pathText = (segments: readonly (string | number)[]): string => `/${segments.map((segment) => `${segment}/`).join("")}`;

/** A small deterministic generator (tests must repeat). */
function random(seed: number): () => number {
  return seededRandom(seed).fraction;
}

describe("failure places", () => {
  it("give the keys walked and their path text, the same object each time", () => {
    const next = random(7);
    const keys = ["spec", "a/b", "", "0", "conditional anchor mismatch", "x".repeat(300)];
    for (let run = 0; run < 2_000; run++) {
      const depth = Math.floor(next() * 8);
      const walked: (string | number)[] = [];
      for (let index = 0; index < depth; index++)
        walked.push(next() < 0.4 ? Math.floor(next() * 3) : (keys[Math.floor(next() * keys.length)] ?? ""));
      const key = next() < 0.5 ? "leaf" : undefined;
      const place = failurePlace(walked, walked.length, key);
      const expected = key === undefined ? walked : [...walked, key];
      expect(place.segments).toEqual(expected);
      expect(place.text).toBe(pathText(expected));
      expect(failurePlace(walked, walked.length, key)).toBe(place);
    }
  });

  it("tell a key from an index of the same text", () => {
    expect(failurePlace(["items", 0], 2).segments).toEqual(["items", 0]);
    expect(failurePlace(["items", "0"], 2).segments).toEqual(["items", "0"]);
    expect(failurePlace(["items", 0], 2)).not.toBe(failurePlace(["items", "0"], 2));
  });

  it("stay right past the bound on how many are kept, and for paths too deep or long to keep", () => {
    const first = failurePlace(["spec", 1], 2);
    for (let index = 0; index < 60_000; index++) failurePlace(["spec", index], 2);
    expect(first.segments).toEqual(["spec", 1]);
    expect(failurePlace(["spec", 1], 2).text).toBe("/spec/1/");
    const deep = Array.from({ length: 200 }, (_, index) => (index % 2 === 0 ? "k" : index));
    expect(failurePlace(deep, deep.length).segments).toEqual(deep);
    expect(failurePlace(deep, deep.length).text).toBe(pathText(deep));
    const long = ["y".repeat(5_000), "z"];
    expect(failurePlace(long, 2).text).toBe(pathText(long));
  });

  it("cannot be changed by whoever reads a failure's keys", () => {
    const segments = failurePlace(["metadata", "name"], 2).segments as (string | number)[];
    expect(() => segments.push("x")).toThrow(TypeError);
  });
});

/** Random patterns and resources over a few keys: anchors of each kind, wildcards, operators, lists, shared maps. */
function generator(seed: number): { pattern: () => unknown; resource: () => unknown } {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const keys = ["a", "b", "name", "image", "metadata", "labels", "toString", "x/y"];
  const anchors = ["", "", "", "(", "=(", "^(", "<(", "X(", "+("];
  const patternLeaves = ["?*", "*", ">1", "a | b", "!a", "1-3", null, 2, true, "*:latest", "conditional anchor mismatch"];
  const resourceLeaves = ["a", "b", "", "x:latest", 0, 2, 2.5, true, null, "conditional anchor mismatch"];
  const shared: unknown[] = [];
  const pattern = (depth: number): unknown => {
    const roll = next();
    if (depth > 3 || roll < 0.3) return pick(patternLeaves);
    if (roll < 0.4 && shared.length > 0) return pick(shared);
    if (roll < 0.55) return Array.from({ length: Math.floor(next() * 3) }, () => pattern(depth + 1));
    const map: Record<string, unknown> = {};
    for (let count = Math.floor(next() * 4); count > 0; count--) {
      const anchor = pick(anchors);
      const key = pick(keys);
      const value = anchor === "^(" ? [pattern(depth + 1)] : pattern(depth + 1);
      map[anchor === "" ? key : `${anchor}${key})`] = value;
    }
    if (next() < 0.2) shared.push(map);
    return map;
  };
  const resource = (depth: number): unknown => {
    const roll = next();
    if (depth > 4 || roll < 0.3) return pick(resourceLeaves);
    if (roll < 0.5) return Array.from({ length: Math.floor(next() * 4) }, () => resource(depth + 1));
    const map: Record<string, unknown> = {};
    for (let count = Math.floor(next() * 5); count > 0; count--) map[pick(keys)] = resource(depth + 1);
    return map;
  };
  return { pattern: () => pattern(0), resource: () => resource(0) };
}

/** A result as plain data (messages are written when read). */
function data(result: PatternResult): unknown {
  if (result.status === "pass") return { status: "pass" };
  if (result.status !== "fail") return { status: result.status, message: result.message };
  return { status: "fail", path: result.path, segments: [...result.segments], message: result.message };
}

describe("the walk of a static plan", () => {
  it("gives what the walk of a copy gives, on random patterns and resources", () => {
    const { pattern, resource } = generator(11);
    let compared = 0;
    for (let run = 0; run < 400; run++) {
      const written = pattern();
      const plan = staticPlan(written);
      if (!plan) continue;
      for (let each = 0; each < 10; each++) {
        const subject = resource();
        const result = data(matchPlan(subject, plan));
        expect(result).toEqual(data(matchPattern(subject, structuredClone(written))));
        if ((result as { status: string }).status === "fail") {
          const { path, segments } = result as { path: string; segments: (string | number)[] };
          expect(path === "" || path === pathText(segments)).toBe(true);
        }
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(3_000);
  });
});

describe("a run of maps of one key each", () => {
  /** `{ k0: { k1: ... { leaf } } }` */
  const chain = (keys: readonly string[], leaf: unknown): unknown => keys.reduceRight<unknown>((inner, key) => ({ [key]: inner }), leaf);
  const compare = (resource: unknown, pattern: unknown) => {
    const plan = staticPlan(pattern);
    if (!plan) throw new Error("no static plan");
    expect(data(matchPlan(resource, plan))).toEqual(data(matchPattern(resource, structuredClone(pattern))));
  };

  it("fails where the run finds no map, as a visit of each map would", () => {
    for (const depth of [1, 2, 5, 63, 64, 65, 130]) {
      const keys = Array.from({ length: depth }, (_, index) => (index % 3 === 0 ? "spec" : `k${index}`));
      const pattern = chain(keys, { image: "!*:latest", "(name)": "web" });
      for (let cut = 0; cut <= depth; cut++) {
        const inside = keys.slice(0, cut);
        for (const end of [{ image: "a:latest", name: "web" }, { image: "a:1", name: "web" }, { name: "db" }, "text", [1], null, {}]) {
          compare(chain(inside, end), pattern);
        }
      }
    }
  });

  it("keeps the anchors' bookkeeping of the maps it steps through, and ends on a resource that loops", () => {
    compare({ a: { b: { c: {} } } }, { a: { b: { "^(c)": [{ x: 1 }] } }, d: "?*" });
    compare({ a: { b: {} } }, { a: { b: { "^(c)": [{ x: 1 }] } }, d: "?*" });
    const loop: Record<string, unknown> = { name: "a" };
    loop["a"] = loop;
    compare(
      loop,
      chain(
        Array.from({ length: 150 }, () => "a"),
        { name: "b" },
      ),
    );
    compare(
      loop,
      chain(
        Array.from({ length: 150 }, () => "a"),
        { name: "a" },
      ),
    );
  });
});

describe("anchor keys a walk records (Kyverno's AnchorMap)", () => {
  it("tell an error from a failure the same way after the table of keys is emptied", () => {
    const pattern = { spec: { "^(initContainers)": [{ name: "init" }], containers: [{ image: "?*" }] } };
    const plan = staticPlan(pattern);
    if (!plan) throw new Error("no static plan");
    const without = { spec: { containers: [{ name: "a" }] } };
    const withInit = { spec: { initContainers: [{ name: "init" }], containers: [{ name: "a" }] } };
    for (let round = 0; round < 3; round++) {
      expect(matchPlan(without, plan).status).toBe("error");
      expect(matchPlan(withInit, plan).status).toBe("fail");
      // Thousands of other anchor keys, enough to empty the table of keys between rounds.
      const many = Object.fromEntries(Array.from({ length: 10_050 }, (_, index) => [`(k${round}-${index})`, "x"]));
      const other = staticPlan({ spec: many });
      if (!other) throw new Error("no static plan");
      expect(matchPlan({ spec: {} }, other).status).toBe("skip");
    }
  });
});

/** A rule's verdict on a resource. */
function verdictOf(rule: ReturnType<typeof compileRule>, object: Record<string, unknown>): Verdict | undefined {
  const evaluation = buildEvaluation({ object, oldObject: null, operation: "CREATE" }, "CREATE");
  return validateRule(
    rule,
    rule.validate ?? {
      message: "",
      allowExistingViolations: true,
      patternHasVariables: false,
      patternNeedsCopy: false,
      patternPlan: undefined,
    },
    evaluation,
    null,
  );
}

const pod = (name: string, containers: Record<string, unknown>[]) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name },
  spec: { containers },
});

describe("pattern failure messages", () => {
  const pattern = { spec: { containers: [{ image: "!*:latest" }] } };
  const resources = [
    pod("a", [{ image: "x:latest" }]),
    pod("b", [{ image: "x:1" }, { image: "y:latest" }]),
    pod("c", [{ image: "x:latest" }]),
    pod("d", [{ image: "y:1" }, { image: "y:latest" }]),
  ];
  const index = (object: (typeof resources)[number]) => (object.spec.containers.length === 1 ? 0 : 1);

  it.each([
    ["no message", "", (_name: string) => ""],
    ["a constant message", "Pin the image", (_name: string) => "Pin the image. "],
    ["a message ending in a full stop", "Pin the image.", (_name: string) => "Pin the image. "],
    ["a message holding text that looks like a path", "rule x failed at path /a/", (_name: string) => "rule x failed at path /a/. "],
    ["a message with a variable", "Pin {{ request.object.metadata.name }}", (name: string) => `Pin ${name}. `],
  ])("%s: each failure says its own path, resource after resource", (_what, message, text) => {
    const rule = compileRule({ name: "pin", validate: { message, pattern } });
    for (let run = 0; run < 2; run++) {
      for (const object of resources) {
        const verdict = verdictOf(rule, object);
        const path = `/spec/containers/${index(object)}/image/`;
        expect(verdict).toEqual({
          status: "fail",
          message: `validation error: ${text(object.metadata.name)}rule pin failed at path ${path}`,
          paths: [["spec", "containers", index(object), "image"]],
        });
      }
    }
  });

  it("anyPattern: the alternatives' failures, told afresh when they change", () => {
    const rule = compileRule({
      name: "either",
      validate: { message: "Pin or digest", anyPattern: [pattern, { spec: { containers: [{ image: "*@sha256:*" }] } }] },
    });
    for (let run = 0; run < 2; run++) {
      for (const object of resources) {
        const path = `/spec/containers/${index(object)}/image/`;
        expect(verdictOf(rule, object)).toEqual({
          status: "fail",
          message: `validation error: Pin or digest. rule either[0] failed at path ${path} rule either[1] failed at path /spec/containers/0/image/`,
          paths: [
            ["spec", "containers", index(object), "image"],
            ["spec", "containers", 0, "image"],
          ],
        });
      }
      expect(verdictOf(rule, pod("e", [{ image: "x@sha256:1:latest" }]))).toEqual({
        status: "pass",
        message: "validation rule 'either' anyPattern[1] passed.",
        paths: [],
      });
    }
  });

  it("anyPattern: a skipped alternative is told only when nothing passes", () => {
    const rule = compileRule({
      name: "skips",
      validate: { anyPattern: [{ spec: { containers: [{ "(name)": "web", image: "?*" }] } }, { spec: { containers: [{ image: "a" }] } }] },
    });
    expect(verdictOf(rule, pod("a", [{ name: "db", image: "a" }]))).toMatchObject({
      status: "pass",
      message: "validation rule 'skips' anyPattern[1] passed.",
    });
    const skipped = verdictOf(rule, pod("b", [{ name: "db", image: "b" }]));
    expect(skipped).toMatchObject({ status: "fail", paths: [["spec", "containers", 0, "image"]] });
    expect(skipped?.message).toBe("validation error: rule skips[1] failed at path /spec/containers/0/image/");
  });
});

describe("wildcard matchers read once", () => {
  it("answer as the scan does, on random patterns and names", () => {
    const next = random(3);
    const text = (alphabet: string, most: number) =>
      Array.from({ length: Math.floor(next() * most) }, () => alphabet[Math.floor(next() * alphabet.length)]).join("");
    for (let run = 0; run < 20_000; run++) {
      const pattern = text("ab**?", 7);
      const matcher = wildcardMatcher(pattern);
      for (let each = 0; each < 5; each++) {
        const name = next() < 0.1 ? pattern : text(next() < 0.1 ? "ab*\u{1F600}" : "ab*", 9);
        expect(matcher(name), `${pattern} ${name}`).toBe(matchWildcard(pattern, name));
      }
    }
  });

  it("find parts between stars in order, never overlapping the ends", () => {
    expect(wildcardMatcher("*PASSWORD*")("DB_PASSWORD")).toBe(true);
    expect(wildcardMatcher("*PASSWORD*")("DB_PASS")).toBe(false);
    expect(wildcardMatcher("ab*ba")("aba")).toBe(false);
    expect(wildcardMatcher("a*b*b")("ab")).toBe(false);
    expect(wildcardMatcher("a*b*b")("abbb")).toBe(true);
    expect(wildcardMatcher("a**b*c")("abc")).toBe(true);
  });
});
