import { describe, expect, it } from "vitest";
import { faultOf, GitOpsOctokit, type RetrySettings } from "../../../src/adapters/github/gitops-octokit.js";
import { GitHubGateway } from "../../../src/adapters/github/gateway.js";
import { classifyFailure, decideRetry, DEFAULT_RETRY_LIMITS, type Failure } from "../../../src/adapters/github/retry-policy.js";
import { renderFaultMessage } from "../../../src/core/report/fault-message.js";
import { GitHubMock, githubError, type MockReply } from "../../helpers/github-mock.js";
import { branchReply, commentReply } from "../../helpers/github-replies.js";
import { INSTANT_RETRIES, testOctokitClass } from "../../helpers/octokit.js";

const AT = { owner: "acme", repo: "gitops" };
const HEAD = "c0ffee0000000000000000000000000000000001";
const NOW = Date.UTC(2026, 10, 30, 10, 0, 0);

type BranchReply = MockReply<"GET /repos/{owner}/{repo}/branches/{branch}">;
const OK: BranchReply = { status: 200, data: branchReply("feature", HEAD, HEAD) };
const SECONDARY = githubError("You have exceeded a secondary rate limit. Please wait a few minutes before you try again.");

/** A gateway whose Octokit retries at once, recording the waits and the warnings it logs. */
function setup(settings: Partial<RetrySettings> = {}) {
  const waits: number[] = [];
  const warnings: { fields: Record<string, unknown>; message: string }[] = [];
  const log = {
    debug: () => {},
    info: () => {},
    error: () => {},
    warn: (fields: Record<string, unknown>, message: string) => void warnings.push({ fields, message }),
  };
  const Octokit = testOctokitClass({ ...INSTANT_RETRIES, now: () => NOW, sleep: async (ms) => void waits.push(ms), ...settings });
  const octokit = new Octokit({ auth: { token: "test" }, log: log as never });
  return { gh: new GitHubMock(), gateway: new GitHubGateway({ octokit, ...AT }), waits, warnings };
}

function branchAnswers(gh: GitHubMock, replies: BranchReply[]): void {
  for (const reply of replies) gh.on("GET /repos/{owner}/{repo}/branches/{branch}", { params: { ...AT, branch: "feature" }, reply });
}

