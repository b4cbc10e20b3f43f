import type { Probot } from "probot";
import { describe, expect, it } from "vitest";
import type { Delivery } from "../../src/core/delivery/delivery-state.js";
import { parseStoredRequest } from "../../src/core/request/stored-request.js";
import {
  APPLICATION_TEXT,
  ARGO_URL,
  LATER_COMMIT,
  MERGE_COMMIT,
  MERGED_AT,
  OLDER_COMMIT,
  RequestIssue,
  commitStatus,
  deploymentStatus,
  mockApplication,
  statusCommentBody,
  type StatusOptions,
} from "../helpers/argo-scenario.js";
import { GitHubMock } from "../helpers/github-mock.js";
import { createTestProbot, deliver } from "../helpers/probot.js";

const WAITING: Delivery = { phase: "waiting", mergedAt: MERGED_AT };

/** Delivers one status and returns the GitHub requests it made (GraphQL ones by operation). */
async function send(probot: Probot, gh: GitHubMock, options: StatusOptions): Promise<string[]> {
  const before = gh.calls.length;
  await deliver(probot, "status", commitStatus(options));
  return gh.calls
    .slice(before)
    .map((c) => (c.route === "POST /graphql" ? `graphql ${c.operation}` : `${c.method} ${c.route.split(" ")[1]}`));
}

const READ = "graphql DeliveryIssue";
const WRITE = "graphql DeliveryWrites";
const APPLICATION_READ = "GET /repos/{owner}/{repo}/contents/{path}";

const delivery = (issue: RequestIssue) => parseStoredRequest(issue.body)?.delivery;

