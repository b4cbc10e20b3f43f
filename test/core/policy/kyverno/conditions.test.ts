import { describe, expect, it } from "vitest";
import { ConditionError, evaluateCondition, evaluateConditions } from "../../../../src/core/policy/kyverno/conditions.js";
import { JmesPathNotFoundError, searchJmesPath } from "../../../../src/core/policy/kyverno/jmespath.js";
import { SubstitutionError, substituteVariables } from "../../../../src/core/policy/kyverno/variables.js";

const context = {
  request: {
    operation: "CREATE",
    object: {
      metadata: { name: "web", labels: { app: "web", "corp.org/version": "v1.2.3" }, annotations: { "pod.kubernetes.io/lifetime": "24h" } },
      spec: {
        replicas: 3,
        containers: [
          { name: "a", image: "nginx", ports: [{ hostPort: 80 }], livenessProbe: { exec: { command: ["ps", "aux"] } } },
          { name: "b", image: "corp/b", securityContext: { capabilities: { add: ["NET_ADMIN"] } } },
        ],
      },
    },
  },
};
const resolve = (expression: string): unknown => {
  try {
    return searchJmesPath(expression, context);
  } catch (error) {
    throw new SubstitutionError((error as Error).message);
  }
};
const check = (key: unknown, operator: string, value: unknown): boolean => evaluateCondition({ key, operator, value }, resolve);

describe("condition operators", () => {
  it.each([
    // Equals / NotEquals: wildcards on the value side, quantities and durations by value
    ["web", "Equals", "we*", true],
    ["we*", "Equals", "web", false],
    ["1Gi", "Equals", "1024Mi", true],
    ["1h", "Equals", "60m", true],
    ["1h", "Equals", 3600, true],
    [3, "Equals", "3", true],
    [true, "Equals", true, true],
    [true, "Equals", "true", false],
    [{ a: 1 }, "Equals", { a: 1 }, true],
    [["a"], "Equals", ["a", "b"], false],
    ["web", "NotEquals", "api", true],
    ["web", "NotEqual", "web", false],
    [1, "NotEquals", "x", true],
    ["{{ request.operation }}", "equals", "CREATE", true],
    // In / NotIn (deprecated): exact membership
    ["a", "In", ["a", "b"], true],
    ["c", "In", ["a", "b"], false],
    [["a", "b"], "In", ["a", "b", "c"], true],
    ["c", "NotIn", ["a", "b"], true],
    // AnyIn / AllIn / AnyNotIn / AllNotIn: wildcards both ways, ranges, JSON arrays
    [["a", "x"], "AnyIn", ["a", "b"], true],
    [["x", "y"], "AnyIn", ["a", "b"], false],
    [["nginx:1"], "AnyIn", ["nginx:*"], true],
    [["a", "b"], "AllIn", ["a", "b", "c"], true],
    [["a", "x"], "AllIn", ["a", "b"], false],
    [["a", "x"], "AnyNotIn", ["a", "b"], true],
    [["a", "b"], "AnyNotIn", ["a", "b"], false],
    [["x", "y"], "AllNotIn", ["a", "b"], true],
    [["a", "y"], "AllNotIn", ["a", "b"], false],
    ["5500", "AnyIn", "5000-6000", true],
    [[80, 5500], "AnyNotIn", "5000-6000", true],
    [[5500], "AnyNotIn", "5000-6000", false],
    [[], "AnyNotIn", "5000-6000", false],
    [[], "AnyIn", ["a", 1], false],
    [[], "AnyNotIn", ["a", 1], false],
    [[], "AllIn", ["a", 1], true],
    [[], "AllNotIn", ["a", 1], true],
    [[], "AllIn", [], true],
    [[], "AnyIn", [], false],
    ["b", "AnyIn", '["a","b"]', true],
    ["b", "AnyIn", "5", false],
    [[0], "AnyNotIn", [0], false],
    // GreaterThan and friends: numbers, numeric strings, quantities, durations, versions
    [5, "GreaterThan", "4", true],
    ["5", "GreaterThan", 4, true],
    ["1Gi", "GreaterThan", "512Mi", true],
    ["24h", "GreaterThan", "8h", true],
    ["0s", "GreaterThan", "8h", false],
    ["1.10.0", "GreaterThanOrEquals", "1.9.0", true],
    [3, "LessThanOrEquals", 3, true],
    [3, "LessThan", 3, false],
    ["abc", "GreaterThan", 1, false],
    // the comparison itself only knows the documented spelling
    [5, "greaterthan", 4, false],
    // deprecated duration operators
    ["2h", "DurationGreaterThan", "1h", true],
    [30, "DurationLessThan", "1m", true],
  ])("%j %s %j is %s", (key, operator, value, expected) => {
    expect(check(key, operator, value)).toBe(expected);
  });

  it("rejects unknown operators and failing variables with an error", () => {
    expect(() => check("a", "Contains", "a")).toThrow(ConditionError);
    expect(() => check("{{ request.object.spec.missing.deeper }}", "Equals", "a")).toThrow(ConditionError);
  });
});

