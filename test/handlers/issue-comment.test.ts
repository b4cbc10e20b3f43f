import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { gitBlobSha } from "../../src/adapters/git-blob-sha.js";
import { parseStoredRequest } from "../../src/core/request/stored-request.js";
import { GitHubMock } from "../helpers/github-mock.js";
import * as replies from "../helpers/github-replies.js";
import {
  BRANCH,
  EXAMPLE_CONFIG,
  GITOPS,
  NEW_COMMIT,
  PROVISION,
  README,
  REQUESTS,
  mockBase,
  mockBranch,
  mockCommentReaction,
  mockAppLogin,
  mockCommentReactions,
  mockComments,
  mockConfig,
  mockCreateComment,
  mockFindPull,
  mockFirstPublish,
  mockMembership,
  mockPermission,
  mockTreeAndCommit,
  mockUpdateComment,
  postedStatus,
  mockOpenPull,
} from "../helpers/github-scenario.js";
import { issueCommentCreated } from "../helpers/payloads.js";
import { mockBlobs } from "../helpers/policy-check-scenario.js";
import { createTestProbot, deliver } from "../helpers/probot.js";
import { aProvisionRequest } from "../helpers/requests.js";

const alice = { login: "alice" };

function comment(
  body: string,
  options: {
    sender?: { login: string; type?: "User" | "Bot" };
    issue?: Parameters<typeof issueCommentCreated>[0]["issue"];
    commentId?: number;
  } = {},
) {
  return issueCommentCreated({
    repo: { owner: REQUESTS.owner, name: REQUESTS.repo },
    body,
    sender: options.sender ?? alice,
    ...(options.issue ? { issue: options.issue } : {}),
    ...(options.commentId ? { commentId: options.commentId } : {}),
  });
}

/** The GitHub side of a first `/provision small` by alice on issue 12 (prod asks acme/sre to review). */
function mockFirstProvision(gh: GitHubMock, environment: "dev" | "prod" = "dev") {
  mockConfig(gh, REQUESTS, EXAMPLE_CONFIG);
  mockPermission(gh, "alice", "write");
  mockMembership(gh, "acme/payments", "alice", "active");
  mockComments(gh, 12, []);
  const entries = mockBase(gh, [README]);
  const published = mockFirstPublish(gh, entries, {
    number: 7,
    labels: ["gitops-bot", "infrastructure"],
    branch: BRANCH.replace(/-dev$/, `-${environment}`),
    reviewers: environment === "prod",
  });
  mockCreateComment(gh, 12);
  mockCommentReaction(gh, 9001, "rocket");
  return { entries, published };
}

