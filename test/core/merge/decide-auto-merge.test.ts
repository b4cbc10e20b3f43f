import { describe, expect, it } from "vitest";
import {
  approvalCandidates,
  decideAutoMerge,
  findForeignCommit,
  type PolicyCheckState,
  type PullRequestCommit,
  type PullRequestReview,
} from "../../../src/core/merge/decide-auto-merge.js";
import { renderAutoMergeComment } from "../../../src/core/report/auto-merge-comment.js";

const APP = "gitops-bot[bot]";
const HEAD = "a".repeat(40);
const OLD = "b".repeat(40);
const passed: PolicyCheckState = { status: "completed", conclusion: "success", url: "https://github.com/acme/gitops/runs/1" };

const commit = (overrides: Partial<PullRequestCommit> = {}): PullRequestCommit => ({
  sha: HEAD,
  author: APP,
  committer: APP,
  verified: true,
  verification: "valid",
  ...overrides,
});
const review = (login: string, state: string, commitId = HEAD, accountType = "User"): PullRequestReview => ({
  login,
  state,
  commitId,
  accountType,
});

describe("findForeignCommit", () => {
  it("accepts commits the App authored, committed and GitHub signed", () => {
    expect(findForeignCommit({ commits: [commit(), commit({ sha: OLD })], complete: true, appLogin: APP })).toBeNull();
  });

  it.each([
    ["authored by a person", commit({ author: "mallory" }), { kind: "foreign-commit", author: "mallory", committer: APP }],
    [
      "committed by a person (a rebase on the command line)",
      commit({ committer: "mallory" }),
      { kind: "foreign-commit", author: APP, committer: "mallory" },
    ],
    [
      "by an e-mail GitHub matches to no account",
      commit({ author: null, committer: null }),
      { kind: "foreign-commit", author: null, committer: null },
    ],
    [
      "naming the App but unsigned (the App's e-mail written into a commit)",
      commit({ verified: false, verification: "unsigned" }),
      { kind: "unverified-commit", verification: "unsigned" },
    ],
  ])("refuses a commit %s", (_, foreign, expected) => {
    expect(findForeignCommit({ commits: [commit({ sha: OLD }), { ...foreign, sha: HEAD }], complete: true, appLogin: APP })).toMatchObject({
      ...expected,
      sha: HEAD,
    });
  });

  it("refuses what it cannot see: more commits than GitHub lists", () => {
    expect(findForeignCommit({ commits: [commit()], complete: false, appLogin: APP })).toEqual({ kind: "too-many-commits", listed: 1 });
  });
});

describe("approvalCandidates", () => {
  it("takes each reviewer's standing review: a comment does not undo an approval, a dismissal does", () => {
    const reviews = [
      review("bob", "APPROVED"),
      review("bob", "COMMENTED"),
      review("carol", "APPROVED"),
      review("carol", "DISMISSED"),
      review("dave", "CHANGES_REQUESTED"),
      review("dave", "APPROVED"),
    ];
    expect(approvalCandidates({ reviews, headSha: HEAD, requester: "alice" })).toEqual({
      candidates: ["bob", "dave"],
      stale: [],
      requester: false,
    });
  });

  it("leaves out approvals of an earlier commit, the requester's own and bots'", () => {
    const reviews = [review("bob", "APPROVED", OLD), review("Alice", "APPROVED"), review("renovate[bot]", "APPROVED", HEAD, "Bot")];
    expect(approvalCandidates({ reviews, headSha: HEAD, requester: "alice" })).toEqual({ candidates: [], stale: ["bob"], requester: true });
  });
});

