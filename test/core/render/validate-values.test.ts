import { describe, expect, it } from "vitest";
import { validateValues } from "../../../src/core/render/validate-values.js";
import { tinyCatalog } from "../../helpers/tiny-catalog.js";

const template = tinyCatalog().templates.get("web")!;
const ok = { name: "checkout", team: "payments", image: "ghcr.io/a/b:1" };
const check = (values: Record<string, string>) => validateValues({ template, values: { ...ok, ...values } });

describe("validateValues: every parameter type", () => {
  it.each([
    ["string with pattern", { image: "ghcr.io/x/y:2.0" }, "image", "ghcr.io/x/y:2.0"],
    ["integer", { port: "9090" }, "port", 9090],
    ["number", { ratio: "0.75" }, "ratio", 0.75],
    ["boolean true", { public: "true" }, "public", true],
    ["boolean false", { public: "false" }, "public", false],
    ["enum", { tier: "gold" }, "tier", "gold"],
    ["default when absent", {}, "port", 8080],
    ["default when empty", { tier: "" }, "tier", "silver"],
  ])("accepts %s", (_, values, key, expected) => {
    const result = check(values);
    expect(result.problems).toEqual([]);
    expect(result.values[key]).toBe(expected);
  });

  it.each([
    ["pattern mismatch", { image: "ghcr.io/x/y" }, /is not valid: expected an image with a tag/],
    ["integer with a fraction", { port: "80.5" }, /whole number/],
    ["integer below minimum", { port: "80" }, /at least 1024/],
    ["integer above maximum", { port: "70000" }, /at most 65535/],
    ["not a number", { ratio: "half" }, /must be a number/],
    ["boolean spelled yes", { public: "yes" }, /true or false/],
    ["enum outside the list", { tier: "bronze" }, /must be one of `gold`, `silver`/],
    ["name with upper case", { name: "Checkout" }, /not a valid name/],
    ["name too long", { name: "a".repeat(41) }, /not a valid name/],
    ["team starting with a digit", { team: "1team" }, /not a valid name/],
    ["overlong value", { image: `a:${"b".repeat(300)}` }, /longer than 253/],
  ])("refuses %s with a clear message", (_, values, message) => {
    const result = check(values);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.message).toMatch(message);
    expect(result.problems[0]?.hint).toBeTruthy();
  });

  it("quotes untrusted input safely in messages", () => {
    const result = check({ name: "a`b\nc" + "x".repeat(100) });
    const message = result.problems[0]?.message ?? "";
    expect(message).not.toContain("\n");
    expect(message).toContain("…");
    expect(message).toMatch(/^`name` ``a`b c/);
  });
});