describe("/provision", () => {
  it("opens one pull request with all files in one commit, then one status comment and a reaction", async () => {
    const gh = new GitHubMock();
    mockFirstProvision(gh);
    await deliver(await createTestProbot(), "issue_comment.created", comment(PROVISION));

    expect(gh.log()).toEqual([
      "GET /repos/{owner}/{repo}/contents/{path}",
      "GET /repos/{owner}/{repo}/collaborators/{username}/permission",
      "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
      "GET /orgs/{org}/teams/{team_slug}/memberships/{username}",
      "GET /repos/{owner}/{repo}/git/ref/{ref}",
      "GET /repos/{owner}/{repo}/git/trees/{tree_sha}",
      "POST /repos/{owner}/{repo}/git/trees",
      "POST /repos/{owner}/{repo}/git/commits",
      "POST /repos/{owner}/{repo}/git/refs",
      "POST /repos/{owner}/{repo}/pulls",
      "POST /repos/{owner}/{repo}/issues/{issue_number}/labels",
      "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
      "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
    ]);
    const [tree] = gh.bodies("POST /repos/{owner}/{repo}/git/trees");
    const paths = (tree?.tree ?? []).map((t) => t.path);
    expect(paths).toContain("apps/payments/checkout/dev/deployment.yaml");
    expect(paths).toContain("argocd/dev/payments-checkout.yaml");
    expect(tree?.tree?.every((t) => t.content !== undefined && t.sha === undefined)).toBe(true);
    expect(gh.bodies("POST /repos/{owner}/{repo}/git/refs")).toEqual([{ ref: `refs/heads/${BRANCH}`, sha: NEW_COMMIT }]);

    const [pull] = gh.bodies("POST /repos/{owner}/{repo}/pulls");
    expect(pull).toMatchObject({ head: BRANCH, base: "main", title: "Provision web-service payments/checkout in dev (small)" });
    expect(pull?.body).toContain("<!-- gitops-bot:issue acme/requests#12 -->");
    expect(pull?.body).toContain("requested by @alice");
    expect(gh.bodies("POST /repos/{owner}/{repo}/issues/{issue_number}/labels")).toEqual([{ labels: ["gitops-bot", "infrastructure"] }]);

    const status = postedStatus(gh).body;
    expect(status).toContain("### ✅ Opened pull request [acme/gitops#7](https://github.com/acme/gitops/pull/7)");
    expect(status).toContain("**Provision** `web-service` size `small` for `payments/checkout` in `dev`, requested by @alice.");
    expect(parseStoredRequest(status)).toEqual({
      v: 1,
      request: aProvisionRequest(),
      pullRequest: { repository: "acme/gitops", number: 7, url: "https://github.com/acme/gitops/pull/7" },
    });
    expect(gh.bodies("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions")).toEqual([{ content: "rocket" }]);
  });

  /** The first /provision handled, then the redelivery's reads mocked up to the reaction list of the command. */
  async function handledThenRedelivered(reaction: boolean | { bot: string }) {
    const gh = new GitHubMock();
    const { published } = mockFirstProvision(gh);
    const probot = await createTestProbot();
    const event = comment(PROVISION);
    await deliver(probot, "issue_comment.created", event, "delivery-1");
    const first = gh.count();

    mockConfig(gh, REQUESTS, EXAMPLE_CONFIG);
    mockPermission(gh, "alice", "write");
    mockMembership(gh, "acme/payments", "alice", "active");
    mockComments(gh, 12, [{ id: 9001, body: PROVISION, login: "alice", type: "User" }, postedStatus(gh)]);
    mockBase(gh, [README]);
    mockBranch(gh, BRANCH, { commit: NEW_COMMIT, tree: published.tree() });
    mockFindPull(gh, BRANCH, [published.pull()]);
    // The status comment would say what it says: only then is the reaction looked for (the App's own,
    // known by its login: GET /app, once per process).
    mockAppLogin(gh);
    mockCommentReactions(gh, 9001, "rocket", reaction);
    return { gh, redeliver: () => deliver(probot, "issue_comment.created", event, "delivery-1"), first };
  }

  it("is idempotent: a redelivery of the handled event writes nothing at all (no commit, branch, PR, comment edit or reaction)", async () => {
    const { gh, redeliver, first } = await handledThenRedelivered(true);
    await redeliver();

    const second = gh.calls.slice(first).map((c) => `${c.method} ${c.route.split(" ")[1]}`);
    const writes = second.filter((c) => !c.startsWith("GET"));
    console.log(`redelivery of a handled /provision: ${second.length} GitHub requests, ${writes.length} writes`);
    expect(writes).toEqual([]);
  });

  it("another bot's reaction on the command is not the App's: the redelivery reacts", async () => {
    const { gh, redeliver, first } = await handledThenRedelivered({ bot: "other-app[bot]" });
    mockCommentReaction(gh, 9001, "rocket");
    await redeliver();
    const writes = gh.calls.slice(first).filter((c) => c.method !== "GET");
    expect(writes.map((c) => c.route)).toEqual(["POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"]);
  });

  it("the same command in a new comment leaves the status comment as it is, and reacts on the new comment", async () => {
    const gh = new GitHubMock();
    const { published } = mockFirstProvision(gh);
    const probot = await createTestProbot();
    await deliver(probot, "issue_comment.created", comment(PROVISION), "delivery-1");
    const first = gh.count();

    mockConfig(gh, REQUESTS, EXAMPLE_CONFIG);
    mockPermission(gh, "alice", "write");
    mockMembership(gh, "acme/payments", "alice", "active");
    mockComments(gh, 12, [
      { id: 9001, body: PROVISION, login: "alice", type: "User" },
      postedStatus(gh),
      { id: 9002, body: PROVISION, login: "alice", type: "User" },
    ]);
    mockBase(gh, [README]);
    mockBranch(gh, BRANCH, { commit: NEW_COMMIT, tree: published.tree() });
    mockFindPull(gh, BRANCH, [published.pull()]);
    mockAppLogin(gh);
    mockCommentReactions(gh, 9002, "rocket", false);
    mockCommentReaction(gh, 9002, "rocket");
    await deliver(probot, "issue_comment.created", comment(PROVISION, { commentId: 9002 }), "delivery-2");

    const second = gh.calls.slice(first).map((c) => `${c.method} ${c.route.split(" ")[1]}`);
    expect(second.filter((c) => !c.startsWith("GET"))).toEqual(["POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"]);
  });

  it("refuses values the template rejects, naming the value and the fix, and writes nothing", async () => {
    const gh = new GitHubMock();
    mockConfig(gh, REQUESTS, EXAMPLE_CONFIG);
    mockPermission(gh, "alice", "write");
    mockMembership(gh, "acme/payments", "alice", "active");
    mockComments(gh, 12, []);
    mockBase(gh, [README]);
    mockCreateComment(gh, 12);
    mockCommentReaction(gh, 9001, "confused");
    await deliver(
      await createTestProbot(),
      "issue_comment.created",
      comment(PROVISION.replace("1.4.2", "latest").replace("name=checkout", "name=Checkout_1")),
    );
    const status = postedStatus(gh).body;
    expect(status).toContain("### ❌ The request was not accepted");
    expect(status).toMatch(/`name`/);
    expect(status).toMatch(/`image`/);
    expect(gh.calls.filter((c) => c.method !== "GET" && c.route.includes("/git/"))).toEqual([]);
  });

  it("tells the requester when the GitOps repository's base branch cannot be read", async () => {
    const gh = new GitHubMock();
    mockConfig(gh, REQUESTS, EXAMPLE_CONFIG.replace("baseBranch: main", "baseBranch: trunk"));
    mockPermission(gh, "alice", "write");
    mockMembership(gh, "acme/payments", "alice", "active");
    mockComments(gh, 12, []);
    gh.on("GET /repos/{owner}/{repo}/git/ref/{ref}", {
      params: { ...GITOPS, ref: "heads/trunk" },
      reply: { status: 404, data: { message: "Not Found", documentation_url: "https://docs.github.com/rest" } },
    });
    mockCreateComment(gh, 12);
    mockCommentReaction(gh, 9001, "confused");
    await deliver(await createTestProbot(), "issue_comment.created", comment(PROVISION));
    expect(postedStatus(gh).body).toContain("The GitOps repository `acme/gitops` has no branch `trunk`, or the App cannot read it.");
  });
});

