import { describe, expect, it } from "vitest";
import type { CompiledRule } from "../../../../src/core/policy/kyverno/compile-rule.js";
import { failedAtPathMessage, sharedTextCount } from "../../../../src/core/policy/kyverno/failure-message.js";
import { seededRandom } from "../../../helpers/seeded-random.js";

// A pattern failure's message is made once per rule, message and path and then shared: whatever
// comes in, it must read as the text written out each time, and a rule keeps only a few.

const ruleNamed = (name: string) => ({ name }) as unknown as CompiledRule;

/** Kyverno's text, written out as validate-rule.ts wrote it before it was shared. */
function written(params: { rule: CompiledRule; message: string; path: string }): string {
  const message = params.message.endsWith(".") ? params.message : `${params.message}.`;
  return `validation error: ${message} rule ${params.rule.name} failed at path ${params.path}`;
}

function pathText(segments: readonly (string | number)[]): string {
  let text = "/";
  for (const segment of segments) text += `${segment}/`;
  return text;
}

describe("failedAtPathMessage", () => {
  it("reads as the text written out each time, whatever the message, the path and their order", () => {
    const rules = [ruleNamed("check-a"), ruleNamed("autogen-check-a"), ruleNamed("")];
    const messages = ["Images must be signed", "Ends with a dot.", "", ".", "rule x failed at path /y/", "long ".repeat(300), "é {{ x }}"];
    const paths: (string | number)[][] = [
      [],
      ["spec", "containers", 0, "image"],
      ["spec", "containers", "0", "image"],
      ["spec", "containers", -0, "image"],
      ["spec", "containers", Number.NaN],
      ["metadata", "labels", "app.kubernetes.io/name"],
      ["a b", "c/d", ""],
      ["k".repeat(500)],
    ];
    const next = seededRandom(5).below;
    for (let round = 0; round < 3_000; round++) {
      const rule = rules[next(rules.length)] as CompiledRule;
      const message = messages[next(messages.length)] as string;
      // A fresh copy of the segments each time, as each failure has its own.
      const segments = [...(paths[next(paths.length)] as (string | number)[])];
      const path = pathText(segments);
      expect(failedAtPathMessage({ rule, message, segments, path })).toBe(written({ rule, message, path }));
    }
  });

  it("keeps a few texts per rule, however many paths and messages a rule fails with (they are input)", () => {
    const rule = ruleNamed("endless");
    for (let at = 0; at < 20_000; at++) {
      const segments = ["data", `key-${at}`];
      const message = `value ${at % 7} is bad`;
      expect(failedAtPathMessage({ rule, message, segments, path: pathText(segments) })).toBe(
        written({ rule, message, path: pathText(segments) }),
      );
    }
    expect(sharedTextCount(rule)).toBeLessThanOrEqual(8);
    // A text too long to keep is still right, and not kept.
    const lone = ruleNamed("long");
    const segments = ["x".repeat(2_000)];
    expect(failedAtPathMessage({ rule: lone, message: "m", segments, path: pathText(segments) })).toBe(
      written({ rule: lone, message: "m", path: pathText(segments) }),
    );
    expect(sharedTextCount(lone)).toBe(0);
  });
});
