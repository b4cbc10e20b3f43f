import { describe, expect, it } from "vitest";
import { GitHubMock } from "../helpers/github-mock.js";
import { GITOPS, README, mockConfig, mockMembership, mockTreeAndCommit, treeEntries, type BaseFile } from "../helpers/github-scenario.js";
import { pullRequestEvent } from "../helpers/check-payloads.js";
import { issueCommentCreated } from "../helpers/payloads.js";
import { WEB_EXCEPTION, hostPortDeployment } from "../helpers/policy-exception-fixtures.js";
import {
  CHECK_RUN_ID,
  HEAD_COMMIT,
  PR_BASE_COMMIT,
  checkRunReply,
  mockBlobs,
  mockCheckRun,
  mockCommitTree,
  mockGetPull,
  mockMergeBase,
  mockReviewRequest,
  mockReviews,
  mockTeams,
} from "../helpers/policy-check-scenario.js";
import { parsePolicyException } from "../../src/core/policy/kyverno/parse-policy-exception.js";
import { parseYamlDocuments } from "../../src/core/yaml/parse-yaml-documents.js";
import { createTestProbot, deliver } from "../helpers/probot.js";
import * as replies from "../helpers/github-replies.js";

const repo = { owner: GITOPS.owner, name: GITOPS.repo };
const CONFIG =
  "approvals:\n  platform: [carol]\npolicyExceptions:\n  owners: [acme/security]\n  policies:\n    disallow-latest-tag: [dana]\n";
const WEB = "apps/shop/web.yaml";
const NEXT_HEAD = "feed000000000000000000000000000000000002";
const APPROVAL = "/approve-policy disallow-host-ports/host-ports the node agent of the legacy billing host needs port 8080";

type Probot = Awaited<ReturnType<typeof createTestProbot>>;

/** The policy check of a push: alice's Deployment with a host port (and `extra` files), on top of the README. */
function mockCheck(
  gh: GitHubMock,
  params: {
    head: string;
    changed: BaseFile[];
    reads?: BaseFile[];
    approvalsFrom?: { commit: string; summary: string | null };
    app?: boolean;
  },
) {
  const head = [README, ...params.changed];
  mockConfig(gh, GITOPS, CONFIG);
  mockCheckRun(gh, 1, { headSha: params.head });
  mockMergeBase(gh, { head: params.head });
  mockCommitTree(gh, params.head, head);
  mockCommitTree(gh, PR_BASE_COMMIT, [README]);
  mockBlobs(gh, params.reads ?? params.changed.filter((f) => f.path.endsWith(".yaml")));
  mockTeams(gh, "alice", { platform: null, shop: "active" });
  if (params.approvalsFrom)
    mockCheckRuns(
      gh,
      params.approvalsFrom.commit,
      params.approvalsFrom.summary === null ? [] : [{ summary: params.approvalsFrom.summary }],
    );
  if (params.app) mockApp(gh);
}

function mockApp(gh: GitHubMock) {
  gh.on("GET /app", { params: {}, reply: { status: 200, data: replies.appReply("gitops-bot") } });
}

/** The completed policy Check Runs GitHub lists for a commit, written by `app` (this App by default). */
function mockCheckRuns(gh: GitHubMock, commit: string, runs: readonly { summary: string; app?: string }[]) {
  gh.on("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
    params: { ...GITOPS, ref: commit },
    query: { check_name: "gitops-bot / policies", status: "completed", filter: "all", per_page: 20 },
    reply: {
      status: 200,
      data: {
        total_count: runs.length,
        check_runs: runs.map((run) => {
          const reply = checkRunReply(GITOPS, {
            id: CHECK_RUN_ID,
            name: "gitops-bot / policies",
            headSha: commit,
            status: "completed",
            conclusion: "failure",
          });
          return {
            ...reply,
            output: { ...reply.output, title: "1 error, 0 warnings", summary: run.summary },
            app: reply.app ? { ...reply.app, slug: run.app ?? "gitops-bot" } : null,
          };
        }),
      },
    },
  });
}

function lastUpdate(gh: GitHubMock) {
  return gh.bodies("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}").at(-1);
}

const opened = () =>
  pullRequestEvent("opened", { repo, author: { login: "alice" }, headSha: HEAD_COMMIT, baseSha: PR_BASE_COMMIT, changedFiles: 1 });
