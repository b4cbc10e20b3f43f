import { search } from "@jmespath-community/jmespath";
import { describe, expect, it } from "vitest";
import { listHandler } from "../../../../src/core/policy/kyverno/condition-lists.js";
import { operatorHandler } from "../../../../src/core/policy/kyverno/condition-operators.js";
import { conditionsProgram, evaluateCondition, type Conditions } from "../../../../src/core/policy/kyverno/conditions.js";
import { compileJmesPath, contextQuery, resolveQuery, searchJmesPath } from "../../../../src/core/policy/kyverno/jmespath.js";
import { rootReads } from "../../../../src/core/policy/kyverno/jmespath-reads.js";
import { buildEvaluation } from "../../../../src/core/policy/kyverno/validate-rule.js";
import { seededRandom } from "../../../helpers/seeded-random.js";

// The shortcuts of the conditions (issue 16) against the reference path they stand for, on varied
// and hostile input: what a condition answers, or the error it ends in, never changes.

/** A small deterministic generator, so a failure names its case. */
function generator(seed: number): () => number {
  return seededRandom(seed).fraction;
}

const SCALARS: unknown[] = [
  "",
  "a",
  "A",
  "a*",
  "*",
  "?",
  "a?c",
  "abc",
  "CREATE",
  "UPDATE",
  "1",
  "1.0",
  "true",
  "nginx:*",
  1,
  1.5,
  0,
  -0,
  true,
  false,
];
const VALUES: unknown[] = [...SCALARS, null, { a: 1 }, [], ["a"], [1, "1"], [["a"]], "x".repeat(300)];

function pick<T>(random: () => number, from: readonly T[]): T {
  return from[Math.floor(random() * from.length)] as T;
}

function randomValue(random: () => number): unknown {
  const roll = random();
  if (roll < 0.5) return pick(random, VALUES);
  return Array.from({ length: Math.floor(random() * 4) }, () => pick(random, VALUES));
}

function outcome(run: () => unknown): string {
  try {
    return JSON.stringify(run());
  } catch (error) {
    return `throws ${(error as Error).message}`;
  }
}

describe("membership against a constant list", () => {
  const OPERATORS = ["AnyIn", "AnyNotIn", "AllIn", "AllNotIn", "In", "NotIn", "anyin", "NOTIN"];

  it("answers as the operator's handler for every key and list", () => {
    const random = generator(16);
    for (let round = 0; round < 3000; round++) {
      const operator = pick(random, OPERATORS);
      const list = Array.from({ length: Math.floor(random() * 6) }, () => pick(random, VALUES));
      const key = randomValue(random);
      const reference = operatorHandler(operator);
      const prepared = listHandler(operator, list);
      expect(prepared, operator).toBeDefined();
      expect(prepared?.(key), JSON.stringify({ operator, key, list })).toBe(reference?.(key, list));
    }
  });

  it("answers a huge list and leaves other operators alone", () => {
    const list = Array.from({ length: 20_000 }, (_, i) => `cap-${i}`);
    for (const operator of ["AnyIn", "AllNotIn", "In"]) {
      for (const key of ["cap-19999", "cap-2*", ["cap-1", "nope"], "nope", 7]) {
        expect(listHandler(operator, list)?.(key)).toBe(operatorHandler(operator)?.(key, list));
      }
    }
    expect(listHandler("Equals", ["a"])).toBeUndefined();
    expect(listHandler("GreaterThan", [1])).toBeUndefined();
  });
});

describe("a query asked of the context directly", () => {
  const context = { request: { operation: "CREATE", object: { a: { b: [1, 2] }, n: null } } };

  it.each([
    "request.operation",
    "  request.operation  ",
    "request.object.missing",
    "request.object.n.deeper",
    "request.object.a.b[5]",
    "length(request.object.a)",
    "to_number('x')",
    "request.[",
    "nope(request)",
    "",
    "   ",
    "$.request.object.a.b[-1]",
  ])("answers and fails as the resolver does: %j", (expression) => {
    const direct = contextQuery(expression);
    const resolve = (asked: string): unknown => resolveQuery(asked, context);
    expect(outcome(() => direct(resolve, context))).toBe(outcome(() => resolveQuery(expression, context)));
    // Twice: the program kept after the first question answers the same; without a context, the resolver answers.
    expect(outcome(() => direct(resolve, context))).toBe(outcome(() => resolveQuery(expression, context)));
    expect(outcome(() => direct(resolve, undefined))).toBe(outcome(() => resolveQuery(expression, context)));
  });
});

