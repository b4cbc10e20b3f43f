import { describe, expect, it } from "vitest";
import { own } from "../../src/core/own.js";
import { isKnownFunction, searchJmesPath } from "../../src/core/policy/kyverno/jmespath.js";
import { describeWorkload } from "../../src/core/policy/platform/workloads.js";
import { parseQuantity } from "../../src/core/policy/kyverno/quantity.js";
import { manifestsOf } from "./policy/platform/platform-test-helpers.js";

/** Names every plain object inherits: a lookup by a typed value must never find them. */
const INHERITED = [
  "__proto__",
  "constructor",
  "hasOwnProperty",
  "toString",
  "valueOf",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "__defineGetter__",
];

describe("own", () => {
  it.each(INHERITED)("finds nothing for %s in a record", (key) => {
    expect(own({ dev: 1 }, key)).toBeUndefined();
  });

  it("finds own keys, whatever their name", () => {
    expect(own(JSON.parse('{"constructor": 1, "__proto__": 2}') as Record<string, number>, "constructor")).toBe(1);
    expect(own(JSON.parse('{"constructor": 1, "__proto__": 2}') as Record<string, number>, "__proto__")).toBe(2);
  });
});

describe("inherited names in manifests and policies", () => {
  it.each(INHERITED.filter((k) => k !== "__proto__"))("reads kind: %s as no workload", (kind) => {
    const [manifest] = manifestsOf({ "a.yaml": `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: a\nspec:\n  template:\n    spec: {}\n` });
    expect(describeWorkload(manifest!)).toBeUndefined();
  });

  it.each(["constructor", "toString", "hasOwnProperty"])("knows no JMESPath function %s", (name) => {
    expect(isKnownFunction(name)).toBe(false);
    expect(() => searchJmesPath(`${name}(@)`, {})).toThrow();
  });

  it.each(["constructor", "toString"])("reads no quantity suffix %s", (suffix) => {
    expect(parseQuantity(`1${suffix}`)).toBeUndefined();
  });
});