describe("decideAutoMerge", () => {
  const base = { headSha: HEAD, requester: "alice", check: passed, teamApprovers: new Map<string, string | null>() };

  it("merges when every configured reviewer approved the head and the check passed", () => {
    const decision = decideAutoMerge({
      ...base,
      required: ["bob", "acme/sre"],
      reviews: [review("bob", "APPROVED"), review("erin", "APPROVED")],
      writers: new Set(["bob", "erin"]),
      teamApprovers: new Map([["acme/sre", "erin"]]),
    });
    expect(decision).toMatchObject({ kind: "merge", approvedBy: ["bob", "erin"] });
  });

  it("counts warnings only (neutral) as passed", () => {
    expect(
      decideAutoMerge({
        ...base,
        check: { ...passed, conclusion: "neutral" },
        required: ["bob"],
        reviews: [review("bob", "APPROVED")],
        writers: new Set(["bob"]),
      }).kind,
    ).toBe("merge");
  });

  it("waits, saying which: a failed check, a missing team approval, a standing change request", () => {
    const decision = decideAutoMerge({
      ...base,
      check: { ...passed, conclusion: "failure" },
      required: ["bob", "acme/sre"],
      reviews: [review("bob", "APPROVED"), review("carol", "CHANGES_REQUESTED")],
      writers: new Set(["bob"]),
      teamApprovers: new Map([["acme/sre", null]]),
    });
    expect(decision).toMatchObject({
      kind: "wait",
      missing: [
        { kind: "check", state: "failed", conclusion: "failure" },
        { kind: "changes-requested", by: ["carol"] },
        { kind: "approval", reviewer: "acme/sre" },
      ],
      approvedBy: ["bob"],
    });
  });

  it.each([
    ["has not run", null, "missing"],
    ["is running", { status: "in_progress", conclusion: null, url: null }, "pending"],
    ["was cancelled", { status: "completed", conclusion: "cancelled", url: null }, "failed"],
  ])("waits while the check %s", (_, check, state) => {
    expect(
      decideAutoMerge({ ...base, check, required: [], reviews: [review("bob", "APPROVED")], writers: new Set(["bob"]) }),
    ).toMatchObject({ kind: "wait", missing: [{ kind: "check", state }] });
  });

  it("with no reviewer configured, still needs one approval by someone with write access", () => {
    const none = decideAutoMerge({ ...base, required: [], reviews: [review("mallory", "APPROVED")], writers: new Set() });
    expect(none).toMatchObject({ kind: "wait", missing: [{ kind: "any-approval" }], ignored: { withoutWriteAccess: ["mallory"] } });
    expect(decideAutoMerge({ ...base, required: [], reviews: [review("bob", "APPROVED")], writers: new Set(["bob"]) }).kind).toBe("merge");
  });

  it("never counts the requester, even a configured reviewer approving their own request", () => {
    const decision = decideAutoMerge({ ...base, required: ["alice"], reviews: [review("alice", "APPROVED")], writers: new Set(["alice"]) });
    expect(decision).toMatchObject({ kind: "wait", missing: [{ kind: "approval", reviewer: "alice" }], ignored: { requester: true } });
  });
});

describe("renderAutoMergeComment", () => {
  it("says what is missing without mentioning anyone", () => {
    const text = renderAutoMergeComment({
      kind: "waiting",
      method: "squash",
      headSha: HEAD,
      requester: "alice",
      missing: [
        { kind: "check", state: "failed", conclusion: "failure", url: "https://github.com/acme/gitops/runs/1" },
        { kind: "approval", reviewer: "acme/sre" },
        { kind: "approval", reviewer: "bob" },
      ],
      approvedBy: ["erin"],
      ignored: { stale: ["carol"], requester: true, withoutWriteAccess: [] },
    });
    expect(text).toMatchInlineSnapshot(`
      "<!-- gitops-bot:auto-merge -->
      ### ⏳ Auto-merge: waiting

      The bot merges this pull request (\`squash\`) once all of this is done on its latest commit \`aaaaaaa\`:

      - ❌ The policy check \`gitops-bot / policies\` [concluded \`failure\`](https://github.com/acme/gitops/runs/1) on \`aaaaaaa\`: fix its findings first.
      - ⏳ An approval by a member of \`@acme/sre\`.
      - ⏳ An approval by \`@bob\`.

      Approved by \`@erin\`.

      Approvals that do not count:
      - Approved an earlier commit: \`@carol\`. An approval counts for the commit it was given on.
      - \`@alice\` asked for this change: their own approval does not count.

      <sub>\`autoMerge\` in .github/gitops-bot.yml. This comment is updated in place.</sub>
      "
    `);
  });

  it("quotes GitHub's refusal as text", () => {
    const text = renderAutoMergeComment({
      kind: "refused",
      method: "merge",
      headSha: HEAD,
      status: 405,
      message: 'Required status check "ci" is expected. <img src=x>',
      approvedBy: ["bob"],
    });
    expect(text).toContain('GitHub answered 405: Required status check "ci" is expected. \\<img src=x\\>');
    expect(text).toContain("another required check");
  });
});