function pushed(before: string, after: string, changedFiles: number) {
  return {
    ...pullRequestEvent("synchronize", { repo, author: { login: "alice" }, headSha: after, baseSha: PR_BASE_COMMIT, changedFiles }),
    before,
    after,
  };
}
const comment = (body: string, login: string) =>
  issueCommentCreated({ repo, body, sender: { login }, issue: { number: 7, isPullRequest: true }, commentId: 77 });

/** The policy check of the pull request's first head: it fails on the host port; returns its summary (with the record). */
async function firstCheck(probot: Probot): Promise<string> {
  const gh = new GitHubMock();
  mockCheck(gh, { head: HEAD_COMMIT, changed: [{ path: WEB, content: hostPortDeployment() }] });
  await deliver(probot, "pull_request.opened", opened());
  const done = lastUpdate(gh);
  expect(done).toMatchObject({ conclusion: "failure" });
  return done?.output?.summary ?? "";
}

const EXCEPTION_FILE = "apps/shop/web.policy-exception.yaml";

/** sam of acme/security approves on the first head; returns the approved summary and the PolicyException the App wrote. */
async function approve(probot: Probot, summary: string): Promise<{ gh: GitHubMock; summary: string; written: string }> {
  const gh = new GitHubMock();
  mockConfig(gh, GITOPS, CONFIG);
  mockMembership(gh, "acme/security", "sam", "active");
  mockGetPull(gh, { number: 7, title: "", body: "", head: "feature", base: "main", headSha: HEAD_COMMIT, baseSha: PR_BASE_COMMIT });
  mockCheckRuns(gh, HEAD_COMMIT, [{ summary }]);
  mockApp(gh);
  gh.on("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
    params: { ...GITOPS, check_run_id: CHECK_RUN_ID },
    reply: ({ body }) => ({
      status: 200,
      data: checkRunReply(GITOPS, {
        id: CHECK_RUN_ID,
        name: "gitops-bot / policies",
        headSha: HEAD_COMMIT,
        status: "completed",
        conclusion: body.conclusion ?? null,
      }),
    }),
  });
  gh.on("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", {
    params: { ...GITOPS, comment_id: 77 },
    reply: { status: 201, data: replies.reactionReply("+1") },
  });
  // The audit trail: one commit on top of the approved head, a fast-forward of the pull request's branch.
  const head = [README, { path: WEB, content: hostPortDeployment() }];
  mockCommitTree(gh, HEAD_COMMIT, head);
  mockTreeAndCommit(gh, treeEntries(head), { commit: NEXT_HEAD });
  gh.on("PATCH /repos/{owner}/{repo}/git/refs/{ref}", {
    params: { ...GITOPS, ref: "heads/feature" },
    reply: { status: 200, data: replies.refReply(GITOPS, "heads/feature", NEXT_HEAD) },
  });
  await deliver(probot, "issue_comment.created", comment(APPROVAL, "sam"));
  const [tree] = gh.bodies("POST /repos/{owner}/{repo}/git/trees");
  expect(gh.bodies("PATCH /repos/{owner}/{repo}/git/refs/{ref}")).toEqual([{ sha: NEXT_HEAD, force: false }]);
  expect(tree?.tree?.map((t) => t.path)).toEqual([EXCEPTION_FILE]);
  return { gh, summary: lastUpdate(gh)?.output?.summary ?? "", written: tree?.tree?.[0]?.content ?? "" };
}

