import { Kind, OperationTypeNode, parse } from "graphql";
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
import { GitHubMock, type RecordedCall } from "../helpers/github-mock.js";
import { createTestProbot, deliver } from "../helpers/probot.js";

// Figures of issue 10: GitHub requests per status event, printed and asserted (counts, not times).
// "Cold": the first status a process sees for that commit; "warm": the process already read the
// Application at that commit for an earlier status (a commit's files never change).
const rows: string[] = [];
const WAITING: Delivery = { phase: "waiting", mergedAt: MERGED_AT };
const DEGRADED = "Application payments-checkout-dev has degraded.";
/** Issue 10's figures: a status that concerns a request, and one that concerns none. */
const AT_MOST_FOR_A_REQUEST = 4;
const AT_MOST_FOR_NONE = 1;

interface Figure {
  requests: number;
  /** Requests that write: REST writes, GraphQL mutation documents. */
  writes: number;
}

/** What a write request changes: a GraphQL document's mutations, or the REST route. */
function changesOf(call: RecordedCall): string[] {
  if (call.route !== "POST /graphql") return call.method === "GET" ? [] : [call.route];
  const document = parse(String((call.body as { query?: unknown }).query));
  return document.definitions.flatMap((d) =>
    d.kind === Kind.OPERATION_DEFINITION && d.operation === OperationTypeNode.MUTATION
      ? d.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []))
      : [],
  );
}

function record(what: string, calls: RecordedCall[]): Figure {
  const writing = calls.filter((c) => changesOf(c).length > 0);
  const result = { requests: calls.length, writes: writing.length };
  const changes = writing.map((c) => changesOf(c).join(" + ")).join("; ") || "nothing";
  rows.push(`| ${what} | ${result.requests} | ${result.writes} | ${changes} |`);
  return result;
}

async function measure(params: { probot: Probot; gh: GitHubMock; what: string; status: StatusOptions }): Promise<Figure> {
  const before = params.gh.calls.length;
  await deliver(params.probot, "status", commitStatus(params.status));
  return record(params.what, params.gh.calls.slice(before));
}

/** A status that concerns a request: at most 4 requests, whatever it writes. */
function concernsRequest(figure: Figure, expected: Figure): void {
  expect(figure.requests).toBeLessThanOrEqual(AT_MOST_FOR_A_REQUEST);
  expect(figure).toEqual(expected);
}

/** A status that concerns no request: at most 1 request, and no write. */
function concernsNone(figure: Figure, requests: number): void {
  expect(figure.requests).toBeLessThanOrEqual(AT_MOST_FOR_NONE);
  expect(figure).toEqual({ requests, writes: 0 });
}

/** A fresh process and a request issue waiting for Argo CD, its Application at the merge commit. */
async function waitingRequest(options: ConstructorParameters<typeof RequestIssue>[1] = {}) {
  return { probot: await createTestProbot(), gh: new GitHubMock(), issue: new RequestIssue(statusCommentBody(WAITING), options) };
}

afterAll(() => {
  console.log(
    [
      "",
      `GitHub requests per status event (issue 10: at most ${AT_MOST_FOR_A_REQUEST} when it concerns a request, at most ${AT_MOST_FOR_NONE} and no write when not)`,
      "| status event | requests | writes | what the writes change |",
      "|---|---|---|---|",
      ...rows,
    ].join("\n"),
  );
});