describe("/resize, /deprovision, /preview, /help", () => {
  /** Issue 12 after a published provision: the status comment remembers the request and PR 7. */
  async function provisioned(gh: GitHubMock, environment: "dev" | "prod" = "dev") {
    const { published } = mockFirstProvision(gh, environment);
    const probot = await createTestProbot();
    await deliver(probot, "issue_comment.created", comment(PROVISION.replace("environment=dev", `environment=${environment}`)));
    return { probot, status: postedStatus(gh), published };
  }

  it("/resize large moves the branch, updates the PR and asks only the approvers not yet asked", async () => {
    const gh = new GitHubMock();
    const { probot, status, published } = await provisioned(gh, "prod");
    const PROD = BRANCH.replace(/-dev$/, "-prod");
    expect(gh.bodies("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers")).toEqual([
      { reviewers: [], team_reviewers: ["sre"] },
    ]);
    const before = gh.count();
    mockConfig(gh, REQUESTS, EXAMPLE_CONFIG);
    mockPermission(gh, "alice", "write");
    mockMembership(gh, "acme/payments", "alice", "active");
    mockComments(gh, 12, [status]);
    const entries = mockBase(gh, [README]);
    mockBranch(gh, PROD, { commit: NEW_COMMIT, tree: published.tree() });
    mockTreeAndCommit(gh, entries, { commit: "c0ffee0000000000000000000000000000000003" });
    gh.on("PATCH /repos/{owner}/{repo}/git/refs/{ref}", {
      params: { ...GITOPS, ref: `heads/${PROD}` },
      reply: { status: 200, data: replies.refReply(GITOPS, `heads/${PROD}`, "c0ffee0000000000000000000000000000000003") },
    });
    mockFindPull(gh, PROD, [{ ...published.pull(), teams: ["sre"] }]);
    gh.on("PATCH /repos/{owner}/{repo}/pulls/{pull_number}", {
      params: { ...GITOPS, pull_number: 7 },
      reply: { status: 200, data: replies.pullReply(GITOPS, { ...published.pull(), title: "resized" }) },
    });
    gh.on("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", {
      params: { ...GITOPS, pull_number: 7 },
      reply: { status: 201, data: replies.reviewRequestReply(GITOPS, published.pull()) },
    });
    mockUpdateComment(gh, 501);
    mockCommentReaction(gh, 9002, "rocket");
    await deliver(probot, "issue_comment.created", comment("/resize large", { commentId: 9002 }));

    expect(gh.calls.length - before).toBe(15);
    expect(gh.bodies("PATCH /repos/{owner}/{repo}/git/refs/{ref}")).toEqual([
      { sha: "c0ffee0000000000000000000000000000000003", force: true },
    ]);
    expect(gh.bodies("PATCH /repos/{owner}/{repo}/pulls/{pull_number}")[0]?.title).toBe(
      "Resize web-service payments/checkout in prod (large)",
    );
    expect(gh.bodies("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers").at(-1)).toEqual({
      reviewers: [],
      team_reviewers: ["platform-team"],
    });
    const updated = gh.bodies("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}")[0]?.body ?? "";
    expect(updated).toContain("### ✅ Updated pull request [acme/gitops#7]");
    expect(parseStoredRequest(updated)?.request.size).toBe("large");
  });

  it("/preview shows the diff in the status comment and writes nothing to the GitOps repository", async () => {
    const gh = new GitHubMock();
    mockConfig(gh, REQUESTS, EXAMPLE_CONFIG);
    mockPermission(gh, "alice", "write");
    mockMembership(gh, "acme/payments", "alice", "active");
    mockComments(gh, 12, []);
    mockBase(gh, [README]);
    mockCreateComment(gh, 12);
    mockCommentReaction(gh, 9001, "eyes");
    await deliver(await createTestProbot(), "issue_comment.created", comment(PROVISION.replace("/provision", "/preview")));
    const status = postedStatus(gh).body;
    expect(status).toContain("### 👀 Preview (nothing was written)");
    expect(status).toContain("+++ b/apps/payments/checkout/dev/deployment.yaml");
    expect(parseStoredRequest(status)).toBeNull();
    expect(gh.calls.filter((c) => c.method !== "GET" && c.path.startsWith("/repos/acme/gitops"))).toEqual([]);
  });

  it("/deprovision opens a pull request deleting exactly the request's files", async () => {
    const gh = new GitHubMock();
    const { probot, status } = await provisioned(gh);
    const live = [
      README,
      { path: "apps/payments/checkout/dev/deployment.yaml", content: "old\n" },
      { path: "apps/payments/checkout/dev/service.yaml", content: "old\n" },
      { path: "apps/payments/other/dev/deployment.yaml", content: "keep\n" },
      { path: "argocd/dev/payments-checkout.yaml", content: "old\n" },
    ];
    mockConfig(gh, REQUESTS, EXAMPLE_CONFIG);
    mockPermission(gh, "alice", "write");
    mockMembership(gh, "acme/payments", "alice", "active");
    mockComments(gh, 12, [status]);
    const entries = mockBase(gh, live);
    // The three files share one blob: it is read once, for the diff.
    gh.on("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", {
      params: { ...GITOPS, file_sha: gitBlobSha("old\n") },
      reply: { status: 200, data: replies.blobReply(GITOPS, gitBlobSha("old\n"), "old\n") },
    });
    // The provision PR merged and its branch was deleted: the deprovision starts a new branch and PR.
    mockBranch(gh, BRANCH, null);
    mockTreeAndCommit(gh, entries);
    gh.on("POST /repos/{owner}/{repo}/git/refs", {
      params: GITOPS,
      reply: { status: 201, data: replies.refReply(GITOPS, `heads/${BRANCH}`, NEW_COMMIT) },
    });
    mockOpenPull(gh, { number: 9, labels: ["gitops-bot", "infrastructure"] });
    mockUpdateComment(gh, 501);
    mockCommentReaction(gh, 9003, "rocket");
    await deliver(probot, "issue_comment.created", comment("/deprovision", { commentId: 9003 }));

    const tree = gh.bodies("POST /repos/{owner}/{repo}/git/trees").at(-1)?.tree ?? [];
    expect(tree).toEqual([
      { path: "apps/payments/checkout/dev/deployment.yaml", mode: "100644", type: "blob", sha: null },
      { path: "apps/payments/checkout/dev/service.yaml", mode: "100644", type: "blob", sha: null },
      { path: "argocd/dev/payments-checkout.yaml", mode: "100644", type: "blob", sha: null },
    ]);
    expect(gh.bodies("POST /repos/{owner}/{repo}/pulls").at(-1)?.title).toBe("Deprovision web-service payments/checkout in dev");
    expect(gh.bodies("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}")[0]?.body).toContain(
      "### ✅ Opened pull request [acme/gitops#9]",
    );
  });

  it("/help answers with commands, templates and environments", async () => {
    const gh = new GitHubMock();
    mockConfig(gh, REQUESTS, EXAMPLE_CONFIG);
    mockPermission(gh, "alice", "write");
    mockBase(gh, [README]);
    mockComments(gh, 12, []);
    mockCreateComment(gh, 12);
    mockCommentReaction(gh, 9001, "+1");
    await deliver(await createTestProbot(), "issue_comment.created", comment("/help"));
    const status = postedStatus(gh).body;
    expect(status).toContain("### ℹ️ Help (asked by @alice)");
    expect(status).toContain("`/resize <size>`");
    expect(status).toContain("#### `web-service`");
    expect(status).toContain("| `staging` |");
  });

  it("/help lists the GitOps repository's own templates too, and warns about a broken one", async () => {
    const builtin = (file: string) => readFileSync(new URL(`../../templates/cron-job/${file}`, import.meta.url), "utf8");
    const nightly = ["template.yaml", "cronjob.yaml", "serviceaccount.yaml", "prometheusrule.yaml", "dashboard.yaml"].map((file) => ({
      path: `platform/templates/nightly/${file}`,
      content: file === "template.yaml" ? builtin(file).replace(/^name: cron-job$/m, "name: nightly") : builtin(file),
    }));
    const broken = { path: "platform/templates/broken/template.yaml", content: "kind: Template\n" };
    const gh = new GitHubMock();
    mockConfig(gh, REQUESTS, EXAMPLE_CONFIG);
    mockPermission(gh, "alice", "write");
    mockBase(gh, [README, ...nightly, broken]);
    mockBlobs(gh, [...nightly, broken]);
    mockComments(gh, 12, []);
    mockCreateComment(gh, 12);
    mockCommentReaction(gh, 9001, "+1");
    await deliver(await createTestProbot(), "issue_comment.created", comment("/help"));
    const status = postedStatus(gh).body;
    expect(status).toContain("#### `nightly`");
    expect(status).toContain("#### `web-service`");
    expect(status).toContain("platform/templates/broken/template.yaml");
  });

  it.each([
    ["/resize large", "There is no request on this issue to resize yet."],
    ["/deprovision", "There is no request on this issue to deprovision yet."],
    ["/provison small", "`/provison` is not a command."],
    ["/provision small name=x", "The request does not say which template to use."],
  ])("%s without what it needs: one clear comment, nothing written", async (body, message) => {
    const gh = new GitHubMock();
    mockConfig(gh, REQUESTS, EXAMPLE_CONFIG);
    mockPermission(gh, "alice", "write");
    mockComments(gh, 12, []);
    mockCreateComment(gh, 12);
    mockCommentReaction(gh, 9001, "confused");
    await deliver(await createTestProbot(), "issue_comment.created", comment(body));
    expect(postedStatus(gh).body).toContain(message);
    expect(gh.count()).toBe(5);
  });
});