describe("transient GitHub errors are retried inside the handling", () => {
  it.each([
    ["a 502 server error", { status: 502, data: githubError("Bad Gateway") }, 1000],
    ["a 429 without hints", { status: 429, data: githubError("Too Many Requests") }, 1000],
    ["a 429 with retry-after", { status: 429, data: githubError("Too Many Requests"), headers: { "retry-after": "3" } }, 3000],
    ["a secondary rate limit (403) with retry-after", { status: 403, data: SECONDARY, headers: { "retry-after": "7" } }, 7000],
    ["a secondary rate limit without retry-after: a minute", { status: 403, data: SECONDARY }, 60_000],
  ] as [string, BranchReply, number][])("%s, then success", async (_, failure, wait) => {
    const { gh, gateway, waits, warnings } = setup();
    branchAnswers(gh, [failure, OK]);
    expect(await gateway.branches.getBranchHead("feature")).toEqual({ commit: HEAD, tree: HEAD });
    expect(gh.count()).toBe(2);
    expect(waits).toEqual([wait]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.fields).toMatchObject({ route: "GET /repos/{owner}/{repo}/branches/{branch}", attempt: 1, waitMs: wait });
  });

  it("a network error, then success", async () => {
    const { gh, gateway, waits, warnings } = setup();
    gh.on("GET /repos/{owner}/{repo}/branches/{branch}", { params: { ...AT, branch: "feature" }, reply: { networkError: "ECONNRESET" } });
    branchAnswers(gh, [OK]);
    expect(await gateway.branches.getBranchHead("feature")).toEqual({ commit: HEAD, tree: HEAD });
    expect(waits).toEqual([1000]);
    expect(warnings[0]?.fields).toMatchObject({ kind: "network", status: null });
  });

  it("a primary rate limit that resets soon is waited for; one that resets in an hour is not", async () => {
    const soon = setup();
    const resetSoon = String(Math.floor(NOW / 1000) + 20);
    branchAnswers(soon.gh, [
      {
        status: 403,
        data: githubError("API rate limit exceeded"),
        headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": resetSoon },
      },
      OK,
    ]);
    await soon.gateway.branches.getBranchHead("feature");
    expect(soon.waits).toEqual([21_000]);

    const late = setup();
    const resetLate = String(Math.floor(NOW / 1000) + 3600);
    branchAnswers(late.gh, [
      {
        status: 403,
        data: githubError("API rate limit exceeded"),
        headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": resetLate },
      },
    ]);
    const error = await late.gateway.branches.getBranchHead("feature").catch((e: unknown) => e);
    expect(late.waits).toEqual([]);
    expect(faultOf(error)).toEqual({ route: "GET /repos/{owner}/{repo}/branches/{branch}", kind: "rate-limit", status: 403, attempts: 1 });
  });

  it("gives up after four attempts, and the error says which request failed and why", async () => {
    const { gh, waits } = setup();
    const octokit = new (testOctokitClass({ ...INSTANT_RETRIES, sleep: async (ms) => void waits.push(ms) }))({ auth: { token: "test" } });
    gh.on("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      params: { ...AT, issue_number: 3 },
      reply: { status: 503, data: githubError("Service Unavailable") },
      times: 4,
    });
    const error = await new GitHubGateway({ octokit, ...AT }).issues
      .ensureComment({ issueNumber: 3, existing: null, body: "hi" })
      .catch((e: unknown) => e);
    expect(waits).toEqual([1000, 2000, 4000]);
    const fault = faultOf(error);
    expect(fault).toEqual({
      route: "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
      kind: "server-error",
      status: 503,
      attempts: 4,
    });
    expect(renderFaultMessage(fault)).toBe("GitHub failed to write the status comment: server error 503, after 4 attempts.");
  });

  it("does not retry what is not transient: 404, 422, a 403 without a rate limit", async () => {
    const { gh, gateway, waits } = setup();
    gh.on("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      params: { ...AT, issue_number: 3 },
      reply: { status: 403, data: githubError("Resource not accessible by integration") },
    });
    const error = await gateway.issues.ensureComment({ issueNumber: 3, existing: null, body: "hi" }).catch((e: unknown) => e);
    expect(waits).toEqual([]);
    expect(faultOf(error)).toMatchObject({ kind: "refused", status: 403, attempts: 1 });
    branchAnswers(gh, [{ status: 404, data: githubError("Branch not found") }]);
    expect(await gateway.branches.getBranchHead("feature")).toBeNull();
  });

  it("one Octokit's retries share a time budget: past it, a failure ends the request", async () => {
    const { gh, gateway, waits } = setup({ limits: { ...DEFAULT_RETRY_LIMITS, maxTotalWaitMs: 10_000 } });
    branchAnswers(gh, [
      { status: 403, data: SECONDARY, headers: { "retry-after": "8" } },
      OK,
      { status: 403, data: SECONDARY, headers: { "retry-after": "8" } },
    ]);
    await gateway.branches.getBranchHead("feature");
    const error = await gateway.branches.getBranchHead("feature").catch((e: unknown) => e);
    expect(waits).toEqual([8000]);
    expect(renderFaultMessage(faultOf(error))).toBe(
      "GitHub refused to read the request's branch: secondary rate limit (too many requests in a short time).",
    );
  });

  it("a page of a paginated list is logged and reported by the list's route template", async () => {
    const { gh, gateway, warnings } = setup();
    const next = { link: '<https://api.github.com/repos/acme/gitops/issues/3/comments?per_page=100&page=2>; rel="next"' };
    gh.on("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      params: { ...AT, issue_number: 3 },
      query: { per_page: 100 },
      reply: { status: 200, data: [], headers: next },
    });
    gh.on("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      params: { ...AT, issue_number: 3 },
      query: { per_page: 100, page: 2 },
      reply: { status: 502, data: githubError("Bad Gateway") },
      times: 4,
    });
    const error = await gateway.issues.findMarkedComment(3, "<!-- m -->").catch((e: unknown) => e);
    expect(warnings.map((w) => w.fields.route)).toEqual(Array(4).fill("GET /repos/{owner}/{repo}/issues/{issue_number}/comments"));
    expect(renderFaultMessage(faultOf(error))).toBe("GitHub failed to read this issue's comments: server error 502, after 4 attempts.");
  });

  it("writes that succeed after a retry are written once", async () => {
    const { gh, gateway } = setup();
    gh.on("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      params: { ...AT, issue_number: 3 },
      reply: { status: 502, data: githubError("Bad Gateway") },
    });
    gh.on("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      params: { ...AT, issue_number: 3 },
      reply: { status: 201, data: commentReply(AT, 3, { id: 9, body: "hi" }) },
    });
    expect(await gateway.issues.ensureComment({ issueNumber: 3, existing: null, body: "hi" })).toEqual({ id: 9, body: "hi" });
  });
});

