import { describe, expect, it } from "vitest";
import { parseApprovePolicy } from "../../../../src/core/policy/approvals/parse-approve-policy.js";
import {
  addPolicyApproval,
  applyPolicyApprovals,
  parseExceptionRecord,
  recordConclusion,
  renderApprovalSection,
  renderApprovedCheck,
} from "../../../../src/core/policy/approvals/policy-approvals.js";
import type { Finding } from "../../../../src/core/policy/types.js";

describe("parseApprovePolicy", () => {
  it.each([
    [
      "/approve-policy disallow-host-ports/host-ports legacy agent",
      { command: { policy: "disallow-host-ports", rule: "host-ports", reason: "legacy agent" } },
    ],
    [
      "Thanks!\n/approve-policy restrict-rbac   the operator needs it  ",
      { command: { policy: "restrict-rbac", reason: "the operator needs it" } },
    ],
    ["no command here", null],
    ["```\n/approve-policy a/b quoted\n```", null],
    ["> /approve-policy a/b quoted", null],
    ["/approve-policy a/b", { problem: expect.stringMatching(/^An exception needs a reason/) as unknown as string }],
    ["/approve-policy", { problem: expect.stringMatching(/^Name the policy/) as unknown as string }],
    ["/approve-policy A`B reason", { problem: expect.stringMatching(/^`A'B` is not a policy name/) as unknown as string }],
    ["/approve-policy a/b/c reason", { problem: expect.stringMatching(/is not a policy name or policy\/rule/) as unknown as string }],
  ])("%j", (body, expected) => {
    expect(parseApprovePolicy(body)).toEqual(expected);
  });

  it("caps a long reason", () => {
    const parsed = parseApprovePolicy(`/approve-policy p ${"x".repeat(900)}`);
    expect(parsed && "command" in parsed ? parsed.command.reason.length : 0).toBe(501);
  });
});

const finding = (over: Partial<Finding>): Finding => ({
  policy: "p",
  rule: "r",
  severity: "error",
  file: "a.yaml",
  line: 1,
  column: 1,
  path: "",
  message: "m",
  ...over,
});

describe("policy approvals", () => {
  const findings = [
    finding({}),
    finding({ file: "b.yaml" }),
    finding({ policy: "platform", rule: "quota" }),
    finding({ rule: "s", severity: "warning" }),
  ];
  const blobs = new Map([
    ["a.yaml", "sha-a"],
    ["b.yaml", "sha-b"],
  ]);
  const kyverno = new Set(["p"]);

  it("records what is open per rule, and what no approval can except", () => {
    const { record } = applyPolicyApprovals({ findings, approvals: [], blobs, kyvernoPolicies: kyverno, headSha: "h1" });
    expect(record).toEqual({
      headSha: "h1",
      fixedErrors: 1,
      fixedWarnings: 0,
      notices: 0,
      open: [
        { policy: "p", rule: "r", errors: 2, warnings: 0, files: { "a.yaml": "sha-a", "b.yaml": "sha-b" } },
        { policy: "p", rule: "s", errors: 0, warnings: 1, files: { "a.yaml": "sha-a" } },
      ],
      approvals: [],
    });
    expect(recordConclusion(record)).toEqual({ conclusion: "failure", errors: 3, warnings: 1 });
  });

  it("an approval excepts its rule's findings in the files it saw, and only while their blobs are the same", () => {
    const { record } = applyPolicyApprovals({ findings, approvals: [], blobs, kyvernoPolicies: kyverno, headSha: "h1" });
    const added = addPolicyApproval({ record, approval: { policy: "p", rule: "r", by: "sam", reason: "ok" } });
    if (!("record" in added)) throw new Error(added.problem);
    expect(added.excepted).toBe(2);
    expect(recordConclusion(added.record).errors).toBe(1);
    const approval = added.record.approvals[0]!;
    expect(approval).toEqual({
      policy: "p",
      rule: "r",
      by: "sam",
      reason: "ok",
      commit: "h1",
      files: { "a.yaml": "sha-a", "b.yaml": "sha-b" },
    });
    const later = applyPolicyApprovals({
      findings,
      approvals: [approval],
      blobs: new Map([
        ["a.yaml", "sha-a"],
        ["b.yaml", "sha-b2"],
      ]),
      kyvernoPolicies: kyverno,
      headSha: "h2",
    });
    expect(later.findings.map((f) => [f.file, f.rule, f.severity])).toEqual([
      ["a.yaml", "r", "notice"],
      ["b.yaml", "r", "error"],
      ["a.yaml", "quota", "error"],
      ["a.yaml", "s", "warning"],
    ]);
    expect(later.findings[0]?.message).toBe("Excepted by @sam: ok: m");
  });

  it("an approval of a rule with no open finding is refused with the rules that can be excepted", () => {
    const { record } = applyPolicyApprovals({ findings, approvals: [], blobs, kyvernoPolicies: kyverno, headSha: "h1" });
    expect(addPolicyApproval({ record, approval: { policy: "platform", by: "sam", reason: "x" } })).toEqual({
      problem:
        "The policy check of commit `h1` has no open finding of `platform`, so there is nothing to except. Open findings that can be excepted: `p/r`, `p/s`.",
    });
  });

  it("the record survives the round trip through a summary, and text that tries to end the comment stays inside it", () => {
    const { record } = applyPolicyApprovals({ findings, approvals: [], blobs, kyvernoPolicies: kyverno, headSha: "h1" });
    const added = addPolicyApproval({ record, approval: { policy: "p", by: "sam", reason: "--> <img src=x> end" } });
    if (!("record" in added)) throw new Error(added.problem);
    const section = renderApprovalSection(added.record);
    expect(section.match(/-->/g)).toHaveLength(1);
    expect(parseExceptionRecord(`# summary\n\n${section}`)).toEqual(added.record);
    const approved = renderApprovedCheck({ summary: `Checked 1 file.\n\n${renderApprovalSection(record)}`, record: added.record });
    expect(approved).toMatchObject({ conclusion: "failure", title: "1 error, 0 warnings (3 findings excepted)" });
    expect(parseExceptionRecord(approved.summary)).toEqual(added.record);
    expect(approved.summary.startsWith("Checked 1 file.\n\n**Excepted by policy owners.**")).toBe(true);
  });
});
