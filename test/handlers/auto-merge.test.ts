import { describe, expect, it } from "vitest";
import { parseStoredRequest } from "../../src/core/request/stored-request.js";
import {
  AUTO_MERGE_CONFIG,
  HEAD,
  MERGE_SHA,
  PR_BODY,
  OLD_HEAD,
  checkRunCompleted,
  gateComment,
  mockGateReads,
  mockMerge,
  mockPostGateComment,
  pullGetReply,
  pullRequestReview,
  mockMergedAfterwards,
} from "../helpers/auto-merge-scenario.js";
import { APPLICATION_TEXT, statusCommentBody } from "../helpers/argo-scenario.js";
import { GitHubMock } from "../helpers/github-mock.js";
import { appReply, commentReply } from "../helpers/github-replies.js";
import { BRANCH, EXAMPLE_CONFIG, GITOPS, REQUESTS, mockComments, mockConfig, mockUpdateComment } from "../helpers/github-scenario.js";
import { pullRequestClosed } from "../helpers/payloads.js";
import { createTestProbot, deliver } from "../helpers/probot.js";

/** The merge commit of @octokit/webhooks-examples' pull_request.closed. */
const CLOSED_MERGE_SHA = "c4295bd74fb0f4fda03689c3df3f2803b658fd85";

const approved = {
  reviews: [{ login: "bob", state: "APPROVED" as const }],
  permissions: [["bob", "write"]] as [string, string | null][],
  memberships: [["acme/sre", "bob", "active"]] as [string, string, "active" | null][],
  // Branch protection requires no other check (read once everything else is in).
  required: {},
};

