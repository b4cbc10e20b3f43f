import { describe, expect, it } from "vitest";
import {
  APP,
  HEAD,
  checkSuiteCompleted,
  ciStatus,
  mockCommitPulls,
  mockGateReads,
  mockMerge,
  mockPostGateComment,
  pullGetReply,
  pullRequestReview,
  type GateReads,
  mockMergedAfterwards,
} from "../helpers/auto-merge-scenario.js";
import { GitHubMock } from "../helpers/github-mock.js";
import { appReply } from "../helpers/github-replies.js";
import { BASE_COMMIT, BRANCH, EXAMPLE_CONFIG, GITOPS } from "../helpers/github-scenario.js";
import { createTestProbot, deliver } from "../helpers/probot.js";

/** Everything in but CI: bob (of acme/sre) approved the head, and the policy check passed. */
const approved: GateReads = {
  reviews: [{ login: "bob", state: "APPROVED" }],
  permissions: [["bob", "write"]],
  memberships: [["acme/sre", "bob", "active"]],
};

function mockGetApp(gh: GitHubMock): void {
  gh.on("GET /app", { params: {}, reply: { status: 200, data: appReply("gitops-bot") } });
}

const writes = (gh: GitHubMock) => gh.log().filter((l) => !l.startsWith("GET"));

describe("auto-merge waits for the checks branch protection requires, and wakes when the last one finishes", () => {
  it("an approval while CI still runs: no merge, and the comment names the required check", async () => {
    const gh = new GitHubMock();
    mockGateReads(gh, {
      ...approved,
      required: { protection: ["gitops-bot / policies", "ci / build"], runs: [{ name: "ci / build", conclusion: null }] },
    });
    const comment = mockPostGateComment(gh);
    await deliver(await createTestProbot(), "pull_request_review.submitted", pullRequestReview("submitted", { reviewer: "bob" }));
    expect(gh.count("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge")).toBe(0);
    expect(comment.posted()).toContain("### ⏳ Auto-merge: waiting");
    expect(comment.posted()).toContain(
      `- ⏳ The required check \`ci / build\` is [still running](https://github.com/acme/gitops/runs/950) on \`${HEAD.slice(0, 7)}\`.`,
    );
    expect(comment.posted()).toContain("Approved by `@bob`.");
  });

  it("CI's check suite completing after the approval merges, naming the head commit", async () => {
    const gh = new GitHubMock();
    mockGateReads(gh, { ...approved, required: { protection: ["ci / build"], runs: [{ name: "ci / build", conclusion: "success" }] } });
    mockMerge(gh);
    mockPostGateComment(gh);
    mockMergedAfterwards(gh);
    await deliver(await createTestProbot(), "check_suite.completed", checkSuiteCompleted({ conclusion: "success" }));
    expect(gh.bodies("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge")).toEqual([{ sha: HEAD, merge_method: "squash" }]);
    console.log(
      `auto-merge woken by CI's check suite: ${gh.count()} GitHub requests (${writes(gh).length} writes), GET /app once per process included`,
    );
  });

  it("a commit status from CI passing last (a ruleset requires it) merges: one lookup finds the pull request", async () => {
    const gh = new GitHubMock();
    mockCommitPulls(gh, [{}]);
    mockGateReads(gh, {
      ...approved,
      pullRead: false,
      required: { rulesets: ["ci/jenkins"], statuses: [{ context: "ci/jenkins", state: "success" }] },
    });
    mockMerge(gh);
    mockPostGateComment(gh);
    mockMergedAfterwards(gh);
    const event = ciStatus({ state: "success", branches: [[BRANCH, HEAD]] });
    await deliver(await createTestProbot(), "status", event);
    expect(gh.count("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge")).toBe(1);
    // The gate reads the pull request once, after the merge: the lookup's answer was its first read.
    expect(gh.count("GET /repos/{owner}/{repo}/pulls/{pull_number}")).toBe(1);
    console.log(`auto-merge woken by a commit status: ${gh.count()} GitHub requests (${writes(gh).length} writes)`);
  });

  it.each([
    [
      "failed",
      { runs: [{ name: "ci / build", conclusion: "failure" as const }] },
      "❌ The required check `ci / build` [concluded `failure`]",
    ],
    ["not reported yet (no check run, no status)", { runs: [], statuses: [] }, "⏳ The required check `ci / build` has not reported on"],
  ])("never merges while a required check %s; the comment says which", async (_, reads, line) => {
    const gh = new GitHubMock();
    mockGateReads(gh, { ...approved, required: { protection: ["ci / build"], ...reads } });
    const comment = mockPostGateComment(gh);
    await deliver(await createTestProbot(), "check_suite.completed", checkSuiteCompleted({ conclusion: "failure" }));
    expect(gh.count("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge")).toBe(0);
    expect(comment.posted()).toContain(line);
  });

  it("a check pinned to CI's app is not satisfied by a check run of the same name from another app", async () => {
    const gh = new GitHubMock();
    mockGateReads(gh, {
      ...approved,
      required: { protection: ["ci / build"], pinned: true, runs: [{ name: "ci / build", conclusion: "success", appId: 99 }] },
    });
    const comment = mockPostGateComment(gh);
    await deliver(await createTestProbot(), "check_suite.completed", checkSuiteCompleted({ conclusion: "success" }));
    expect(gh.count("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge")).toBe(0);
    expect(comment.posted()).toContain("The required check `ci / build` has not reported on");
  });
});

