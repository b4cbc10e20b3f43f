import { describe, expect, it } from "vitest";
import { issueMarker } from "../../src/core/report/pr-body.js";
import { renderStatusComment } from "../../src/core/report/status-comment.js";
import { parseStoredRequest, type StoredRequest } from "../../src/core/request/stored-request.js";
import { APPLICATION_TEXT, mockApplication } from "../helpers/argo-scenario.js";
import { GitHubMock } from "../helpers/github-mock.js";
import { issueReply } from "../helpers/github-replies.js";
import { BRANCH, EXAMPLE_CONFIG, REQUESTS, mockComments, mockConfig, mockUpdateComment } from "../helpers/github-scenario.js";
import { pullRequestClosed, type PullRequestClosedOptions } from "../helpers/payloads.js";
import { createTestProbot, deliver } from "../helpers/probot.js";
import { aProvisionRequest } from "../helpers/requests.js";

const stored: StoredRequest = {
  v: 1,
  request: aProvisionRequest(),
  pullRequest: { repository: "acme/gitops", number: 7, url: "https://github.com/acme/gitops/pull/7" },
};
const statusComment = {
  id: 501,
  body: renderStatusComment({
    view: {
      kind: "up-to-date",
      request: { ...stored.request, issue: { repository: "acme/requests", number: 12, url: "" } },
      baseBranch: "main",
    },
    stored,
  }),
  type: "Bot" as const,
};
const body = `${issueMarker({ repository: "acme/requests", number: 12 })}\n**Provision** of template web-service`;
const bot = { login: "gitops-bot[bot]", type: "Bot" as const };

const MERGE_SHA = "c4295bd74fb0f4fda03689c3df3f2803b658fd85";

/** The request's Application at the merge commit, as the bot rendered it (naming issue 12), or absent. */
function closed(options: Partial<PullRequestClosedOptions> = {}) {
  return pullRequestClosed({
    repo: { owner: "acme", name: "gitops" },
    number: 7,
    merged: true,
    body,
    head: BRANCH,
    author: bot,
    ...options,
  });
}