describe("figures: GitHub requests per Argo CD status", () => {
  it("a status that concerns no request: at most one request, no write", async () => {
    const probot = await createTestProbot();
    const gh = new GitHubMock();
    concernsNone(await measure({ probot, gh, what: "CI status (another context)", status: { state: "success", context: "ci/build" } }), 0);
    concernsNone(
      await measure({
        probot,
        gh,
        what: "foreign context: an Application name outside the bot's layout",
        status: { state: "success", context: "continuous-delivery/monitoring" },
      }),
      0,
    );
    mockApplication(gh, MERGE_COMMIT, null, "argocd/prod/monitoring.yaml");
    concernsNone(
      await measure({
        probot,
        gh,
        what: "foreign context: no Application file of that name at the commit",
        status: { state: "success", context: "continuous-delivery/monitoring-prod" },
      }),
      1,
    );
    const handWritten = APPLICATION_TEXT.replace(/\n\s+gitops-bot\.dev\/request-issue: .*\n/, "\n");
    mockApplication(gh, MERGE_COMMIT, handWritten);
    concernsNone(
      await measure({
        probot,
        gh,
        what: "lookalike: an Application the bot did not make, at the bot's path",
        status: { state: "success" },
      }),
      1,
    );
    concernsNone(await measure({ probot, gh, what: "the same lookalike again (warm)", status: { state: "pending" } }), 0);
  });

  it("cold success: the first status of the process deploys and closes", async () => {
    const { probot, gh, issue } = await waitingRequest();
    mockApplication(gh, MERGE_COMMIT);
    issue.mockRead(gh);
    issue.mockWrite(gh);
    concernsRequest(await measure({ probot, gh, what: "cold success (deployed, closes)", status: { state: "success" } }), {
      requests: 3,
      writes: 1,
    });
    expect(issue.open).toBe(false);
  });

  it("pending then success on the same commit (warm), then the same success again", async () => {
    const { probot, gh, issue } = await waitingRequest();
    mockApplication(gh, MERGE_COMMIT);
    issue.mockRead(gh);
    issue.mockWrite(gh);
    concernsRequest(await measure({ probot, gh, what: "cold pending (syncing)", status: { state: "pending" } }), {
      requests: 3,
      writes: 1,
    });
    issue.mockRead(gh);
    issue.mockWrite(gh);
    concernsRequest(await measure({ probot, gh, what: "warm success (deployed, closes)", status: { state: "success" } }), {
      requests: 2,
      writes: 1,
    });
    issue.mockRead(gh);
    concernsRequest(await measure({ probot, gh, what: "warm: the same success again", status: { state: "success" } }), {
      requests: 1,
      writes: 0,
    });
  });

  it("failures: edit, a new comment that notifies, and the label once; a later success closes", async () => {
    const { probot, gh, issue } = await waitingRequest();
    mockApplication(gh, MERGE_COMMIT);
    issue.mockRead(gh);
    issue.mockWrite(gh);
    // The three writes the issue asks for (notifying comment, label, status comment) in one mutation document.
    concernsRequest(
      await measure({
        probot,
        gh,
        what: "cold first failure (degraded): new comment, label, edit",
        status: { state: "failure", description: DEGRADED },
      }),
      { requests: 3, writes: 1 },
    );
    issue.mockRead(gh);
    issue.mockWrite(gh);
    concernsRequest(
      await measure({
        probot,
        gh,
        what: "warm failure, label already on (sync failed): new comment, edit",
        status: { state: "error", description: "Sync failed" },
      }),
      { requests: 2, writes: 1 },
    );
    mockApplication(gh, LATER_COMMIT);
    issue.mockRead(gh);
    issue.mockWrite(gh);
    concernsRequest(
      await measure({
        probot,
        gh,
        what: "cold success on a later commit (deployed, closes)",
        status: { state: "success", sha: LATER_COMMIT, committedAt: "2026-01-01T01:00:00Z" },
      }),
      { requests: 3, writes: 1 },
    );
    expect(issue.notices).toHaveLength(2);
    expect(issue.open).toBe(false);
  });

  it("cold first failure in a repository that has no failure label yet: REST creates it as it adds it", async () => {
    const { probot, gh, issue } = await waitingRequest({ labelExists: false });
    mockApplication(gh, MERGE_COMMIT);
    issue.mockRead(gh);
    issue.mockAddLabel(gh);
    issue.mockWrite(gh);
    concernsRequest(
      await measure({
        probot,
        gh,
        what: "cold first failure, the repository's first failure label: label (REST), then new comment + edit",
        status: { state: "failure", description: DEGRADED },
      }),
      { requests: 4, writes: 2 },
    );
    expect(issue.labels).toContain("deployment-failed");
    expect(issue.mutations).toEqual([["addComment", "updateIssueComment"]]);
  });

  it("cold deployment status: a Deployment's environment names the Application", async () => {
    const { probot, gh, issue } = await waitingRequest();
    mockApplication(gh, MERGE_COMMIT);
    issue.mockRead(gh);
    issue.mockWrite(gh);
    await deliver(probot, "deployment_status.created", deploymentStatus({ state: "success" }));
    concernsRequest(record("cold deployment status success (deployed, closes)", gh.calls), { requests: 3, writes: 1 });
  });

  it("warm first failure: Argo CD's sync-running status on the commit came first", async () => {
    const { probot, gh, issue } = await waitingRequest();
    mockApplication(gh, MERGE_COMMIT);
    issue.mockRead(gh);
    issue.mockWrite(gh);
    await deliver(probot, "status", commitStatus({ state: "pending" }));
    issue.mockRead(gh);
    issue.mockWrite(gh);
    concernsRequest(
      await measure({
        probot,
        gh,
        what: "warm first failure (sync failed after syncing): new comment, label, edit",
        status: { state: "error", description: "Sync failed" },
      }),
      { requests: 2, writes: 1 },
    );
  });

  it("a status comment past the first 100 comments costs one more read", async () => {
    const people = Array.from({ length: 150 }, (_, i) => ({
      id: `IC_person${i}`,
      body: i === 0 ? "pasted: <!-- gitops-bot:status -->" : `comment ${i}`,
      author: { __typename: "User" as const, login: `person${i}` },
    }));
    const { probot, gh, issue } = await waitingRequest({ before: people });
    mockApplication(gh, MERGE_COMMIT);
    issue.mockRead(gh, 2);
    issue.mockWrite(gh);
    concernsRequest(
      await measure({
        probot,
        gh,
        what: "cold first failure, status comment after 150 comments: two pages read",
        status: { state: "failure", description: DEGRADED },
      }),
      { requests: 4, writes: 1 },
    );
    expect(gh.graphqlRequests("DeliveryIssue").map((r) => r.variables.after)).toEqual([null, "cursor:100"]);
  });
});