describe("any/all blocks", () => {
  const yes = { key: "a", operator: "Equals", value: "a", message: "yes" };
  const no = { key: "a", operator: "Equals", value: "b", message: "no" };
  it.each([
    [undefined, true],
    [{}, true],
    [{ any: [] }, false],
    [{ all: [] }, true],
    [{ any: [no, yes] }, true],
    [{ any: [no] }, false],
    [{ all: [yes, no] }, false],
    [{ any: [yes], all: [yes] }, true],
    [{ any: [yes], all: [no] }, false],
    [[yes, yes], true],
    [[yes, no], false],
  ])("%j is %s", (conditions, expected) => {
    expect(evaluateConditions(conditions, resolve).result).toBe(expected);
  });

  it("returns the messages of the deciding conditions", () => {
    expect(evaluateConditions({ any: [no, no] }, resolve).message).toBe("no; no");
    expect(evaluateConditions({ all: [yes, yes] }, resolve).message).toBe("yes; yes");
  });

  const named = (message: string, holds: boolean) => ({ key: "a", operator: "Equals", value: holds ? "a" : "b", message });
  it.each([
    [{ any: [named("n1", false), named("y1", true), named("y2", true)], all: [named("y3", true), named("y4", true)] }, true, "y1; y3; y4"],
    [{ any: [named("n1", false), named("y1", true)], all: [named("y3", true), named("n2", false), named("n3", false)] }, false, "n1; n2"],
    [{ any: [named("n1", false), named("n2", false)], all: [named("n3", false)] }, false, "n1; n2; n3"],
    [{ any: [named("n1", false)], all: [named("y1", true)] }, false, "n1"],
    [{ any: [named("", false), named("y1", true)] }, true, "y1"],
    [{ all: [named("y1", true), { key: "a", operator: "Equals", value: "a" }] }, true, "y1"],
    [[named("y1", true), named("y2", true)], true, "y1;y2"],
    [[named("y1", true), named("n1", false), named("n2", false)], false, "n1"],
    [[{ key: "a", operator: "Equals", value: "b" }], false, ""],
  ])("%j gives %s with message %j, the same when asked again", (conditions, result, message) => {
    for (let round = 0; round < 3; round++) expect(evaluateConditions(conditions, resolve)).toEqual({ result, message });
  });

  it("evaluates `all` even when `any` failed, so its errors still end the rule", () => {
    const failing = { key: "{{ request.object.spec.missing.deeper }}", operator: "Equals", value: "a" };
    expect(() => evaluateConditions({ any: [no], all: [failing] }, resolve)).toThrow(ConditionError);
  });

  it("answers each resource for itself when the same conditions judge many", () => {
    const conditions = { all: [{ key: "{{ request.object.metadata.name }}", operator: "Equals", value: "web", message: "is web" }] };
    const resolverFor = (name: unknown) => (expression: string) =>
      searchJmesPath(expression, { request: { object: { metadata: { name } } } });
    expect(evaluateConditions(conditions, resolverFor("web"))).toEqual({ result: true, message: "is web" });
    expect(evaluateConditions(conditions, resolverFor("db"))).toEqual({ result: false, message: "is web" });
    expect(() =>
      evaluateConditions(conditions, () => {
        throw new SubstitutionError("boom");
      }),
    ).toThrow("failed to substitute variables in condition key: boom");
    expect(evaluateConditions(conditions, resolverFor("web")).result).toBe(true);
  });

  it("ends a condition whose expression is too deep with an error, and handles huge constants, every time", () => {
    const deep = { all: [{ key: `{{ ${"(".repeat(20_000)}request${")".repeat(20_000)} }}`, operator: "Equals", value: "a" }] };
    const long = { all: [{ key: `{{ request.object.metadata.name.${"a.".repeat(100_000)}b }}`, operator: "Equals", value: "a" }] };
    const huge = { all: [{ key: "x".repeat(1_000_000), operator: "Equals", value: "x".repeat(1_000_000) }] };
    for (let round = 0; round < 2; round++) {
      expect(() => evaluateConditions(deep, resolve)).toThrow(ConditionError);
      expect(() => evaluateConditions(long, resolve)).toThrow(ConditionError);
      expect(evaluateConditions(huge, resolve).result).toBe(true);
    }
  });

  it("fails the same way each time for an unknown operator or a raw block that is no list", () => {
    const unknown = { all: [{ key: "a", operator: "Contains", value: "a" }] };
    for (let round = 0; round < 2; round++)
      expect(() => evaluateConditions(unknown, resolve)).toThrow("failed to create handler for condition operator: Contains");
    // An exception's raw conditions: a null `all` is empty, a null `any` cannot be evaluated.
    expect(evaluateConditions({ all: null } as never, resolve).result).toBe(true);
    expect(() => evaluateConditions({ any: null } as never, resolve)).toThrow();
  });
});