describe("events of commits that are not the head of a bot's pull request with autoMerge on stay quiet", () => {
  const personPull = { author: { login: "alice", type: "User" as const } };
  it.each([
    ["a status on the default branch's head (CI after a merge, Argo CD)", 0, (gh: GitHubMock) => void gh, () => statusOn([["main", HEAD]])],
    ["a pending status", 0, (gh: GitHubMock) => void gh, () => ciStatus({ state: "pending", branches: [[BRANCH, HEAD]] })],
    ["a status on a commit that heads no branch", 0, (gh: GitHubMock) => void gh, () => statusOn([[BRANCH, BASE_COMMIT]])],
    [
      "a status on the head of a person's pull request",
      1,
      (gh: GitHubMock) => mockCommitPulls(gh, [personPull]),
      () => statusOn([["feature", HEAD]]),
    ],
    ["a status on a branch with no open pull request", 1, (gh: GitHubMock) => mockCommitPulls(gh, []), () => statusOn([["feature", HEAD]])],
  ])("%s: %i request(s), 0 writes", async (_, requests, mock, event) => {
    const gh = new GitHubMock();
    mock(gh);
    await deliver(await createTestProbot(), "status", event());
    expect(gh.count()).toBe(requests);
    expect(writes(gh)).toEqual([]);
  });

  it.each([
    ["a check suite of no pull request", 0, () => checkSuiteCompleted({ conclusion: "success", pullRequests: false }), false],
    [
      "the App's own check suite (its check run wakes the gate)",
      0,
      () => checkSuiteCompleted({ conclusion: "success", appSlug: "gitops-bot" }),
      true,
    ],
    ["CI's check suite on a person's pull request", 1, () => checkSuiteCompleted({ conclusion: "success" }), true],
  ])("%s: %i request(s) besides GET /app once per process, 0 writes", async (name, requests, event, asksApp) => {
    const gh = new GitHubMock();
    if (asksApp) mockGetApp(gh);
    if (requests > 0)
      gh.on("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
        params: { ...GITOPS, pull_number: 7 },
        reply: { status: 200, data: pullGetReply(personPull) },
      });
    await deliver(await createTestProbot(), "check_suite.completed", event());
    expect(gh.count() - gh.count("GET /app")).toBe(requests);
    expect(writes(gh)).toEqual([]);
    void name;
  });

  it("the head of a bot's pull request with autoMerge off: the reads that find it off, 0 writes", async () => {
    const status = new GitHubMock();
    mockCommitPulls(status, [{}]);
    mockGateReads(status, { config: EXAMPLE_CONFIG, pullRead: false });
    await deliver(await createTestProbot(), "status", ciStatus({ state: "success", branches: [[BRANCH, HEAD]] }));
    expect(status.log()).toEqual(["GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls", "GET /repos/{owner}/{repo}/contents/{path}"]);

    const suite = new GitHubMock();
    mockGetApp(suite);
    mockGateReads(suite, { config: EXAMPLE_CONFIG });
    await deliver(await createTestProbot(), "check_suite.completed", checkSuiteCompleted({ conclusion: "success" }));
    expect(writes(suite)).toEqual([]);
    console.log(
      `autoMerge off: a CI status on the bot's pull request costs ${status.count()} GitHub requests, CI's check suite ${suite.count() - 1} (+1 GET /app per process), 0 writes`,
    );
  });
});

function statusOn(branches: [string, string][]) {
  return ciStatus({ state: "success", branches });
}

void APP;