describe("the App's Octokit class", () => {
  it("keeps Probot's throttling but lets only the retry policy retry: one retry, not plugin-retry's three on top", async () => {
    const gh = new GitHubMock();
    const waits: number[] = [];
    const octokit = new GitOpsOctokit({
      auth: { token: "test" },
      gitopsRetry: { ...INSTANT_RETRIES, sleep: async (ms: number) => void waits.push(ms) },
    });
    branchAnswers(gh, [
      { status: 429, data: SECONDARY, headers: { "retry-after": "1" } },
      { status: 502, data: githubError("Bad Gateway") },
      OK,
    ]);
    expect(await new GitHubGateway({ octokit, ...AT }).branches.getBranchHead("feature")).toEqual({ commit: HEAD, tree: HEAD });
    expect(gh.count()).toBe(3);
    expect(waits).toEqual([1000, 2000]);
  });
});

describe("decideRetry and classifyFailure", () => {
  const failure = (kind: Failure["kind"], waitHintMs: number | null = null): Failure => ({ kind, status: 500, waitHintMs });
  it.each([
    [failure("server-error"), 1, 0, { retry: true, waitMs: 1000 }],
    [failure("server-error"), 3, 0, { retry: true, waitMs: 4000 }],
    [failure("server-error"), 4, 0, { retry: false, reason: "gave up after 4 attempts" }],
    [failure("secondary-rate-limit", 90_000), 1, 0, { retry: false, reason: "GitHub asks to wait 90 s, more than 60 s" }],
    [failure("network"), 1, 119_500, { retry: false, reason: "the retry time budget of 120 s is spent" }],
    [failure("refused"), 1, 0, { retry: false, reason: "not a transient error" }],
  ] as const)("%o at attempt %d with %d ms spent", (f, attempt, spentMs, expected) => {
    expect(decideRetry({ failure: f, attempt, spentMs, limits: DEFAULT_RETRY_LIMITS, random: 0 })).toEqual(expected);
  });

  it("reads GitHub's headers, and a plain error is no GitHub failure", () => {
    const error = (status: number, headers: Record<string, string>, message = "x") =>
      Object.assign(new Error(message), { status, response: { headers, data: { message } } });
    expect(classifyFailure(error(429, { "retry-after": "2" }), NOW)).toEqual({ kind: "too-many-requests", status: 429, waitHintMs: 2000 });
    expect(
      classifyFailure(
        error(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(NOW / 1000 + 5) }, "API rate limit exceeded"),
        NOW,
      ),
    ).toEqual({ kind: "rate-limit", status: 403, waitHintMs: 6000 });
    expect(
      classifyFailure(
        error(
          403,
          { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(NOW / 1000 + 5) },
          "You have exceeded a secondary rate limit",
        ),
        NOW,
      ),
    ).toEqual({ kind: "secondary-rate-limit", status: 403, waitHintMs: 6000 });
    expect(classifyFailure(Object.assign(new Error("fetch failed"), { status: 500 }), NOW)).toEqual({
      kind: "network",
      status: null,
      waitHintMs: null,
    });
    expect(classifyFailure(new Error("bug"), NOW)).toBeNull();
  });
});