describe("Kyverno JMESPath", () => {
  it.each([
    ["request.object.metadata.name", "web"],
    ["request.object.spec.containers[].name", ["a", "b"]],
    ["request.object.spec.containers[?image=='nginx'].name | [0]", "a"],
    ["request.object.spec.[initContainers, containers][].ports[].hostPort", [80]],
    ['request.object.metadata.labels."corp.org/version"', "v1.2.3"],
    ["request.object.spec.missing || 'default'", "default"],
    ["request.object.spec.containers[].livenessProbe.exec.command[] || `[]` | length(@)", 2],
    ["request.object.metadata.keys(@)", ["name", "labels", "annotations"]],
    ["contains(request.object.spec.containers[].name, 'b')", true],
    ["regex_match('^v[0-9].[0-9].[0-9]$', request.object.metadata.labels.\"corp.org/version\")", true],
    ["request.object.spec.containers[].livenessProbe.exec.command[].regex_match('\\bps\\b', @)", [true, false]],
    ["to_string(request.object.spec.replicas)", "3"],
    ["to_number('4')", 4],
    ["sort(`[10, 9, 1]`)", [1, 9, 10]],
    ["sort(['b', 'a'])", ["a", "b"]],
    ["merge(request.object.metadata.labels, {breakglass: null}) | keys(@)", ["app", "corp.org/version", "breakglass"]],
    ["split('a,b', ',')", ["a", "b"]],
    ["to_upper('abc')", "ABC"],
    ["trim('--a--', '-')", "a"],
    ["replace_all('a.b.c', '.', '-')", "a-b-c"],
    ["regex_replace_all('([a-z]+)-([0-9]+)', 'app-12', '${2}-$1')", "12-app"],
    ["add(`1`, `2`)", 3],
    ["add('1h', '30s')", "1h0m30s"],
    ["divide(`6`, `4`)", 1.5],
    ["modulo(`7`, `3`)", 1],
    ["base64_decode(base64_encode('héllo'))", "héllo"],
    ["truncate('abcdef', `3`)", "abc"],
    ["semver_compare('1.2.3', '>=1.2.0 <2.0.0')", true],
    ["equal_fold('Web', 'WEB')", true],
    ["pattern_match('nginx:*', 'nginx:1')", true],
    ["label_match({app: 'web'}, request.object.metadata.labels)", true],
    [
      "items({b: 'x', a: 'y'}, 'key', 'value')",
      [
        { key: "a", value: "y" },
        { key: "b", value: "x" },
      ],
    ],
    ["object_from_lists(['a'], [`1`])", { a: 1 }],
    ["path_canonicalize('/a/./b/../c')", "/a/c"],
    ["parse_json('{\"a\": [1]}').a[0]", 1],
  ])("%s", (expression, expected) => {
    expect(searchJmesPath(expression, context)).toEqual(expected);
  });

  it("treats '30m' as a quantity, so adding it to a duration fails as in Kyverno", () => {
    expect(() => searchJmesPath("add('1h', '30m')", context)).toThrow(/quantity|mismatch/);
  });

  it("reports a missing key as an error where Kyverno's fork does", () => {
    expect(() => searchJmesPath("request.object.spec.missing", context)).toThrow(JmesPathNotFoundError);
    expect(() => searchJmesPath("request.oldObject.metadata", context)).toThrow(JmesPathNotFoundError);
  });

  it("throws a missing key as a cheap value, not an Error with a stack, keeping key and message", () => {
    let thrown: unknown;
    try {
      searchJmesPath("request.object.spec.missing", context);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(JmesPathNotFoundError);
    expect(thrown).not.toBeInstanceOf(Error);
    expect(thrown).not.toHaveProperty("stack");
    expect((thrown as JmesPathNotFoundError).key).toBe("missing");
    expect(String(thrown)).toBe('JmesPathNotFoundError: Unknown key "missing" in path');
  });

  it.each([
    ["request.object.spec.missing || 'x'", "x"],
    ["request.object.spec.containers[].missing", []],
    ["request.object.spec.missing[].name", null],
    ["request.object.spec.missing[?a].name", null],
    ["length(request.object.spec.missing || `[]`)", 0],
    ["request.object.spec.containers[?readinessProbe==livenessProbe] | length(@)", 1],
    ["request.object.spec.missing | [0]", null],
    ["[request.object.spec.missing]", [null]],
  ])("swallows the missing key in %s", (expression, expected) => {
    expect(searchJmesPath(expression, context)).toEqual(expected);
  });
});

describe("variable substitution", () => {
  it.each([
    ["{{ request.object.spec.replicas }}", 3],
    ["{{request.object.metadata.name}}", "web"],
    ["name={{ request.object.metadata.name }} ops={{ request.operation }}", "name=web ops=CREATE"],
    ["{{ request.object.spec.containers[].name }}", ["a", "b"]],
    ["names: {{ request.object.spec.containers[].name }}", 'names: ["a","b"]'],
    ["{{ regex_match('^v[0-9]','{{request.object.metadata.labels.\"corp.org/version\" || ''}}') }}", true],
    ["escaped \\{{ request.operation }}", "escaped {{ request.operation }}"],
    ["{{ merge(request.object.metadata.labels, {x: 'y'}) | length(@) }}", 3],
    ["no variables", "no variables"],
  ])("%s", (text, expected) => {
    expect(substituteVariables(text, resolve)).toEqual(expected);
  });

  it("reads nested variables again from each substituted text, long ones too", () => {
    const nested = "{{ length('{{ request.object.metadata.name }}') }}";
    const name = (value: string) => (expression: string) =>
      searchJmesPath(expression, { request: { object: { metadata: { name: value } } } });
    for (const value of ["web", "x".repeat(5000), "web"]) expect(substituteVariables(nested, name(value))).toBe(value.length);
  });

  it("substitutes variables a value brings, unless the variable was shallow, the same each time", () => {
    const data = (value: string) => (expression: string) =>
      searchJmesPath(expression, { request: { operation: "CREATE", object: { metadata: { name: value } } } });
    for (let round = 0; round < 2; round++) {
      expect(substituteVariables("a {{ request.object.metadata.name }}", data("{{ request.operation }}"))).toBe("a CREATE");
      expect(substituteVariables("a {{- request.object.metadata.name }}", data("{{ request.operation }}"))).toBe(
        "a {{ request.operation }}",
      );
      expect(substituteVariables("a {{ request.object.metadata.name }}", data("web"))).toBe("a web");
      expect(substituteVariables("{{ request.operation }}-{{ request.object.metadata.name }}", data("web"))).toBe("CREATE-web");
    }
  });

  it("substitutes map keys and nested values, and fails on unknown keys", () => {
    expect(substituteVariables({ "{{ request.operation }}": ["{{ request.object.metadata.name }}"] }, resolve)).toEqual({
      CREATE: ["web"],
    });
    expect(() => substituteVariables("{{ request.object.nope }}", resolve)).toThrow(SubstitutionError);
  });
});