describe("who may ask", () => {
  it("refuses someone with read permission outside the requesting teams, saying what would allow it", async () => {
    const gh = new GitHubMock();
    mockConfig(gh, REQUESTS, EXAMPLE_CONFIG);
    mockPermission(gh, "guest", "read");
    mockMembership(gh, "acme/developers", "guest", null);
    mockComments(gh, 12, []);
    mockCreateComment(gh, 12);
    mockCommentReaction(gh, 9001, "-1");
    await deliver(await createTestProbot(), "issue_comment.created", comment(PROVISION, { sender: { login: "guest" } }));
    const status = postedStatus(gh).body;
    expect(status).toContain("### 🚫 Not allowed");
    expect(status).toContain(
      "@guest may not make infrastructure requests here: they have only read permission on this repository and are not a member of the requesting teams.",
    );
    expect(status).toContain("Requests need write permission (or higher) on this repository, or membership of `acme/developers`");
    expect(gh.calls.some((c) => c.path.startsWith("/repos/acme/gitops"))).toBe(false);
  });

  it("refuses a pending team invitation, and a stranger without any permission", async () => {
    const gh = new GitHubMock();
    mockConfig(gh, REQUESTS, EXAMPLE_CONFIG);
    mockPermission(gh, "newbie", null);
    mockMembership(gh, "acme/developers", "newbie", "pending");
    mockComments(gh, 12, []);
    mockCreateComment(gh, 12);
    mockCommentReaction(gh, 9001, "-1");
    await deliver(await createTestProbot(), "issue_comment.created", comment("/help", { sender: { login: "newbie" } }));
    expect(postedStatus(gh).body).toContain("they have no permission on this repository");
  });

  it("allows a member of a requesting team without write permission", async () => {
    const gh = new GitHubMock();
    mockConfig(gh, REQUESTS, EXAMPLE_CONFIG);
    mockPermission(gh, "dev", "read");
    mockMembership(gh, "acme/developers", "dev", "active");
    mockBase(gh, [README]);
    mockComments(gh, 12, []);
    mockCreateComment(gh, 12);
    mockCommentReaction(gh, 9001, "+1");
    await deliver(await createTestProbot(), "issue_comment.created", comment("/help", { sender: { login: "dev" } }));
    expect(postedStatus(gh).body).toContain("### ℹ️ Help (asked by @dev)");
  });

  it.each([
    ["a bot (the App's own comments included)", comment("/provision small", { sender: { login: "gitops-bot[bot]", type: "Bot" } })],
    ["a comment without a command", comment("Looks good to me, thanks!")],
    ["a quoted command", comment("> /provision small\n\nWhy did you run this?")],
    ["a comment on a pull request", comment("/provision small", { issue: { isPullRequest: true } })],
    ["another bot's slash command (/lgtm)", comment("/lgtm")],
    ["slash commands for people (/assign, /cc)", comment("/assign @bob\n/cc @alice")],
    ["a command in an HTML comment", comment("Thanks!\n<!--\n/provision small\n-->")],
  ])("ignores %s without a single request", async (_, payload) => {
    const gh = new GitHubMock();
    await deliver(await createTestProbot(), "issue_comment.created", payload);
    expect(gh.count()).toBe(0);
  });
});