describe("pull_request.closed", () => {
  it("merged, with Argo CD named in the config: the status comment waits for Argo CD and the issue stays open", async () => {
    const gh = new GitHubMock();
    mockConfig(gh, REQUESTS, EXAMPLE_CONFIG);
    mockComments(gh, 12, [statusComment]);
    mockApplication(gh, MERGE_SHA);
    mockUpdateComment(gh, 501);
    await deliver(await createTestProbot(), "pull_request.closed", closed());
    expect(gh.count()).toBe(4);
    const updated = gh.bodies("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}")[0]?.body ?? "";
    expect(updated).toContain("### ⏳ Merged, waiting for Argo CD");
    expect(updated).toContain("- ✅ Pull request [acme/gitops#7](https://github.com/acme/gitops/pull/7) merged");
    expect(updated).toContain("This issue closes when Argo CD reports the service synced and healthy.");
    expect(parseStoredRequest(updated)?.delivery).toEqual({ phase: "waiting", mergedAt: "2026-01-01T00:00:00Z" });
    expect(gh.count("PATCH /repos/{owner}/{repo}/issues/{issue_number}")).toBe(0);
  });

  it.each([
    ["argocd.closeIssue: merged", EXAMPLE_CONFIG.replace("closeIssue: deployed", "closeIssue: merged"), stored],
    ["a config without an argocd section", EXAMPLE_CONFIG.replace(/^argocd:\n( {2}.*\n)+/m, ""), stored],
    [
      "a deprovision (Argo CD deletes the Application)",
      EXAMPLE_CONFIG,
      { ...stored, request: { ...stored.request, action: "deprovision" as const } },
    ],
  ])("merged, %s: tells the request issue and closes it at the merge", async (_, config, tracked) => {
    const gh = new GitHubMock();
    mockConfig(gh, REQUESTS, config);
    mockComments(gh, 12, [
      {
        ...statusComment,
        body: renderStatusComment({
          view: {
            kind: "up-to-date",
            request: { ...tracked.request, issue: { repository: "acme/requests", number: 12, url: "" } },
            baseBranch: "main",
          },
          stored: tracked,
        }),
      },
    ]);
    mockUpdateComment(gh, 501);
    gh.on("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
      params: { ...REQUESTS, issue_number: 12 },
      reply: { status: 200, data: issueReply(REQUESTS, 12, "closed") },
    });
    await deliver(await createTestProbot(), "pull_request.closed", closed());
    expect(gh.count()).toBe(4);
    const updated = gh.bodies("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}")[0]?.body ?? "";
    expect(updated).toContain("### 🎉 Merged: [acme/gitops#7](https://github.com/acme/gitops/pull/7)");
    expect(updated).toContain("<!-- gitops-bot:request ");
    expect(parseStoredRequest(updated)?.delivery?.phase).toBe("untracked");
    expect(gh.bodies("PATCH /repos/{owner}/{repo}/issues/{issue_number}")).toEqual([{ state: "closed", state_reason: "completed" }]);
  });

  it.each([
    [
      "an applicationPath the status lookup cannot follow",
      "applicationPath: apps/{team}/{name}/{environment}/application.yaml",
      "apps/payments/checkout/dev/application.yaml",
      APPLICATION_TEXT,
      "Argo CD's statuses for the Application `payments-checkout-dev` are looked up in `argocd/dev/payments-checkout.yaml`, not in `apps/payments/checkout/dev/application.yaml`.",
    ],
    [
      "an Application rendered before it named its issue",
      "",
      "argocd/dev/payments-checkout.yaml",
      APPLICATION_TEXT.replace(/\n\s+gitops-bot\.dev\/request-issue: .*\n/, "\n"),
      "does not name this issue",
    ],
    ["no Application at the merge commit", "", "argocd/dev/payments-checkout.yaml", null, "does not name this issue"],
  ])("merged, with %s: closes at the merge and says why", async (_, layout, path, application, note) => {
    const gh = new GitHubMock();
    mockConfig(
      gh,
      REQUESTS,
      layout ? EXAMPLE_CONFIG.replace("applicationPath: argocd/{environment}/{team}-{name}.yaml", layout) : EXAMPLE_CONFIG,
    );
    mockComments(gh, 12, [statusComment]);
    mockApplication(gh, MERGE_SHA, application, path);
    mockUpdateComment(gh, 501);
    gh.on("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
      params: { ...REQUESTS, issue_number: 12 },
      reply: { status: 200, data: issueReply(REQUESTS, 12, "closed") },
    });
    await deliver(await createTestProbot(), "pull_request.closed", closed());
    const updated = gh.bodies("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}")[0]?.body ?? "";
    expect(updated).toContain("### 🎉 Merged");
    expect(updated).toContain(note);
    expect(updated).toContain("Argo CD's statuses cannot reach this issue, so it closed at the merge.");
    expect(gh.bodies("PATCH /repos/{owner}/{repo}/issues/{issue_number}")).toEqual([{ state: "closed", state_reason: "completed" }]);
  });

  it("merged after Argo CD already reported the service deployed: keeps what Argo CD said and closes the issue", async () => {
    const gh = new GitHubMock();
    const early = {
      ...stored,
      delivery: {
        phase: "deployed" as const,
        status: { application: "payments-checkout-dev", state: "success" as const, commit: "a11ce00000000000000000000000000000000001" },
      },
    };
    mockConfig(gh, REQUESTS, EXAMPLE_CONFIG);
    mockComments(gh, 12, [
      {
        ...statusComment,
        body: renderStatusComment({
          view: { kind: "delivery", pullRequest: stored.pullRequest!, delivery: early.delivery },
          stored: early,
        }),
      },
    ]);
    mockApplication(gh, MERGE_SHA);
    mockUpdateComment(gh, 501);
    gh.on("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
      params: { ...REQUESTS, issue_number: 12 },
      reply: { status: 200, data: issueReply(REQUESTS, 12, "closed") },
    });
    await deliver(await createTestProbot(), "pull_request.closed", closed());
    const updated = gh.bodies("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}")[0]?.body ?? "";
    expect(updated).toContain("### 🚀 Deployed");
    expect(parseStoredRequest(updated)?.delivery).toMatchObject({ phase: "deployed", mergedAt: "2026-01-01T00:00:00Z" });
    expect(gh.bodies("PATCH /repos/{owner}/{repo}/issues/{issue_number}")).toEqual([{ state: "closed", state_reason: "completed" }]);
  });

  it("closed without merging: tells the issue and leaves it open", async () => {
    const gh = new GitHubMock();
    mockConfig(gh, REQUESTS, EXAMPLE_CONFIG);
    mockComments(gh, 12, [statusComment]);
    mockUpdateComment(gh, 501);
    await deliver(await createTestProbot(), "pull_request.closed", closed({ merged: false }));
    expect(gh.bodies("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}")[0]?.body).toContain("was closed without merging");
    expect(gh.count("PATCH /repos/{owner}/{repo}/issues/{issue_number}")).toBe(0);
  });

  it.each([
    ["a pull request opened by a person", closed({ author: { login: "mallory" } }), 0],
    ["a pull request from a fork", closed({ fork: true }), 0],
    ["a body without the issue marker", closed({ body: "Bump nginx" }), 0],
    ["a branch that is not the bot's", closed({ head: "feature/x" }), 1],
  ])("ignores %s", async (_, payload, configReads) => {
    const gh = new GitHubMock();
    if (configReads > 0) mockConfig(gh, REQUESTS, EXAMPLE_CONFIG);
    await deliver(await createTestProbot(), "pull_request.closed", payload);
    expect(gh.count()).toBe(configReads);
  });

  it("ignores a marker naming an issue whose repository sends requests elsewhere", async () => {
    const gh = new GitHubMock();
    mockConfig(gh, REQUESTS, EXAMPLE_CONFIG.replace("repository: acme/gitops", "repository: acme/other-gitops"));
    await deliver(await createTestProbot(), "pull_request.closed", closed());
    expect(gh.count()).toBe(1);
  });

  it("ignores a pull request the status comment does not track (a forged marker, a stale PR)", async () => {
    const gh = new GitHubMock();
    mockConfig(gh, REQUESTS, EXAMPLE_CONFIG);
    mockComments(gh, 12, [
      statusComment,
      {
        id: 600,
        body: statusComment.body.replace("/pull/7", "/pull/8").replace('"number":7', '"number":8'),
        type: "User",
        login: "mallory",
      },
    ]);
    await deliver(await createTestProbot(), "pull_request.closed", closed({ number: 8 }));
    expect(gh.count()).toBe(2);
  });
});
