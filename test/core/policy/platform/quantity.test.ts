import { describe, expect, it } from "vitest";
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
});

describe("formatting", () => {
  it("prints CPU in cores or millicores and memory in binary units", () => {
    expect([formatCpu(0.25), formatCpu(2), formatCpu(1.5)]).toEqual(["250m", "2", "1500m"]);
    expect([formatMemory(512 * 2 ** 20), formatMemory(1.5 * 2 ** 30), formatMemory(100)]).toEqual(["512Mi", "1.5Gi", "100"]);
  });
});