describe("configuration", () => {
  it("stays silent in a repository without .github/gitops-bot.yml", async () => {
    const gh = new GitHubMock();
    mockConfig(gh, REQUESTS, null);
    await deliver(await createTestProbot(), "issue_comment.created", comment(PROVISION));
    expect(gh.count()).toBe(2);
  });

  it("answers a broken config with one clear comment naming file, field and fix", async () => {
    const gh = new GitHubMock();
    const broken = "gitops:\n  repository: acme\naccess:\n  minPermission: writer\nlabels: [gitops-bot]\nacess: {}\n";
    mockConfig(gh, REQUESTS, broken);
    // Read again, once, for the lines of its problems.
    mockConfig(gh, REQUESTS, broken);
    mockPermission(gh, "alice", "write");
    mockComments(gh, 12, []);
    mockCreateComment(gh, 12);
    mockCommentReaction(gh, 9001, "confused");
    await deliver(await createTestProbot(), "issue_comment.created", comment(PROVISION));
    const status = postedStatus(gh).body;
    expect(status).toContain(
      ".github/gitops-bot.yml: `gitops.repository`: expected `owner/name`; found the text `acme`. (`.github/gitops-bot.yml:2`)",
    );
    expect(status).toContain(
      ".github/gitops-bot.yml: `access.minPermission` must be one of `read`, `triage`, `write`, `maintain`, `admin`; found the text `writer`.",
    );
    expect(status).toContain("unknown key `acess`.");
    expect(status).toContain("Did you mean `access`?");
  });

  it("answers a config that is not YAML with its position", async () => {
    const gh = new GitHubMock();
    mockConfig(gh, REQUESTS, "gitops:\n  repository: [acme/gitops\n");
    mockPermission(gh, "alice", "write");
    mockComments(gh, 12, []);
    mockCreateComment(gh, 12);
    mockCommentReaction(gh, 9001, "confused");
    await deliver(await createTestProbot(), "issue_comment.created", comment(PROVISION));
    expect(postedStatus(gh).body).toMatch(/\.github\/gitops-bot\.yml could not be read: .+ \(`\.github\/gitops-bot\.yml:\d+`\)/);
  });

  it("does not answer a broken config to someone who may not request", async () => {
    const gh = new GitHubMock();
    mockConfig(gh, REQUESTS, "access: 3\n");
    mockConfig(gh, REQUESTS, "access: 3\n");
    mockPermission(gh, "guest", "read");
    mockComments(gh, 12, []);
    mockCreateComment(gh, 12);
    mockCommentReaction(gh, 9001, "-1");
    await deliver(await createTestProbot(), "issue_comment.created", comment("/help", { sender: { login: "guest" } }));
    expect(postedStatus(gh).body).toContain("### 🚫 Not allowed");
  });
});
