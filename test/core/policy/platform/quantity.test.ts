import { describe, expect, it } from "vitest";
import { parseQuantity as parseExactQuantity } from "../../../../src/core/policy/kyverno/quantity.js";
import { formatCpu, formatMemory, parseQuantity } from "../../../../src/core/policy/platform/quantity.js";

describe("parseQuantity", () => {
  it.each([
    ["500m", 0.5],
    ["1", 1],
    [2, 2],
    ["1.5", 1.5],
    [".5", 0.5],
    ["128Mi", 128 * 2 ** 20],
    ["1Gi", 2 ** 30],
    ["1G", 1e9],
    ["1k", 1000],
    ["2e3", 2000],
    ["100n", 1e-7],
  ])("reads %j", (input, expected) => {
    expect(parseQuantity(input)).toBeCloseTo(expected, 12);
  });

  it.each([["abc"], ["1 Gi"], ["1gi"], [""], [null], [{}], ["1.2.3"]])("rejects %j", (input) => {
    expect(parseQuantity(input)).toBeUndefined();
  });

  it("answers the same when a text is asked again, valid or not, and past the remembered bound", () => {
    for (let round = 0; round < 2; round++) {
      expect(parseQuantity("250m")).toBe(0.25);
      expect(parseQuantity(" 1Gi ")).toBe(2 ** 30);
      expect(parseQuantity("1gi")).toBeUndefined();
      expect(parseQuantity("NaN")).toBeUndefined();
      for (let index = 0; index < 5000; index++) expect(parseQuantity(`${index}Mi`)).toBe(index * 2 ** 20);
    }
  });

  it("shares exact quantities frozen, so no caller can change another's", () => {
    const first = parseExactQuantity("128Mi");
    expect(parseExactQuantity("128Mi")).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(parseExactQuantity("x")).toBeUndefined();
    expect(parseExactQuantity("x")).toBeUndefined();
  });
});

describe("formatting", () => {
  it("prints CPU in cores or millicores and memory in binary units", () => {
    expect([formatCpu(0.25), formatCpu(2), formatCpu(1.5)]).toEqual(["250m", "2", "1500m"]);
    expect([formatMemory(512 * 2 ** 20), formatMemory(1.5 * 2 ** 30), formatMemory(100)]).toEqual(["512Mi", "1.5Gi", "100"]);
  });
});
