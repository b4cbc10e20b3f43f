import type { Probot } from "probot";
import { afterAll, describe, expect, it } from "vitest";
import type { Delivery } from "../../src/core/delivery/delivery-state.js";
import {
  APPLICATION_TEXT,
  LATER_COMMIT,
  MERGE_COMMIT,
  MERGED_AT,
  RequestIssue,
  commitStatus,
  gitopsFiles,
  mockBlob,
  mockCommitTree,
  statusCommentBody,
  type StatusOptions,
} from "../helpers/argo-scenario.js";
import { GitHubMock } from "../helpers/github-mock.js";
import { createTestProbot, deliver } from "../helpers/probot.js";

// Figures of issue 10: GitHub requests per status event. Printed, not timed.
const rows: string[] = [];
const WAITING: Delivery = { phase: "waiting", mergedAt: MERGED_AT };

async function measure(params: { probot: Probot; gh: GitHubMock; what: string; status: StatusOptions }): Promise<{ requests: number; writes: number }> {
  const before = params.gh.calls.length;
  await deliver(params.probot, "status", commitStatus(params.status));
  const calls = params.gh.calls.slice(before);
  const result = { requests: calls.length, writes: calls.filter((c) => c.method !== "GET").length };
  rows.push(`| ${params.what} | ${result.requests} | ${result.writes} |`);
  return result;
}

afterAll(() => {
  console.log(["", "GitHub requests per status event (issue 10)", "| status event | requests | writes |", "|---|---|---|", ...rows].join("\n"));
});

describe("figures: GitHub requests per Argo CD status", () => {
  it("a status that concerns no request: at most one request, no write", async () => {
    const probot = await createTestProbot();
    const gh = new GitHubMock();
    expect(await measure({ probot, gh, what: "CI status (another context)", status: { state: "success", context: "ci/build" } })).toEqual({ requests: 0, writes: 0 });
    mockCommitTree(gh, MERGE_COMMIT);
    expect(await measure({ probot, gh, what: "Argo CD status, no Application of that name in the commit", status: { state: "success", context: "continuous-delivery/monitoring-prod" } })).toEqual({ requests: 1, writes: 0 });
    const handWritten = APPLICATION_TEXT.replace(/\n\s+gitops-bot\.dev\/request-issue: .*\n/, "\n");
    mockCommitTree(gh, MERGE_COMMIT, gitopsFiles(handWritten));
    mockBlob(gh, handWritten);
    expect(await measure({ probot, gh, what: "Argo CD status, an Application the bot did not make (first read)", status: { state: "success" } })).toEqual({ requests: 2, writes: 0 });
    mockCommitTree(gh, MERGE_COMMIT, gitopsFiles(handWritten));
    expect(await measure({ probot, gh, what: "the same, its blob cached", status: { state: "success" } })).toEqual({ requests: 1, writes: 0 });
  });

  it("a status that concerns a request: pending, success, the same again, degraded, recovered", async () => {
    const probot = await createTestProbot();
    const gh = new GitHubMock();
    const issue = new RequestIssue(statusCommentBody(WAITING));
    mockCommitTree(gh, MERGE_COMMIT);
    mockBlob(gh);
    issue.mockList(gh);
    issue.mockEdit(gh);
    expect((await measure({ probot, gh, what: "pending (syncing), first status of the process", status: { state: "pending" } })).requests).toBeLessThanOrEqual(4);

    mockCommitTree(gh, MERGE_COMMIT);
    issue.mockList(gh);
    expect(await measure({ probot, gh, what: "the same pending again", status: { state: "pending" } })).toEqual({ requests: 2, writes: 0 });

    mockCommitTree(gh, MERGE_COMMIT);
    issue.mockList(gh);
    issue.mockEdit(gh);
    issue.mockNotify(gh);
    issue.mockAddLabel(gh);
    expect((await measure({ probot, gh, what: "failure (degraded): edit, new comment, label", status: { state: "failure", description: "Application payments-checkout-dev has degraded." } })).writes).toBe(3);

    mockCommitTree(gh, LATER_COMMIT);
    issue.mockList(gh);
    issue.mockEdit(gh);
    issue.mockClose(gh);
    expect((await measure({ probot, gh, what: "success on a later commit (deployed, closes)", status: { state: "success", sha: LATER_COMMIT, committedAt: "2026-01-01T01:00:00Z" } })).requests).toBeLessThanOrEqual(4);
  });

  it("success as the first status a process sees (the Application's blob not cached yet)", async () => {
    const probot = await createTestProbot();
    const gh = new GitHubMock();
    const issue = new RequestIssue(statusCommentBody(WAITING));
    mockCommitTree(gh, MERGE_COMMIT);
    mockBlob(gh);
    issue.mockList(gh);
    issue.mockEdit(gh);
    issue.mockClose(gh);
    expect(await measure({ probot, gh, what: "success (deployed, closes), first status of the process", status: { state: "success" } })).toEqual({ requests: 5, writes: 2 });
  });
});