describe("Argo CD commit statuses on the request issue", () => {
  it("pending shows syncing; success shows deployed at the commit with the Argo CD link and closes the issue", async () => {
    const gh = new GitHubMock();
    const probot = await createTestProbot();
    const issue = new RequestIssue(statusCommentBody(WAITING));

    mockApplication(gh, MERGE_COMMIT);
    issue.mockRead(gh);
    issue.mockWrite(gh);
    const pending = await send(probot, gh, {
      state: "pending",
      description: "The sync operation of application payments-checkout-dev has started.",
    });
    expect(pending).toEqual([APPLICATION_READ, READ, WRITE]);
    expect(issue.mutations).toEqual([["updateIssueComment"]]);
    expect(issue.body).toContain("### 🔄 Argo CD is syncing");
    expect(issue.body).toContain(
      "Argo CD is syncing Application `payments-checkout-dev` at [`a11ce0000000`](https://github.com/acme/gitops/commit/a11ce00000000000000000000000000000000001)",
    );
    expect(delivery(issue)).toMatchObject({ phase: "syncing", mergedAt: MERGED_AT, status: { state: "pending", commit: MERGE_COMMIT } });

    // The process already read the Application at this commit: the issue's read, then the close and the edit in one document.
    issue.mockRead(gh);
    issue.mockWrite(gh);
    const success = await send(probot, gh, { state: "success" });
    expect(success).toEqual([READ, WRITE]);
    expect(issue.mutations[1]).toEqual(["closeIssue", "updateIssueComment"]);
    expect(issue.open).toBe(false);
    expect(issue.body).toContain("### 🚀 Deployed");
    expect(issue.body).toContain(`- ✅ Synced and healthy ([Argo CD](${ARGO_URL}))`);
    expect(issue.body).toContain("The request is done: this issue is closed.");
    expect(issue.notices).toEqual([]);
  });

  it("degraded keeps the issue open, edits the status comment, notifies with a new comment and labels it; a later success closes it", async () => {
    const gh = new GitHubMock();
    const probot = await createTestProbot();
    const issue = new RequestIssue(statusCommentBody(WAITING));
    const description =
      "Application payments-checkout-dev has degraded. Application details: https://argocd.acme.example/applications/payments-checkout-dev.";

    mockApplication(gh, MERGE_COMMIT);
    issue.mockRead(gh);
    issue.mockWrite(gh);
    const degraded = await send(probot, gh, { state: "failure", description });
    expect(degraded).toEqual([APPLICATION_READ, READ, WRITE]);
    // The notifying comment and the label first, the status comment (the record of what was done) last.
    expect(issue.mutations).toEqual([["addComment", "addLabelsToLabelable", "updateIssueComment"]]);
    expect(issue.open).toBe(true);
    expect(issue.body).toContain("### ⚠️ Degraded");
    expect(issue.body).toContain("Application payments-checkout-dev has degraded.");
    expect(issue.body).toContain("This issue stays open");
    expect(issue.notices).toHaveLength(1);
    expect(issue.notices[0]).toContain("Argo CD reports that Application `payments-checkout-dev` is degraded at");
    expect(issue.notices[0]).toContain(`[Open it in Argo CD](${ARGO_URL})`);
    expect(issue.labels).toEqual(["gitops-request", "deployment-failed"]);

    // The same status again: the issue read, nothing written.
    issue.mockRead(gh);
    expect(await send(probot, gh, { state: "failure", description })).toEqual([READ]);

    // A fix lands in a later commit; Argo CD syncs it and the service is healthy.
    mockApplication(gh, LATER_COMMIT);
    issue.mockRead(gh);
    issue.mockWrite(gh);
    const recovered = await send(probot, gh, { state: "success", sha: LATER_COMMIT, committedAt: "2026-01-01T01:00:00Z" });
    expect(recovered).toEqual([APPLICATION_READ, READ, WRITE]);
    expect(issue.body).toContain("### 🚀 Deployed");
    expect(issue.open).toBe(false);
    expect(issue.notices).toHaveLength(1);
  });

  it("maps a status on a later revision than the merge commit through the Application at that revision", async () => {
    const gh = new GitHubMock();
    const probot = await createTestProbot();
    const issue = new RequestIssue(statusCommentBody(WAITING));
    // The later commit changed other files; the Application is read as it is there.
    mockApplication(gh, LATER_COMMIT);
    issue.mockRead(gh);
    issue.mockWrite(gh);
    expect(await send(probot, gh, { state: "success", sha: LATER_COMMIT, committedAt: "2026-01-01T00:05:00Z" })).toHaveLength(3);
    expect(delivery(issue)).toMatchObject({ phase: "deployed", status: { commit: LATER_COMMIT } });
  });

  it("statuses that arrive before the merge event are shown; the merge event then closes a deployed request", async () => {
    const gh = new GitHubMock();
    const probot = await createTestProbot();
    // The pull request is still open as far as the bot knows: no delivery yet.
    const issue = new RequestIssue(statusCommentBody(undefined));
    mockApplication(gh, MERGE_COMMIT);
    issue.mockRead(gh);
    issue.mockWrite(gh);
    expect(await send(probot, gh, { state: "success" })).toEqual([APPLICATION_READ, READ, WRITE]);
    expect(delivery(issue)).toMatchObject({ phase: "deployed", status: { state: "success" } });
    expect(delivery(issue)?.mergedAt).toBeUndefined();
    expect(issue.body).toContain("This issue closes when the merge event arrives.");
    expect(issue.mutations).toEqual([["updateIssueComment"]]);
    expect(issue.open).toBe(true);
  });

  it("before the merge event, a status on another commit (the version still running) writes nothing", async () => {
    const gh = new GitHubMock();
    const issue = new RequestIssue(statusCommentBody(undefined));
    mockApplication(gh, OLDER_COMMIT);
    issue.mockRead(gh);
    expect(
      await send(await createTestProbot(), gh, { state: "failure", sha: OLDER_COMMIT, message: "Bump nginx", description: "degraded" }),
    ).toHaveLength(2);
  });

  it("a pending after a success does not reopen or rewrite anything, nor a stale status on an older commit", async () => {
    const gh = new GitHubMock();
    const probot = await createTestProbot();
    const deployed: Delivery = {
      phase: "deployed",
      mergedAt: MERGED_AT,
      status: { application: "payments-checkout-dev", state: "success", commit: LATER_COMMIT, observedAt: "2026-01-01T01:00:00Z" },
    };
    const issue = new RequestIssue(statusCommentBody(deployed));
    mockApplication(gh, MERGE_COMMIT);
    issue.mockRead(gh);
    expect(await send(probot, gh, { state: "pending" })).toHaveLength(2);

    const failing: Delivery = {
      phase: "degraded",
      mergedAt: MERGED_AT,
      labelled: true,
      status: { application: "payments-checkout-dev", state: "failure", commit: LATER_COMMIT, observedAt: "2026-01-01T01:00:00Z" },
    };
    const open = new RequestIssue(statusCommentBody(failing));
    mockApplication(gh, OLDER_COMMIT);
    open.mockRead(gh);
    // A success delayed from an older commit does not close a request failing on a newer one.
    expect(await send(probot, gh, { state: "success", sha: OLDER_COMMIT, committedAt: "2026-01-01T00:30:00Z" })).toHaveLength(2);
    expect(gh.graphqlRequests("DeliveryWrites")).toEqual([]);
    expect(gh.calls.filter((c) => c.method !== "GET" && c.route !== "POST /graphql")).toEqual([]);
  });

  it.each([
    ["a CI status", { state: "success" as const, context: "ci/build" }, 0],
    [
      "an Argo CD status of an Application the bot did not make (no such file)",
      { state: "success" as const, context: "continuous-delivery/monitoring-dev" },
      1,
    ],
    [
      "an Argo CD status of an Application outside the bot's layout (its name has no `-`)",
      { state: "success" as const, context: "continuous-delivery/monitoring" },
      0,
    ],
    [
      "a commit that is not a full SHA",
      { state: "success" as const, context: "continuous-delivery/payments-checkout-dev", sha: "not-a-sha" },
      0,
    ],
  ])("ignores %s, with at most one request and no write", async (_, options, requests) => {
    const gh = new GitHubMock();
    if (requests > 0) mockApplication(gh, MERGE_COMMIT, null, "argocd/dev/monitoring.yaml");
    expect(await send(await createTestProbot(), gh, options)).toHaveLength(requests);
  });

  it("ignores an Application file without the bot's annotations, with no write", async () => {
    const gh = new GitHubMock();
    const handWritten = APPLICATION_TEXT.replace(/\n\s+gitops-bot\.dev\/request-issue: .*\n/, "\n");
    mockApplication(gh, MERGE_COMMIT, handWritten);
    expect(await send(await createTestProbot(), gh, { state: "success" })).toHaveLength(1);
  });

  it("ignores a request whose issue is gone, with no write", async () => {
    const gh = new GitHubMock();
    const issue = new RequestIssue("");
    mockApplication(gh, MERGE_COMMIT);
    issue.mockGone(gh);
    expect(await send(await createTestProbot(), gh, { state: "success" })).toEqual([APPLICATION_READ, READ]);
  });

  it("ignores a request that closed at its merge (closeIssue: merged, or a deprovision)", async () => {
    const gh = new GitHubMock();
    const issue = new RequestIssue(statusCommentBody({ phase: "untracked", mergedAt: MERGED_AT }));
    mockApplication(gh, MERGE_COMMIT);
    issue.mockRead(gh);
    expect(await send(await createTestProbot(), gh, { state: "success" })).toEqual([APPLICATION_READ, READ]);
  });

  it("takes a deployment status whose environment names the Application", async () => {
    const gh = new GitHubMock();
    const probot = await createTestProbot();
    const issue = new RequestIssue(statusCommentBody(WAITING));
    mockApplication(gh, MERGE_COMMIT);
    issue.mockRead(gh);
    issue.mockWrite(gh);
    await deliver(probot, "deployment_status.created", deploymentStatus({ state: "success" }));
    expect(gh.count()).toBe(3);
    expect(issue.open).toBe(false);
    expect(delivery(issue)).toMatchObject({ phase: "deployed", status: { state: "success", commit: MERGE_COMMIT } });
    const before = gh.count();
    await deliver(probot, "deployment_status.created", deploymentStatus({ state: "inactive" }));
    expect(gh.count()).toBe(before);
  });

  it("a request issue someone closed already is not closed again; the status comment still shows the deployment", async () => {
    const gh = new GitHubMock();
    const issue = new RequestIssue(statusCommentBody(WAITING));
    issue.open = false;
    mockApplication(gh, MERGE_COMMIT);
    issue.mockRead(gh);
    issue.mockWrite(gh);
    await send(await createTestProbot(), gh, { state: "success" });
    expect(issue.mutations).toEqual([["updateIssueComment"]]);
    expect(delivery(issue)).toMatchObject({ phase: "deployed" });
  });

  it("a duplicate status comment a replica race left is deleted in the same mutation document", async () => {
    const gh = new GitHubMock();
    const body = statusCommentBody(WAITING);
    const issue = new RequestIssue(body, { after: [{ id: "IC_kwDOAcme502", body, author: { __typename: "Bot", login: "gitops-bot" } }] });
    mockApplication(gh, MERGE_COMMIT);
    issue.mockRead(gh);
    issue.mockWrite(gh);
    expect(await send(await createTestProbot(), gh, { state: "pending" })).toEqual([APPLICATION_READ, READ, WRITE]);
    expect(issue.mutations).toEqual([["updateIssueComment", "deleteIssueComment"]]);
    expect(issue.comments.map((c) => c.id)).toEqual(["IC_kwDOAcme400", "IC_kwDOAcme501"]);
  });

  it("takes only the App's own status comment: another App's or a person's copy of the marker is left alone", async () => {
    const gh = new GitHubMock();
    const body = statusCommentBody(WAITING);
    const issue = new RequestIssue(body, {
      before: [
        { id: "IC_kwDOAcme398", body, author: { __typename: "Bot", login: "other-app" } },
        { id: "IC_kwDOAcme399", body, author: { __typename: "User", login: "mallory" } },
      ],
    });
    mockApplication(gh, MERGE_COMMIT);
    issue.mockRead(gh);
    issue.mockWrite(gh);
    expect(await send(await createTestProbot(), gh, { state: "pending" })).toEqual([APPLICATION_READ, READ, WRITE]);
    // Neither copy is edited or deleted as a duplicate: the App could not write them, and they are not its own.
    expect(issue.mutations).toEqual([["updateIssueComment"]]);
    expect(issue.comments.map((c) => c.id)).toEqual(["IC_kwDOAcme398", "IC_kwDOAcme399", "IC_kwDOAcme501"]);
    expect(issue.comments[0]?.body).toBe(body);
    expect(delivery(issue)).toMatchObject({ phase: "syncing" });
  });

  it("a write GitHub refuses fails the delivery with GitHub's error; the edit is undone, so the redelivery does it all", async () => {
    const gh = new GitHubMock();
    const probot = await createTestProbot();
    const waiting = statusCommentBody(WAITING);
    const issue = new RequestIssue(waiting);
    issue.refuse = "addComment";
    mockApplication(gh, MERGE_COMMIT);
    issue.mockRead(gh);
    issue.mockWrite(gh);
    issue.mockUndoEdit(gh);
    const failure = commitStatus({ state: "failure", description: "degraded" });
    await expect(deliver(probot, "status", failure)).rejects.toThrow(/Resource not accessible by integration/);
    // GitHub ran the document's other mutations; the status comment's edit was then undone.
    expect(issue.mutations).toEqual([["addComment", "addLabelsToLabelable", "updateIssueComment"], ["updateIssueComment"]]);
    expect(issue.body).toBe(waiting);
    expect(issue.notices).toEqual([]);

    issue.refuse = null;
    issue.mockRead(gh);
    issue.mockWrite(gh);
    await deliver(probot, "status", failure);
    expect(issue.notices).toHaveLength(1);
    expect(issue.labels).toEqual(["gitops-request", "deployment-failed"]);
    expect(delivery(issue)).toMatchObject({ phase: "degraded", labelled: true });
  });

  it("on GitHub Enterprise Server the GraphQL requests go to /api/graphql", async () => {
    const gh = new GitHubMock("https://ghe.acme.example/api/v3");
    const probot = await createTestProbot({ baseUrl: "https://ghe.acme.example/api/v3" });
    const issue = new RequestIssue(statusCommentBody(WAITING));
    mockApplication(gh, MERGE_COMMIT);
    issue.mockRead(gh);
    issue.mockWrite(gh);
    expect(await send(probot, gh, { state: "success" })).toEqual([APPLICATION_READ, READ, WRITE]);
    expect(issue.open).toBe(false);
  });
});