describe("auto-merge of the bot's pull requests", () => {
  it("merges after the required approval, naming the head commit, and tells the request issue", async () => {
    const gh = new GitHubMock();
    mockGateReads(gh, approved);
    mockMerge(gh);
    const comment = mockPostGateComment(gh);
    mockMergedAfterwards(gh);
    await deliver(await createTestProbot(), "pull_request_review.submitted", pullRequestReview("submitted", { reviewer: "bob" }));

    expect(gh.bodies("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge")).toEqual([{ sha: HEAD, merge_method: "squash" }]);
    expect(comment.posted()).toContain("### 🎉 Auto-merged");
    expect(comment.posted()).toContain("approved by `@bob`");
    const status = gh.bodies("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}")[0]?.body ?? "";
    expect(status).toContain("### ⏳ Merged, waiting for Argo CD");
    expect(parseStoredRequest(status)?.delivery).toEqual({ phase: "waiting", mergedAt: "2026-01-01T00:00:00Z" });
    console.log(
      `auto-merge after an approval: ${gh.count()} GitHub requests (${gh.log().filter((l) => !l.startsWith("GET")).length} writes)`,
    );
  });

  it("merges when the policy check completes after the approval", async () => {
    const gh = new GitHubMock();
    mockGateReads(gh, approved);
    mockMerge(gh);
    mockPostGateComment(gh);
    mockMergedAfterwards(gh);
    await deliver(await createTestProbot(), "check_run.completed", checkRunCompleted({ conclusion: "success" }));
    expect(gh.count("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge")).toBe(1);
  });

  it("a template upgrade follows the GitOps repository's own autoMerge, which opened it", async () => {
    const upgrade = "gitops-bot/upgrade/web-service/payments-checkout-dev";
    const gh = new GitHubMock();
    mockGateReads(gh, { ...approved, pull: { headRef: upgrade }, config: EXAMPLE_CONFIG, gitopsConfig: AUTO_MERGE_CONFIG });
    mockMerge(gh);
    mockPostGateComment(gh);
    gh.on("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
      params: { ...GITOPS, pull_number: 7 },
      reply: { status: 200, data: pullGetReply({ merged: true, headRef: upgrade }) },
    });
    gh.on("GET /repos/{owner}/{repo}/contents/{path}", {
      params: { ...GITOPS, path: "argocd/dev/payments-checkout.yaml" },
      query: { ref: MERGE_SHA },
      reply: { status: 200, raw: APPLICATION_TEXT },
    });
    mockUpdateComment(gh, 501);
    await deliver(await createTestProbot(), "pull_request_review.submitted", pullRequestReview("submitted", { reviewer: "bob" }));
    expect(gh.count("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge")).toBe(1);

    // Off in the GitOps repository: the request repository's config does not turn it on.
    const off = new GitHubMock();
    mockGateReads(off, { pull: { headRef: upgrade }, config: AUTO_MERGE_CONFIG, gitopsConfig: EXAMPLE_CONFIG });
    await deliver(await createTestProbot(), "pull_request_review.submitted", pullRequestReview("submitted", { reviewer: "bob" }));
    expect(off.log().filter((l) => !l.startsWith("GET"))).toEqual([]);
  });

  it("does not merge when the policy check failed, and says so", async () => {
    const gh = new GitHubMock();
    mockGateReads(gh, { ...approved, checkRuns: [{ conclusion: "failure" }] });
    const comment = mockPostGateComment(gh);
    await deliver(await createTestProbot(), "check_run.completed", checkRunCompleted({ conclusion: "failure" }));
    expect(gh.count("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge")).toBe(0);
    expect(comment.posted()).toContain("### ⏳ Auto-merge: waiting");
    expect(comment.posted()).toContain(
      "- ❌ The policy check `gitops-bot / policies` [concluded `failure`](https://github.com/acme/gitops/runs/900)",
    );
    expect(comment.posted()).not.toContain("An approval by");
  });

  it("does not merge while approvals are missing, and says whose", async () => {
    const gh = new GitHubMock();
    // Carol approved an earlier commit, alice asked for the change: neither counts.
    mockGateReads(gh, {
      reviews: [
        { login: "carol", state: "APPROVED", commit: OLD_HEAD },
        { login: "alice", state: "APPROVED" },
      ],
    });
    const comment = mockPostGateComment(gh);
    await deliver(await createTestProbot(), "pull_request_review.submitted", pullRequestReview("submitted", { reviewer: "alice" }));
    expect(gh.count("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge")).toBe(0);
    expect(comment.posted()).toContain("- ⏳ An approval by a member of `@acme/sre`.");
    expect(comment.posted()).toContain("- Approved an earlier commit: `@carol`.");
    expect(comment.posted()).toContain("- `@alice` asked for this change: their own approval does not count.");
  });

  it("does not count an approval from someone without write access", async () => {
    const gh = new GitHubMock();
    mockGateReads(gh, { reviews: [{ login: "mallory", state: "APPROVED" }], permissions: [["mallory", "read"]] });
    const comment = mockPostGateComment(gh);
    await deliver(await createTestProbot(), "pull_request_review.submitted", pullRequestReview("submitted", { reviewer: "mallory" }));
    expect(gh.count("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge")).toBe(0);
    expect(comment.posted()).toContain("- Without write access to this repository: `@mallory`.");
  });

  it.each([
    [
      "a person's commit on the branch",
      [{ sha: OLD_HEAD }, { sha: HEAD, author: "mallory", committer: "mallory" }],
      "is by `@mallory`, not by the bot",
    ],
    ["a commit naming the bot that GitHub did not sign", [{ verified: false }], "GitHub did not verify its signature (`unsigned`)"],
  ])("never merges with %s: auto-merge is off for the pull request, and says why", async (_, commits, why) => {
    const gh = new GitHubMock();
    mockGateReads(gh, { ...approved, commits });
    const comment = mockPostGateComment(gh);
    await deliver(await createTestProbot(), "pull_request_review.submitted", pullRequestReview("submitted", { reviewer: "bob" }));
    expect(gh.count("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge")).toBe(0);
    expect(comment.posted()).toContain("### ✋ Auto-merge is off for this pull request");
    expect(comment.posted()).toContain(why);
  });

  it.each([
    [405, 'Required status check "ci / kubeconform" is expected.', "another required check"],
    [405, "Merge commits are not allowed on this repository.", "Set `autoMerge.method`"],
    [409, "Head branch was modified. Review and try the merge again.", "judged again on its new commit"],
    [405, "Pull Request is not mergeable", "writes the branch anew from the current base branch"],
  ] as const)("reports GitHub refusing the merge (%i %s) instead of failing", async (status, message, hint) => {
    const gh = new GitHubMock();
    mockGateReads(gh, approved);
    mockMerge(gh, { status, message });
    gh.on("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
      params: { ...GITOPS, pull_number: 7 },
      reply: { status: 200, data: pullGetReply() },
    });
    const comment = mockPostGateComment(gh);
    await deliver(await createTestProbot(), "pull_request_review.submitted", pullRequestReview("submitted", { reviewer: "bob" }));
    expect(comment.posted()).toContain("### ⏳ Auto-merge: GitHub refused the merge");
    expect(comment.posted()).toContain(`GitHub answered ${status}: ${message.replace(/"/g, '"')}`);
    expect(comment.posted()).toContain(hint);
    expect(gh.count("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}")).toBe(0);
  });

  it("leaves the comment alone when GitHub refuses because another handling merged it a moment before", async () => {
    const gh = new GitHubMock();
    mockGateReads(gh, { ...approved, report: false });
    mockMerge(gh, { status: 405, message: "Pull Request is not mergeable" });
    gh.on("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
      params: { ...GITOPS, pull_number: 7 },
      reply: { status: 200, data: pullGetReply({ merged: true }) },
    });
    await deliver(await createTestProbot(), "check_run.completed", checkRunCompleted({ conclusion: "success" }));
    expect(gh.log().filter((l) => !l.startsWith("GET"))).toEqual(["PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge"]);
  });

  it("edits its one comment in place, and writes nothing when nothing changed (a redelivery)", async () => {
    const probot = await createTestProbot();
    const waiting = gateComment({
      kind: "waiting",
      method: "squash",
      headSha: HEAD,
      requester: "alice",
      missing: [{ kind: "approval", reviewer: "acme/sre" }],
      approvedBy: [],
      ignored: { stale: [], requester: false, withoutWriteAccess: [] },
    });
    const event = pullRequestReview("dismissed", { reviewer: "bob" });
    for (let delivery = 0; delivery < 2; delivery++) {
      const gh = new GitHubMock();
      mockGateReads(gh, { report: waiting, app: delivery === 0 });
      await deliver(probot, "pull_request_review.dismissed", event);
      expect(gh.log().filter((l) => !l.startsWith("GET"))).toEqual([]);
    }

    // Then the approval: the same comment is edited, not a second one posted.
    const gh = new GitHubMock();
    mockGateReads(gh, { ...approved, report: waiting, checkRuns: [{ conclusion: null }], app: false });
    gh.on("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
      params: { ...GITOPS, comment_id: 700 },
      reply: ({ body }) => ({ status: 200, data: commentReply(GITOPS, 7, { id: 700, body: String(body.body) }) }),
    });
    await deliver(probot, "pull_request_review.submitted", pullRequestReview("submitted", { reviewer: "bob" }));
    expect(gh.bodies("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}")[0]?.body).toContain(
      "is [still running](https://github.com/acme/gitops/runs/900)",
    );
  });

  it("a pull request merged by hand: the gate's comment stops waiting; after the bot's own merge, the closed event leaves it", async () => {
    const waiting = gateComment({
      kind: "waiting",
      method: "squash",
      headSha: HEAD,
      requester: "alice",
      missing: [{ kind: "approval", reviewer: "acme/sre" }],
      approvedBy: [],
      ignored: { stale: [], requester: false, withoutWriteAccess: [] },
    });
    const merged = gateComment({ kind: "merged", method: "squash", headSha: HEAD, mergeSha: MERGE_SHA, approvedBy: ["bob"] });
    for (const [existing, expected] of [
      [waiting, "### Auto-merge: merged by hand"],
      [merged, null],
    ] as const) {
      const gh = new GitHubMock();
      mockConfig(gh, REQUESTS, AUTO_MERGE_CONFIG);
      mockComments(gh, 12, [{ id: 501, body: statusCommentBody(undefined) }]);
      gh.on("GET /repos/{owner}/{repo}/contents/{path}", {
        params: { ...GITOPS, path: "argocd/dev/payments-checkout.yaml" },
        query: { ref: CLOSED_MERGE_SHA },
        reply: { status: 200, raw: APPLICATION_TEXT },
      });
      mockUpdateComment(gh, 501);
      mockComments(gh, 7, [{ id: 700, body: existing }], GITOPS);
      if (expected) mockUpdateComment(gh, 700, 7, GITOPS);
      await deliver(
        await createTestProbot(),
        "pull_request.closed",
        pullRequestClosed({
          repo: { owner: "acme", name: "gitops" },
          number: 7,
          merged: true,
          body: PR_BODY,
          head: BRANCH,
          author: { login: "gitops-bot[bot]", type: "Bot" },
        }),
      );
      const edits = gh.bodies("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}").map((b) => b.body ?? "");
      expect(edits.filter((b) => b.includes("gitops-bot:auto-merge"))).toEqual(expected ? [expect.stringContaining(expected)] : []);
    }
  });

  it("a redelivered approval after the merge writes nothing", async () => {
    const gh = new GitHubMock();
    gh.on("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
      params: { ...GITOPS, pull_number: 7 },
      reply: { status: 200, data: pullGetReply({ merged: true }) },
    });
    await deliver(await createTestProbot(), "pull_request_review.submitted", pullRequestReview("submitted", { reviewer: "bob" }));
    expect(gh.log()).toEqual(["GET /repos/{owner}/{repo}/pulls/{pull_number}"]);
  });

  it("autoMerge off (the default): nothing is written, and a review costs only the reads that find it off", async () => {
    const gh = new GitHubMock();
    mockGateReads(gh, { config: EXAMPLE_CONFIG });
    await deliver(await createTestProbot(), "pull_request_review.submitted", pullRequestReview("submitted", { reviewer: "bob" }));
    expect(gh.log()).toEqual(["GET /repos/{owner}/{repo}/pulls/{pull_number}", "GET /repos/{owner}/{repo}/contents/{path}"]);

    // The policy check's completion: the App's own login (once per process), then the same two reads.
    const checked = new GitHubMock();
    checked.on("GET /app", { params: {}, reply: { status: 200, data: appReply("gitops-bot") } });
    mockGateReads(checked, { config: EXAMPLE_CONFIG });
    await deliver(await createTestProbot(), "check_run.completed", checkRunCompleted({ conclusion: "success" }));
    expect(checked.log().filter((l) => !l.startsWith("GET"))).toEqual([]);
    console.log(
      `autoMerge off: a review of the bot's pull request costs ${gh.count()} GitHub requests, its policy check's completion ${checked.count() - 1} (+1 GET /app per process), 0 writes`,
    );
  });

  it.each([
    ["a review of a person's pull request", () => deliverReview({ author: { login: "alice", type: "User" } })],
    ["a review of a pull request naming no request issue", () => deliverReview({ body: "Bump nginx" })],
    ["a comment-only review", () => deliverReview({ state: "commented" })],
    ["another app's check run (only the App's own login is asked, once per process)", () => deliverCheck({ appSlug: "github-actions" }), 1],
    ["a check run of another name", () => deliverCheck({ name: "ci / lint" })],
  ])("costs no installation request for %s", async (_, run, appReads = 0) => {
    const gh = new GitHubMock();
    if (appReads > 0) gh.on("GET /app", { params: {}, reply: { status: 200, data: appReply("gitops-bot") } });
    await run();
    expect(gh.count()).toBe(appReads);
  });
});

async function deliverReview(options: Omit<Parameters<typeof pullRequestReview>[1], "reviewer">): Promise<void> {
  await deliver(await createTestProbot(), "pull_request_review.submitted", pullRequestReview("submitted", { reviewer: "bob", ...options }));
}

async function deliverCheck(options: { appSlug?: string; name?: string }): Promise<void> {
  await deliver(await createTestProbot(), "check_run.completed", checkRunCompleted({ conclusion: "success", ...options }));
}