describe("/approve-policy on a pull request to the GitOps repository", () => {
  it("an owner's exception: the head's check is re-concluded as passing, naming the owner and the reason, in at most 6 requests", async () => {
    const probot = await createTestProbot();
    const summary = await firstCheck(probot);
    expect(summary).toContain("<!-- gitops-bot:policy-exceptions ");
    const { gh } = await approve(probot, summary);

    const done = lastUpdate(gh);
    expect(done).toMatchObject({ conclusion: "success", output: { title: "All policies pass (1 finding excepted)" } });
    expect(done?.output?.summary).toContain(
      "| `disallow-host-ports/host-ports` | @sam: the node agent of the legacy billing host needs port 8080 | `feed000` | `apps/shop/web.yaml` |",
    );
    const log = gh.log();
    const toConclusion = log.slice(0, log.indexOf("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}") + 1);
    console.log(
      `GitHub requests from /approve-policy to the check's new conclusion: ${toConclusion.length} (team owner, first approval of the process incl. GET /app); then 1 reaction and 4 for the PolicyException commit (audit trail)`,
    );
    expect(toConclusion).toEqual([
      "GET /repos/{owner}/{repo}/contents/{path}",
      "GET /orgs/{org}/teams/{team_slug}/memberships/{username}",
      "GET /repos/{owner}/{repo}/pulls/{pull_number}",
      "GET /repos/{owner}/{repo}/commits/{ref}/check-runs",
      "GET /app",
      "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}",
    ]);
    expect(toConclusion.length).toBeLessThanOrEqual(6);
    expect(log.slice(toConclusion.length)).toEqual([
      "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
      "GET /repos/{owner}/{repo}/git/trees/{tree_sha}",
      "POST /repos/{owner}/{repo}/git/trees",
      "POST /repos/{owner}/{repo}/git/commits",
      "PATCH /repos/{owner}/{repo}/git/refs/{ref}",
    ]);
  });

  it("holds on a later push that leaves the excepted findings' files as they were, and a push changing them asks again", async () => {
    const probot = await createTestProbot();
    const { summary: approved, written } = await approve(probot, await firstCheck(probot));

    // The App's own push adds the PolicyException: apps/shop/web.yaml keeps its blob, so the approval carries.
    const kept = new GitHubMock();
    const note = { path: EXCEPTION_FILE, content: written };
    mockCheck(kept, {
      head: NEXT_HEAD,
      changed: [{ path: WEB, content: hostPortDeployment() }, note],
      reads: [note],
      approvalsFrom: { commit: HEAD_COMMIT, summary: approved },
    });
    await deliver(probot, "pull_request.synchronize", pushed(HEAD_COMMIT, NEXT_HEAD, 2));
    const carried = lastUpdate(kept);
    expect(carried).toMatchObject({ conclusion: "success" });
    expect(carried?.output?.title).toBe("0 errors, 0 warnings, 2 notices");
    expect(carried?.output?.annotations?.map((a) => [a.path, a.annotation_level, a.message])).toEqual([
      [
        EXCEPTION_FILE,
        "notice",
        expect.stringMatching(/^gitops-bot wrote this PolicyException to record the policy owners' approvals in force/),
      ],
      [
        WEB,
        "notice",
        expect.stringMatching(/^Excepted by @sam: the node agent of the legacy billing host needs port 8080: Deployment "web"/),
      ],
    ]);
    // The App's own record asks no platform review: the owner approved exactly that.
    expect(kept.bodies("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers")).toEqual([]);

    // A push that changes the Deployment (one more replica) clears it: the owner is asked again.
    const changed = new GitHubMock();
    const edited = { path: WEB, content: hostPortDeployment().replace("replicas: 1", "replicas: 2") };
    mockCheck(changed, {
      head: "feed000000000000000000000000000000000003",
      changed: [edited, note],
      reads: [edited],
      approvalsFrom: { commit: NEXT_HEAD, summary: carried?.output?.summary ?? "" },
    });
    // The PolicyException left in the branch no longer records an approval in force: the platform review is asked.
    mockReviews(changed, 7, []);
    mockReviewRequest(changed, { number: 7, title: "", body: "", head: "feature", base: "main", reviewers: ["carol"], teams: [] });
    await deliver(probot, "pull_request.synchronize", pushed(NEXT_HEAD, "feed000000000000000000000000000000000003", 2));
    expect(changed.bodies("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers")).toEqual([
      { reviewers: ["carol"], team_reviewers: [] },
    ]);
    expect(lastUpdate(changed)).toMatchObject({ conclusion: "failure", output: { title: "1 error, 0 warnings, 1 notice" } });
    expect(lastUpdate(changed)?.output?.summary).not.toContain("Excepted by policy owners");
  });

  it.each([
    [
      "a non-owner",
      `${APPROVAL}`,
      "mallory",
      /^@mallory Only the owners of `disallow-host-ports` may approve an exception to it: @acme\/security\. /,
    ],
    ["the owner of another policy", `${APPROVAL}`, "dana", /^@dana Only the owners of `disallow-host-ports` may approve/],
    ["no reason", "/approve-policy disallow-host-ports/host-ports", "sam", /^@sam An exception needs a reason/],
    ["no policy", "/approve-policy", "sam", /^@sam Name the policy/],
  ])("%s is refused with a reply, and nothing else is written", async (_name, body, login, reply) => {
    const gh = new GitHubMock();
    mockConfig(gh, GITOPS, CONFIG);
    if (login !== "sam") mockMembership(gh, "acme/security", login, null);
    gh.on("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      params: { ...GITOPS, issue_number: 7 },
      reply: { status: 201, data: replies.commentReply(GITOPS, 7, { id: 501, body: "" }) },
    });
    await deliver(await createTestProbot(), "issue_comment.created", comment(body, login));
    const [posted] = gh.bodies("POST /repos/{owner}/{repo}/issues/{issue_number}/comments");
    expect(posted?.body).toMatch(reply);
    expect(gh.log().filter((route) => !route.startsWith("GET"))).toEqual(["POST /repos/{owner}/{repo}/issues/{issue_number}/comments"]);
  });

  it("a record in a Check Run of another App with the same name is not trusted", async () => {
    const probot = await createTestProbot();
    const summary = await firstCheck(probot);
    const gh = new GitHubMock();
    mockConfig(gh, GITOPS, CONFIG);
    mockMembership(gh, "acme/security", "sam", "active");
    mockGetPull(gh, { number: 7, title: "", body: "", head: "feature", base: "main", headSha: HEAD_COMMIT, baseSha: PR_BASE_COMMIT });
    mockCheckRuns(gh, HEAD_COMMIT, [{ summary, app: "impostor" }]);
    mockApp(gh);
    gh.on("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      params: { ...GITOPS, issue_number: 7 },
      reply: { status: 201, data: replies.commentReply(GITOPS, 7, { id: 501, body: "" }) },
    });
    await deliver(probot, "issue_comment.created", comment(APPROVAL, "sam"));
    expect(gh.bodies("POST /repos/{owner}/{repo}/issues/{issue_number}/comments")[0]?.body).toMatch(
      /has no record to add an exception to yet/,
    );
    expect(gh.bodies("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}")).toEqual([]);
  });

  it("a PolicyException added by the pull request itself is not honoured (tampering)", async () => {
    const probot = await createTestProbot();
    const gh = new GitHubMock();
    mockCheck(gh, {
      head: HEAD_COMMIT,
      changed: [
        { path: WEB, content: hostPortDeployment() },
        { path: EXCEPTION_FILE, content: WEB_EXCEPTION },
      ],
    });
    mockReviewRequest(gh, { number: 7, title: "", body: "", head: "feature", base: "main", reviewers: ["carol"], teams: [] });
    await deliver(probot, "pull_request.opened", { ...opened(), pull_request: { ...opened().pull_request, changed_files: 2 } });
    expect(lastUpdate(gh)).toMatchObject({ conclusion: "failure" });
    expect(gh.bodies("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers")).toEqual([
      { reviewers: ["carol"], team_reviewers: [] },
    ]);
  });

  it("the PolicyException the App writes is valid, names exactly the excepted resource and rule (autogen names too), and records who and why", async () => {
    const probot = await createTestProbot();
    const { written } = await approve(probot, await firstCheck(probot));
    const document = parseYamlDocuments({ file: EXCEPTION_FILE, text: written }).documents[0];
    const parsed = parsePolicyException({ file: EXCEPTION_FILE, document: document?.value });
    expect(parsed.problems).toEqual([]);
    expect(parsed.exception).toMatchObject({
      key: "shop-dev/disallow-host-ports-host-ports-web",
      annotations: {
        "gitops-bot.dev/approved-by": "sam",
        "gitops-bot.dev/reason": "the node agent of the legacy billing host needs port 8080",
        "gitops-bot.dev/approved-at-commit": HEAD_COMMIT,
      },
      exceptions: [{ policyName: "disallow-host-ports", ruleNames: ["host-ports", "autogen-host-ports", "autogen-cronjob-host-ports"] }],
      match: { any: [{ resources: { kinds: ["Deployment"], names: ["web"], namespaces: ["shop-dev"] } }] },
    });
  });
});
