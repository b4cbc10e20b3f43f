import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseStoredRequest } from "../../src/core/request/stored-request.js";
import { GitHubMock } from "../helpers/github-mock.js";
import {
  BRANCH,
  EXAMPLE_CONFIG,
  NEW_COMMIT,
  README,
  REQUESTS,
  mockBase,
  mockBranch,
  mockComments,
  mockConfig,
  mockCreateComment,
  mockFindPull,
  mockFirstPublish,
  mockIssueReaction,
  mockAppLogin,
  mockIssueReactions,
  mockMembership,
  mockPermission,
  mockTreeAndCommit,
  mockUpdateComment,
  postedStatus,
} from "../helpers/github-scenario.js";
import * as replies from "../helpers/github-replies.js";
import { issuesEdited, issuesLabeled, issuesOpened } from "../helpers/payloads.js";
import { createTestProbot, deliver } from "../helpers/probot.js";

const FORM = readFileSync(new URL("../fixtures/issue-forms/web-service-complete/body.md", import.meta.url), "utf8");
const repo = { owner: REQUESTS.owner, name: REQUESTS.repo };
const alice = { login: "alice" };

/** Issue 12 opened from the form by alice (write, of acme/payments): pull request 7 opened, the status comment posted, the issue reacted on. */
function mockFormRequestOpened(gh: GitHubMock): { entries: ReturnType<typeof mockBase>; published: ReturnType<typeof mockFirstPublish> } {
  mockConfig(gh, REQUESTS, EXAMPLE_CONFIG);
  mockPermission(gh, "alice", "write");
  mockMembership(gh, "acme/payments", "alice", "active");
  mockComments(gh, 12, []);
  const entries = mockBase(gh, [README]);
  const published = mockFirstPublish(gh, entries, { number: 7, labels: ["gitops-bot", "infrastructure"] });
  mockCreateComment(gh, 12);
  mockIssueReaction(gh, 12, "rocket");
  return { entries, published };
}

