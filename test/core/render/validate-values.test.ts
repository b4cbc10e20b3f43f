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
    [
      "pattern mismatch",
      { image: "ghcr.io/x/y" },
      /is not valid: expected an image with a tag/,
      "It must match `[a-z0-9./-]+:[A-Za-z0-9._-]+`.",
    ],
    ["integer with a fraction", { port: "80.5" }, /whole number/, "Write port=8080."],
    ["integer below minimum", { port: "80" }, /at least 1024/, "Use a value from 1024."],
    ["integer above maximum", { port: "70000" }, /at most 65535/, "Use a value up to 65535."],
    ["not a number", { ratio: "half" }, /must be a number/, "Write ratio=0.5."],
    ["boolean spelled yes", { public: "yes" }, /true or false/, "Write public=true or public=false."],
    ["enum outside the list", { tier: "bronze" }, /must be one of `gold`, `silver`/, "Pick one of the listed values."],
    [
      "name with upper case",
      { name: "Checkout" },
      /not a valid name/,
      "Use lowercase letters, digits and '-', starting with a letter, at most 40 characters.",
    ],
    [
      "name too long",
      { name: "a".repeat(41) },
      /not a valid name/,
      "Use lowercase letters, digits and '-', starting with a letter, at most 40 characters.",
    ],
    [
      "team starting with a digit",
      { team: "1team" },
      /not a valid name/,
      "Use lowercase letters, digits and '-', starting with a letter, at most 30 characters.",
    ],
    ["overlong value", { image: `a:${"b".repeat(300)}` }, /longer than 253/, "Shorten image."],
  ])("refuses %s with a clear message and a hint", (_, values, message, hint) => {
    const result = check(values);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.message).toMatch(message);
    expect(result.problems[0]?.hint).toBe(hint);
  });

  it("quotes untrusted input safely in messages", () => {
    const result = check({ name: "a`b\nc" + "x".repeat(100) });
    const message = result.problems[0]?.message ?? "";
    expect(message).not.toContain("\n");
    expect(message).toContain("…");
    expect(message).toMatch(/^`name` ``a`b c/);
  });
});