describe("what an expression reads of the root", () => {
  it.each([
    ["request.operation || 'BACKGROUND'", [["request", "operation"]]],
    [
      'request."object".metadata.labels."app.kubernetes.io/part-of"',
      [["request", "object", "metadata", "labels", "app.kubernetes.io/part-of"]],
    ],
    ["regex_match('^v', request.object.a) && request.object.a != 'x'", [["request", "object", "a"]]],
    ["request.object.spec.containers[].image", [["request", "object", "spec", "containers"]]],
    ["sort_by(request.object.items, &name)", [["request", "object", "items"]]],
    ["'constant'", []],
    [
      "[request.a, {k: request.b}]",
      [
        ["request", "a"],
        ["request", "b"],
      ],
    ],
  ])("reads only its chains: %s", (expression, expected) => {
    expect(rootReads(compileJmesPath(expression))).toEqual(expected);
  });

  it.each([
    "@",
    "$",
    "keys(@)",
    "request.a | $.request.b",
    "request.items[?name == $.request.name]",
    "sort_by(request.items, &$.request.x)",
    "[0]",
    "[*].a",
    'request.a | `{"type": "Root"}`',
  ])("says nothing where more of the root may matter: %s", (expression) => {
    expect(rootReads(compileJmesPath(expression))).toBeUndefined();
  });
});

describe("conditions answered once per distinct values", () => {
  const BLOCKS: Conditions[] = [
    { all: [{ key: "{{ request.operation || 'BACKGROUND' }}", operator: "AnyIn", value: ["CREATE", "UPDATE"] }] },
    { any: [{ key: "{{ request.operation }}", operator: "Equals", value: "{{ request.object.kind }}", message: "same" }] },
    [{ key: "{{ request.object.apiVersion }}", operator: "AnyIn", value: ["batch/v1beta1", "policy/*"], message: "old" }],
    { all: [{ key: "{{ request.object.metadata.labels.lifetime || '0s' }}", operator: "GreaterThan", value: "8h" }] },
    { any: [{ key: "{{ request.operation | $.request.object.kind }}", operator: "Equals", value: "Pod" }] },
    { all: [{ key: "{{ request.object.metadata.labels.n }}", operator: "Equals", value: 1 }] },
    // Go prints -0 as "-0": a map that took -0 for 0 would answer it wrongly.
    { all: [{ key: "{{ request.object.metadata.labels.n }}", operator: "AnyIn", value: ["0"] }] },
    { any: [{ key: "{{ request.object.metadata.labels.mem || '0' }}", operator: "GreaterThanOrEquals", value: "1Gi" }] },
    { all: [{ key: "{{ request.object.metadata.labels.lifetime }}", operator: "DurationLessThan", value: 3600 }] },
    { all: [{ key: "{{ request.object.metadata.labels }}", operator: "Equals", value: { n: 1 } }] },
    { all: [{ key: "{{ request.object.metadata }}", operator: "NotEquals", value: null }] },
    { all: [{ key: "constant", operator: "Equals", value: "const*" }] },
    { all: [{ key: "{{ request.operation }}", operator: "Bogus", value: "x" }] },
    { any: [{ key: "{{ request.object.kind }}-{{ request.operation }}", operator: "Equals", value: "Pod-CREATE" }] },
  ];
  const OPERATIONS: unknown[] = [
    "CREATE",
    "CREATE",
    "UPDATE",
    "DELETE",
    null,
    1,
    "1",
    true,
    "true",
    -0,
    0,
    NaN,
    NaN,
    "x".repeat(300),
    { a: 1 },
    ["CREATE"],
  ];
  const KINDS: unknown[] = ["Pod", "Deployment", null, 0];
  const LABELS: unknown[] = [
    undefined,
    {},
    { lifetime: "24h", n: 1, mem: "1024Mi" },
    { lifetime: "1h", n: "1", mem: "2Gi" },
    { n: 0 },
    { n: -0, mem: 1073741824 },
    { n: 0 },
    { lifetime: 9, mem: "1e3" },
    { lifetime: "59m59s", mem: "999Mi" },
    { lifetime: null, n: null, mem: null },
    null,
    "flat",
  ];

  function evaluation(index: number) {
    const kind = KINDS[index % KINDS.length];
    const labels = LABELS[Math.floor(index / 3) % LABELS.length];
    const metadata: Record<string, unknown> = labels === undefined ? {} : { labels };
    const object: Record<string, unknown> = { apiVersion: index % 5 === 0 ? "policy/v1beta1" : "apps/v1", kind, metadata };
    // Values files may set the operation to anything; without one, it is the request's.
    const operation = OPERATIONS[index % OPERATIONS.length];
    const variables = index % 7 === 0 ? undefined : { "request.operation": operation };
    return buildEvaluation(variables === undefined ? { object } : { object, variables }, "CREATE");
  }

  it("gives every resource the answer (or error) its own evaluation gives", () => {
    for (const block of BLOCKS) {
      const program = conditionsProgram(block);
      for (let index = 0; index < 400; index++) {
        const subject = evaluation(index);
        const reference = outcome(() => program.evaluate(subject.resolve));
        expect(
          outcome(() => program.evaluate(subject.resolve, subject.context)),
          `${JSON.stringify(block)} #${index}`,
        ).toBe(reference);
      }
    }
  });
});

