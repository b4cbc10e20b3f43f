import { describe, expect, it } from "vitest";
import type { RuleOutcome } from "../../../src/core/policy/kyverno/evaluate-policy.js";
import { recordFindings } from "../../../src/core/policy/outcome-findings.js";
import type { Finding, Manifest } from "../../../src/core/policy/types.js";
import type { FieldPath } from "../../../src/core/yaml/types.js";
import { seededRandom } from "../../helpers/seeded-random.js";

// A finding's message is the object's label and the policy's own message, Kyverno's wrapping cut
// off. The cut-off text is kept per rule and per message (bounded): whatever the messages, in
// whatever order, a finding must read as the cleaning written out each time would make it.

/** The cleaning as first written, applied to every message afresh. */
function cleaned(message: string): string {
  const text = message
    .replace(/^validation error:\s*/, "")
    .replace(/\s*rule \S+ failed at path \S*/g, "")
    .trim();
  return text === "" ? message : text;
}

const manifest: Manifest = {
  file: "apps/a.yaml",
  documentIndex: 0,
  object: { kind: "Deployment", metadata: { name: "web" } },
  positionOf: (path: FieldPath) => ({ line: path.length + 1, column: 1 }),
};
const identity = { kind: "Deployment", name: "web", namespace: undefined, label: 'Deployment "web"' };

function outcome(rule: string, message: string, extra: Partial<RuleOutcome> = {}): RuleOutcome {
  return { policy: "p", rule, status: "fail", message, severity: "warning", paths: [["spec", "x"]], ...extra };
}

function record(shown: RuleOutcome, fallback?: ReadonlyMap<string, FieldPath>): Finding[] {
  const findings: Finding[] = [];
  recordFindings({ manifest, identity, outcome: shown, fallback, findings });
  return findings;
}

describe("recordFindings", () => {
  it("writes each message as the cleaning written out would, whatever the messages and their order", () => {
    const messages = [
      "validation error: Images must be signed. rule check-a failed at path /spec/containers/0/image/",
      "validation error: Images must be signed. rule check-a failed at path /spec/initContainers/0/image/",
      "validation error: rule check-a failed at path /spec/x/",
      "validation error:   spaced   rule a failed at path /x/ and rule b failed at path /y/ trailing ",
      "Seccomp must be set. rule r[0] failed at path /a/ rule r[1] failed at path /b/",
      "validation error: ",
      "",
      "   ",
      "no wrapping at all",
      "validation error: with a key of spaces rule c failed at path /a b/c/",
      `validation error: ${"long ".repeat(500)} rule d failed at path /z/`,
      "validation error: é ünïcode 😀 rule e failed at path /ü/",
    ];
    const rules = ["check-a", "autogen-check-a", "autogen-cronjob-check-a", "other"];
    const next = seededRandom(3).below;
    for (let round = 0; round < 3_000; round++) {
      const rule = rules[next(rules.length)] as string;
      // A copy of the text each time, as most failures build their own; the same object otherwise.
      const message =
        next(2) === 0 ? (messages[next(messages.length)] as string) : [...(messages[next(messages.length)] as string)].join("");
      const [finding] = record(outcome(rule, message));
      expect(finding?.message).toBe(`Deployment "web": ${cleaned(message)}`);
      expect(finding?.rule).toBe(rule.replace(/^autogen-(cronjob-)?/, ""));
    }
  });

  it("stays right past its bounds, with endless distinct messages and rules (they are input)", () => {
    for (let at = 0; at < 25_000; at++) {
      const message = `validation error: value ${at} is bad rule r${at % 50} failed at path /k${at}/`;
      const [finding] = record(outcome(`autogen-r${at % 12_000}`, message));
      expect(finding?.message).toBe(`Deployment "web": value ${at} is bad`);
      expect(finding?.rule).toBe(`r${at % 12_000}`);
    }
  });

  it("writes an error, an excepted failure and a deny rule's fallback place as before", () => {
    expect(record(outcome("r", "boom", { status: "error" }))[0]?.message).toBe('Deployment "web": the rule could not be evaluated: boom');
    const excepted = record(
      outcome("r", "", {
        status: "skip",
        paths: [],
        excepted: {
          by: ["ns/ex"],
          verdict: { status: "fail", message: "validation error: bad. rule r failed at path /a/", paths: [["a"]] },
        },
      }),
    );
    expect(excepted).toEqual([
      {
        policy: "p",
        rule: "r",
        severity: "notice",
        file: "apps/a.yaml",
        line: 2,
        column: 1,
        path: "a",
        message: 'Excepted by PolicyException ns/ex: Deployment "web": bad.',
        exception: "PolicyException ns/ex",
      },
    ]);
    const denied = record(outcome("deny-rule", "Denied.", { paths: [[]] }), new Map([["deny-rule", ["spec", "rules"]]]));
    expect(denied.map((finding) => [finding.path, finding.line])).toEqual([["spec.rules", 3]]);
    expect(record(outcome("pass", "ok", { status: "pass" }))).toEqual([]);
  });
});
