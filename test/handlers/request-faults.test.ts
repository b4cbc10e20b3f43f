import { describe, expect, it } from "vitest";
import { GitHubMock, githubError } from "../helpers/github-mock.js";
import * as replies from "../helpers/github-replies.js";
import {
  BRANCH,
  EXAMPLE_CONFIG,
  GITOPS,
  NEW_COMMIT,
  README,
  REQUESTS,
  mockBase,
  mockBranch,
  mockCommentReaction,
  mockComments,
  mockConfig,
  mockCreateComment,
  mockFindPull,
  mockMembership,
  mockPermission,
  mockTreeAndCommit,
  mockUpdateComment,
  postedStatus,
  provisionComment,
  mockOpenPull,
} from "../helpers/github-scenario.js";
import { INSTANT_RETRIES } from "../helpers/octokit.js";
import { createTestProbot, deliver } from "../helpers/probot.js";

const SECONDARY = githubError("You have exceeded a secondary rate limit. Please wait a few minutes before you try again.");

/** Everything of a first provision up to the branch write. */
function mockUpToBranch(gh: GitHubMock, comments: Parameters<typeof mockComments>[2] = []) {
  mockConfig(gh, REQUESTS, EXAMPLE_CONFIG);
  mockPermission(gh, "alice", "write");
  mockMembership(gh, "acme/payments", "alice", "active");
  mockComments(gh, 12, comments);
  const entries = mockBase(gh, [README]);
  return { entries, written: mockTreeAndCommit(gh, entries) };
}

describe("a fault that ends the handling is told on the issue, then the delivery fails", () => {
  it("says in plain words which write GitHub refused and why, that it will be retried, and how to retry by hand", async () => {
    const gh = new GitHubMock();
    mockUpToBranch(gh);
    gh.on("POST /repos/{owner}/{repo}/git/refs", {
      params: GITOPS,
      reply: { status: 403, data: SECONDARY, headers: { "retry-after": "30" } },
      times: 4,
    });
    mockCreateComment(gh, 12);
    const probot = await createTestProbot({ retries: INSTANT_RETRIES, retry: { everySeconds: 300 } });

    await expect(deliver(probot, "issue_comment.created", provisionComment())).rejects.toThrow(/secondary rate limit/);
    const [status] = gh.bodies("POST /repos/{owner}/{repo}/issues/{issue_number}/comments");
    expect(status?.body).toContain("### ⚠️ The request could not be finished");
    expect(status?.body).toContain("**Provision** `web-service` size `small` for `payments/checkout` in `dev`, requested by @alice.");
    expect(status?.body).toContain(
      "GitHub refused to create the branch: secondary rate limit (too many requests in a short time), after 4 attempts.",
    );
    expect(status?.body).toContain("The App retries by itself: within 5 minutes it asks GitHub to deliver this event again");
    expect(status?.body).toContain("To retry by hand now, comment the command again");
    expect(gh.count("POST /repos/{owner}/{repo}/git/refs")).toBe(4);
  });

  it("a network failure reading the configuration is told too, for a command", async () => {
    const gh = new GitHubMock();
    gh.on("GET /repos/{owner}/{repo}/contents/{path}", {
      params: { ...REQUESTS, path: ".github/gitops-bot.yml" },
      reply: { networkError: "ECONNRESET" },
    });
    mockComments(gh, 12, []);
    mockCreateComment(gh, 12);
    await expect(deliver(await createTestProbot(), "issue_comment.created", provisionComment())).rejects.toThrow();
    const [status] = gh.bodies("POST /repos/{owner}/{repo}/issues/{issue_number}/comments");
    expect(status?.body).toContain("GitHub failed to read the configuration: GitHub could not be reached (network error).");
    expect(status?.body).toContain("This App does not retry by itself.");
  });
});

describe("no half-written state", () => {
  it("a branch written whose pull request could not be opened is completed by the next attempt: one branch, one PR, one comment", async () => {
    const gh = new GitHubMock();
    const first = mockUpToBranch(gh);
    gh.on("POST /repos/{owner}/{repo}/git/refs", {
      params: GITOPS,
      reply: { status: 201, data: replies.refReply(GITOPS, `heads/${BRANCH}`, NEW_COMMIT) },
    });
    gh.on("POST /repos/{owner}/{repo}/pulls", { params: GITOPS, reply: { status: 502, data: githubError("Bad Gateway") }, times: 4 });
    mockCreateComment(gh, 12);
    const probot = await createTestProbot({ retries: INSTANT_RETRIES, retry: { everySeconds: 300 } });
    await expect(deliver(probot, "issue_comment.created", provisionComment())).rejects.toThrow();
    expect(gh.bodies("POST /repos/{owner}/{repo}/issues/{issue_number}/comments")[0]?.body).toContain(
      "GitHub failed to open the pull request: server error 502, after 4 attempts.",
    );

    // The redelivery: the branch exists (GitHub says so with a 422) and holds the same tree, so it is kept.
    const failedStatus = postedStatus(gh);
    const second = mockUpToBranch(gh, [failedStatus]);
    gh.on("POST /repos/{owner}/{repo}/git/refs", { params: GITOPS, reply: { status: 422, data: githubError("Reference already exists") } });
    mockBranch(gh, BRANCH, { commit: NEW_COMMIT, tree: first.written.tree() });
    mockFindPull(gh, BRANCH, []);
    mockOpenPull(gh, { number: 7, labels: ["gitops-bot", "infrastructure"] });
    mockUpdateComment(gh, failedStatus.id);
    mockCommentReaction(gh, 9001, "rocket");
    await deliver(probot, "issue_comment.created", provisionComment());

    expect(second.written.tree()).toBe(first.written.tree());
    expect(gh.count("PATCH /repos/{owner}/{repo}/git/refs/{ref}")).toBe(0);
    expect(gh.calls.filter((c) => c.route === "POST /repos/{owner}/{repo}/git/refs" && c.status === 201)).toHaveLength(1);
    expect(gh.calls.filter((c) => c.route === "POST /repos/{owner}/{repo}/pulls" && c.status === 201)).toHaveLength(1);
    expect(gh.count("POST /repos/{owner}/{repo}/issues/{issue_number}/comments")).toBe(1);
    expect(gh.bodies("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}")[0]?.body).toContain("### ✅ Opened pull request");
  });
});

describe("duplicate status comments", () => {
  it("converge away on the next write: the oldest is kept and edited, the later one deleted", async () => {
    const gh = new GitHubMock();
    const bot = { type: "Bot" as const, login: "gitops-bot[bot]" };
    const status = "<!-- gitops-bot:status -->\n### ✅ Opened pull request";
    mockUpToBranch(gh, [
      { id: 501, body: status, ...bot },
      { id: 502, body: status, ...bot },
    ]);
    gh.on("POST /repos/{owner}/{repo}/git/refs", {
      params: GITOPS,
      reply: { status: 201, data: replies.refReply(GITOPS, `heads/${BRANCH}`, NEW_COMMIT) },
    });
    mockOpenPull(gh, { number: 7, labels: ["gitops-bot", "infrastructure"] });
    mockUpdateComment(gh, 501);
    gh.on("DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}", {
      params: { ...REQUESTS, comment_id: 502 },
      reply: { status: 204, data: undefined as never },
    });
    mockCommentReaction(gh, 9001, "rocket");
    await deliver(await createTestProbot(), "issue_comment.created", provisionComment());
    expect(gh.count("DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}")).toBe(1);
    expect(gh.count("POST /repos/{owner}/{repo}/issues/{issue_number}/comments")).toBe(0);
  });
});