describe("a block of one condition", () => {
  it("holds where its condition holds and says its message either way, in every form", () => {
    const subject = buildEvaluation({ object: { kind: "Pod", metadata: { labels: { a: "x" } } } }, "CREATE");
    const conditions = [
      { key: "{{ request.object.metadata.labels.a }}", operator: "Equals", value: "x" },
      { key: "{{ request.object.metadata.labels.a }}", operator: "Equals", value: "y" },
      { key: "{{ request.object.metadata.labels.missing }}", operator: "Equals", value: "y" },
    ];
    for (const base of conditions) {
      for (const message of [undefined, "", "said"]) {
        const condition = message === undefined ? base : { ...base, message };
        const expected = outcome(() => ({ result: evaluateCondition(condition, subject.resolve), message: message ?? "" }));
        const blocks: Conditions[] = [{ all: [condition] }, { any: [condition] }, { any: [condition], all: [] }, [condition]];
        for (const block of blocks) {
          const program = conditionsProgram(block);
          const answer = () => {
            const { result, message: said } = program.evaluate(subject.resolve, subject.context);
            return { result, message: said };
          };
          expect(outcome(answer), JSON.stringify(block)).toBe(expected);
        }
      }
    }
  });
});

describe("hostile conditions asked of the context", () => {
  it("ends a too deep expression, or a huge one, as the resolver path does", () => {
    const subject = buildEvaluation({ object: { kind: "Pod", metadata: {} } }, "CREATE");
    const deep = `{{ ${"(".repeat(3000)}request.operation${")".repeat(3000)} }}`;
    const long = `{{ request.${Array.from({ length: 5000 }, (_, i) => `f${i}`).join(".")} || 'x' }}`;
    const huge = Array.from({ length: 50_000 }, (_, i) => `v${i}`);
    const blocks: Conditions[] = [
      { all: [{ key: deep, operator: "Equals", value: "CREATE" }] },
      { all: [{ key: long, operator: "Equals", value: "x" }] },
      { any: [{ key: "{{ request.operation }}", operator: "AnyNotIn", value: huge }] },
      { any: [{ key: "{{ request.object.kind }}", operator: "In", value: [...huge, "Pod"] }] },
    ];
    for (const block of blocks) {
      const program = conditionsProgram(block);
      const reference = outcome(() => program.evaluate(subject.resolve));
      for (let round = 0; round < 3; round++) expect(outcome(() => program.evaluate(subject.resolve, subject.context))).toBe(reference);
    }
  });
});

describe("projections read in one loop", () => {
  const DATA = {
    a: [{ b: 1 }, null, [{ b: 2 }, [{ b: 3 }]], { c: 4 }, "s", { b: null }, { b: [5, [6]] }, { b: { c: 7 } }],
    o: { x: { b: 1 }, y: [{ b: 2 }], z: null },
    n: null,
    s: "text",
    deep: [[[[{ b: 1 }]]]],
    t: { constructor: [1], toString: [{ b: 2 }] },
  };

  it.each([
    "a[]",
    "a[].b",
    "a[].b[]",
    "a[][]",
    "a[].b.c",
    "a[*].b",
    "a[*].b.c",
    "a[?b].b",
    "a[?b].b.c",
    "o.*.b",
    "o.*[]",
    "[a, o][]",
    "[a, o][].b",
    "n[]",
    "n[].b",
    "s[]",
    "s[].b",
    "deep[][]",
    "deep[][].b",
    "deep[][][][].b",
    "a[].b.[c]",
    "a[].b | [0]",
    "t.constructor[]",
    "t.toString[].b",
  ])("gives what the library's interpreter gives: %s", (expression) => {
    expect(searchJmesPath(expression, DATA)).toEqual(search(DATA as never, expression));
  });
});
