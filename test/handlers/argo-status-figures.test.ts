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
  deploymentStatus,
  mockApplication,
  statusCommentBody,
  type StatusOptions,
} from "../helpers/argo-scenario.js";
import { GitHubMock } from "../helpers/github-mock.js";
import { createTestProbot, deliver } from "../helpers/probot.js";

// Figures of issue 10: GitHub requests per status event, printed and asserted (counts, not times).
// "Cold": the first status a process sees for that commit; "warm": the process already read the
// Application at that commit for an earlier status (a commit's files never change).
const rows: string[] = [];
const WAITING: Delivery = { phase: "waiting", mergedAt: MERGED_AT };
const DEGRADED = "Application payments-checkout-dev has degraded.";

async function measure(params: {
  probot: Probot;
  gh: GitHubMock;
  what: string;
  status: StatusOptions;
}): Promise<{ requests: number; writes: number }> {
  const before = params.gh.calls.length;
  await deliver(params.probot, "status", commitStatus(params.status));
  const calls = params.gh.calls.slice(before);
  const result = { requests: calls.length, writes: calls.filter((c) => c.method !== "GET").length };
  rows.push(`| ${params.what} | ${result.requests} | ${result.writes} |`);
  return result;
}

/** A fresh process and a request issue waiting for Argo CD, its Application at the merge commit. */
async function waitingRequest(): Promise<{ probot: Probot; gh: GitHubMock; issue: RequestIssue }> {
  return { probot: await createTestProbot(), gh: new GitHubMock(), issue: new RequestIssue(statusCommentBody(WAITING)) };
}

afterAll(() => {
  console.log(
    [
      "",
      "GitHub requests per status event (issue 10: at most 4 when it concerns a request, at most 1 and no write when not)",
      "| status event | requests | writes |",
      "|---|---|---|",
      ...rows,
    ].join("\n"),
  );
});

describe("figures: GitHub requests per Argo CD status", () => {
  it("a status that concerns no request: at most one request, no write", async () => {
    const probot = await createTestProbot();
    const gh = new GitHubMock();
    expect(await measure({ probot, gh, what: "CI status (another context)", status: { state: "success", context: "ci/build" } })).toEqual({
      requests: 0,
      writes: 0,
    });
    expect(
      await measure({
        probot,
        gh,
        what: "foreign context: an Application name outside the bot's layout",
        status: { state: "success", context: "continuous-delivery/monitoring" },
      }),
    ).toEqual({ requests: 0, writes: 0 });
    mockApplication(gh, MERGE_COMMIT, null, "argocd/prod/monitoring.yaml");
    expect(
      await measure({
        probot,
        gh,
        what: "foreign context: no Application file of that name at the commit",
        status: { state: "success", context: "continuous-delivery/monitoring-prod" },
      }),
    ).toEqual({ requests: 1, writes: 0 });
    const handWritten = APPLICATION_TEXT.replace(/\n\s+gitops-bot\.dev\/request-issue: .*\n/, "\n");
    mockApplication(gh, MERGE_COMMIT, handWritten);
    expect(
      await measure({
        probot,
        gh,
        what: "lookalike: an Application the bot did not make, at the bot's path",
        status: { state: "success" },
      }),
    ).toEqual({ requests: 1, writes: 0 });
    expect(await measure({ probot, gh, what: "the same lookalike again (warm)", status: { state: "pending" } })).toEqual({
      requests: 0,
      writes: 0,
    });
  });

  it("cold success: the first status of the process deploys and closes", async () => {
    const { probot, gh, issue } = await waitingRequest();
    mockApplication(gh, MERGE_COMMIT);
    issue.mockList(gh);
    issue.mockEdit(gh);
    issue.mockClose(gh);
    expect(await measure({ probot, gh, what: "cold success (deployed, closes)", status: { state: "success" } })).toEqual({
      requests: 4,
      writes: 2,
    });
  });

  it("pending then success on the same commit (warm), then the same success again", async () => {
    const { probot, gh, issue } = await waitingRequest();
    mockApplication(gh, MERGE_COMMIT);
    issue.mockList(gh);
    issue.mockEdit(gh);
    expect(await measure({ probot, gh, what: "cold pending (syncing)", status: { state: "pending" } })).toEqual({ requests: 3, writes: 1 });
    issue.mockList(gh);
    issue.mockEdit(gh);
    issue.mockClose(gh);
    expect(await measure({ probot, gh, what: "warm success (deployed, closes)", status: { state: "success" } })).toEqual({
      requests: 3,
      writes: 2,
    });
    issue.mockList(gh);
    expect(await measure({ probot, gh, what: "warm: the same success again", status: { state: "success" } })).toEqual({
      requests: 1,
      writes: 0,
    });
  });

  it("failures: edit, a new comment that notifies, and the label once; a later success closes", async () => {
    const { probot, gh, issue } = await waitingRequest();
    mockApplication(gh, MERGE_COMMIT);
    issue.mockList(gh);
    issue.mockEdit(gh);
    issue.mockNotify(gh);
    issue.mockAddLabel(gh);
    // The one case above 4: three writes the issue asks for (edit, notifying comment, label), the
    // status comment's read, and the Application's read at a commit the process has not seen.
    expect(
      await measure({
        probot,
        gh,
        what: "cold first failure (degraded): edit, new comment, label",
        status: { state: "failure", description: DEGRADED },
      }),
    ).toEqual({ requests: 5, writes: 3 });
    issue.mockList(gh);
    issue.mockEdit(gh);
    issue.mockNotify(gh);
    expect(
      await measure({
        probot,
        gh,
        what: "warm failure, label already on (sync failed): edit, new comment",
        status: { state: "error", description: "Sync failed" },
      }),
    ).toEqual({ requests: 3, writes: 2 });
    mockApplication(gh, LATER_COMMIT);
    issue.mockList(gh);
    issue.mockEdit(gh);
    issue.mockClose(gh);
    expect(
      await measure({
        probot,
        gh,
        what: "cold success on a later commit (deployed, closes)",
        status: { state: "success", sha: LATER_COMMIT, committedAt: "2026-01-01T01:00:00Z" },
      }),
    ).toEqual({ requests: 4, writes: 2 });
  });

  it("cold deployment status: a Deployment's environment names the Application", async () => {
    const { probot, gh, issue } = await waitingRequest();
    mockApplication(gh, MERGE_COMMIT);
    issue.mockList(gh);
    issue.mockEdit(gh);
    issue.mockClose(gh);
    await deliver(probot, "deployment_status.created", deploymentStatus({ state: "success" }));
    const result = { requests: gh.calls.length, writes: gh.calls.filter((c) => c.method !== "GET").length };
    rows.push(`| cold deployment status success (deployed, closes) | ${result.requests} | ${result.writes} |`);
    expect(result).toEqual({ requests: 4, writes: 2 });
  });

  it("warm first failure: Argo CD's sync-running status on the commit came first", async () => {
    const { probot, gh, issue } = await waitingRequest();
    mockApplication(gh, MERGE_COMMIT);
    issue.mockList(gh);
    issue.mockEdit(gh);
    await deliver(probot, "status", commitStatus({ state: "pending" }));
    issue.mockList(gh);
    issue.mockEdit(gh);
    issue.mockNotify(gh);
    issue.mockAddLabel(gh);
    expect(
      await measure({
        probot,
        gh,
        what: "warm first failure (sync failed after syncing): edit, new comment, label",
        status: { state: "error", description: "Sync failed" },
      }),
    ).toEqual({ requests: 4, writes: 3 });
  });
});