describe("issue form", () => {
  it("turns an issue opened from the form into a pull request, reacting on the issue", async () => {
    const gh = new GitHubMock();
    mockFormRequestOpened(gh);
    await deliver(
      await createTestProbot(),
      "issues.opened",
      issuesOpened({ repo, sender: alice, issue: { number: 12, body: FORM, labels: ["gitops-request"] } }),
    );

    expect(gh.count()).toBe(13);
    expect(gh.bodies("POST /repos/{owner}/{repo}/pulls")[0]?.title).toBe("Provision web-service payments/checkout in dev (small)");
    expect(parseStoredRequest(postedStatus(gh).body)?.request.values).toEqual({
      name: "checkout",
      team: "payments",
      environment: "dev",
      image: "ghcr.io/acme/checkout:1.4.2",
    });
  });

  it("follows an edit of the form: the new size updates the same pull request", async () => {
    const gh = new GitHubMock();
    const { entries, published } = mockFormRequestOpened(gh);
    const probot = await createTestProbot();
    await deliver(
      probot,
      "issues.opened",
      issuesOpened({ repo, sender: alice, issue: { number: 12, body: FORM, labels: ["gitops-request"] } }),
    );

    mockConfig(gh, REQUESTS, EXAMPLE_CONFIG);
    mockPermission(gh, "alice", "write");
    mockMembership(gh, "acme/payments", "alice", "active");
    mockComments(gh, 12, [postedStatus(gh)]);
    mockBase(gh, [README]);
    mockBranch(gh, BRANCH, { commit: NEW_COMMIT, tree: published.tree() });
    mockTreeAndCommit(gh, entries, { commit: "c0ffee0000000000000000000000000000000003" });
    gh.on("PATCH /repos/{owner}/{repo}/git/refs/{ref}", {
      params: { owner: "acme", repo: "gitops", ref: `heads/${BRANCH}` },
      reply: {
        status: 200,
        data: replies.refReply({ owner: "acme", repo: "gitops" }, `heads/${BRANCH}`, "c0ffee0000000000000000000000000000000003"),
      },
    });
    mockFindPull(gh, BRANCH, [published.pull()]);
    gh.on("PATCH /repos/{owner}/{repo}/pulls/{pull_number}", {
      params: { owner: "acme", repo: "gitops", pull_number: 7 },
      reply: { status: 200, data: replies.pullReply({ owner: "acme", repo: "gitops" }, published.pull()) },
    });
    mockUpdateComment(gh, 501);
    mockIssueReaction(gh, 12, "rocket");
    await deliver(
      probot,
      "issues.edited",
      issuesEdited({
        repo,
        sender: alice,
        issue: { number: 12, body: FORM.replace("\nsmall\n", "\nmedium\n"), labels: ["gitops-request"] },
        previousBody: FORM,
      }),
    );

    expect(gh.count("POST /repos/{owner}/{repo}/pulls")).toBe(1);
    expect(gh.bodies("PATCH /repos/{owner}/{repo}/pulls/{pull_number}")[0]?.title).toBe(
      "Provision web-service payments/checkout in dev (medium)",
    );
  });

  it("a redelivery of the handled issues.opened writes nothing: the status comment stands and the issue has the App's reaction", async () => {
    const gh = new GitHubMock();
    const { published } = mockFormRequestOpened(gh);
    const probot = await createTestProbot();
    const event = issuesOpened({ repo, sender: alice, issue: { number: 12, body: FORM, labels: ["gitops-request"] } });
    await deliver(probot, "issues.opened", event, "delivery-1");
    const first = gh.count();

    mockConfig(gh, REQUESTS, EXAMPLE_CONFIG);
    mockPermission(gh, "alice", "write");
    mockMembership(gh, "acme/payments", "alice", "active");
    mockComments(gh, 12, [postedStatus(gh)]);
    mockBase(gh, [README]);
    mockBranch(gh, BRANCH, { commit: NEW_COMMIT, tree: published.tree() });
    mockFindPull(gh, BRANCH, [published.pull()]);
    mockAppLogin(gh);
    mockIssueReactions(gh, 12, "rocket", true);
    await deliver(probot, "issues.opened", event, "delivery-1");

    expect(gh.calls.slice(first).filter((c) => c.method !== "GET")).toEqual([]);
  });

  it("runs when the request label is added to an issue written from the form", async () => {
    const gh = new GitHubMock();
    mockConfig(gh, REQUESTS, EXAMPLE_CONFIG);
    mockPermission(gh, "maintainer", "maintain");
    // Not in the team's GitHub team, but a platform admin: may act for every team.
    mockMembership(gh, "acme/payments", "maintainer", null);
    mockMembership(gh, "acme/platform-team", "maintainer", "active");
    mockComments(gh, 12, []);
    mockBase(gh, [README]);
    mockCreateComment(gh, 12);
    mockIssueReaction(gh, 12, "confused");
    await deliver(
      await createTestProbot(),
      "issues.labeled",
      issuesLabeled({
        repo,
        sender: { login: "maintainer" },
        label: "gitops-request",
        issue: { number: 12, body: FORM.replace("ghcr.io/acme/checkout:1.4.2", "nginx:latest"), labels: ["gitops-request"] },
      }),
    );
    expect(postedStatus(gh).body).toContain("### ❌ The request was not accepted");
    expect(postedStatus(gh).body).toMatch(/`image`/);
  });

  it.each([
    ["an issue without the request label", issuesOpened({ repo, sender: alice, issue: { body: FORM, labels: ["bug"] } }), 1],
    [
      "another label being added",
      issuesLabeled({ repo, sender: alice, label: "bug", issue: { body: FORM, labels: ["gitops-request", "bug"] } }),
      1,
    ],
    ["an edit of the title only", issuesEdited({ repo, sender: alice, issue: { body: FORM, labels: ["gitops-request"] } }), 0],
    [
      "a closed issue",
      issuesEdited({ repo, sender: alice, issue: { body: FORM, labels: ["gitops-request"], state: "closed" }, previousBody: "" }),
      0,
    ],
    [
      "a bot opening an issue",
      issuesOpened({ repo, sender: { login: "renovate[bot]", type: "Bot" }, issue: { body: FORM, labels: ["gitops-request"] } }),
      0,
    ],
  ])("ignores %s", async (_, payload, configReads) => {
    const gh = new GitHubMock();
    if (configReads > 0) mockConfig(gh, REQUESTS, EXAMPLE_CONFIG);
    const name = payload.action === "opened" ? "issues.opened" : payload.action === "edited" ? "issues.edited" : "issues.labeled";
    await deliver(await createTestProbot(), name, payload as never);
    expect(gh.count()).toBe(configReads);
  });

  it("asks for a template when the form left it empty", async () => {
    const gh = new GitHubMock();
    mockConfig(gh, REQUESTS, EXAMPLE_CONFIG);
    mockPermission(gh, "alice", "write");
    mockComments(gh, 12, []);
    mockCreateComment(gh, 12);
    mockIssueReaction(gh, 12, "confused");
    await deliver(
      await createTestProbot(),
      "issues.opened",
      issuesOpened({
        repo,
        sender: alice,
        issue: { number: 12, body: FORM.replace("\nweb-service\n", "\n_No response_\n"), labels: ["gitops-request"] },
      }),
    );
    expect(postedStatus(gh).body).toContain("The request does not say which template to use.");
    expect(postedStatus(gh).body).toContain("Choose a template in the issue form.");
  });
});
