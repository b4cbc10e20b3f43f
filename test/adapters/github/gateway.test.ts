import { describe, expect, it } from "vitest";
import { gitBlobSha } from "../../../src/adapters/git-blob-sha.js";
import { GitOpsRepositoryError } from "../../../src/adapters/github/errors.js";
import { BlobCache } from "../../../src/adapters/github/blob-cache.js";
import { GitHubGateway } from "../../../src/adapters/github/gateway.js";
import { gitTreeSha } from "../../../src/adapters/github/git-tree-sha.js";
import { faultOf } from "../../../src/adapters/github/gitops-octokit.js";
import { renderFaultMessage } from "../../../src/core/report/fault-message.js";
import { GitHubMock, githubError } from "../../helpers/github-mock.js";
import {
  blobReply,
  branchReply,
  commentListReply,
  commentReply,
  commitReply,
  createdTreeReply,
  labelsReply,
  membershipReply,
  teamsOfUserReply,
  permissionReply,
  pullListReply,
  pullReply,
  reactionReply,
  refReply,
  reviewRequestReply,
  treeReply,
  type ListedEntry,
} from "../../helpers/github-replies.js";
import { testOctokit } from "../../helpers/octokit.js";

const at = { owner: "acme", repo: "gitops" };
const BASE_COMMIT = "1111111111111111111111111111111111111111";
const BASE_TREE = "2222222222222222222222222222222222222222";
const NEW_TREE = "3333333333333333333333333333333333333333";
const NEW_COMMIT = "4444444444444444444444444444444444444444";
const BRANCH = "gitops-bot/web-service/payments-api-dev";

const readme = "# GitOps\n";
const existing: ListedEntry[] = [
  { path: "README.md", sha: gitBlobSha(readme) },
  { path: "apps", sha: "5555555555555555555555555555555555555555", type: "tree" },
  { path: "apps/old.yaml", sha: gitBlobSha("old: true\n") },
];

function gateway(gh: GitHubMock, blobCache?: BlobCache) {
  return new GitHubGateway({ octokit: testOctokit(gh.baseUrl), ...at, ...(blobCache ? { blobCache } : {}) });
}

function mockBase(gh: GitHubMock, entries: readonly ListedEntry[] = existing) {
  gh.on("GET /repos/{owner}/{repo}/git/ref/{ref}", {
    params: { ...at, ref: "heads/main" },
    reply: { status: 200, data: refReply(at, "heads/main", BASE_COMMIT) },
  });
  gh.on("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", {
    params: { ...at, tree_sha: BASE_COMMIT },
    query: { recursive: "1" },
    reply: { status: 200, data: treeReply(at, BASE_TREE, entries) },
  });
}

const draft = {
  title: "Provision web-service payments/api in dev (small)",
  body: "body",
  labels: ["gitops-bot"],
  reviewers: [] as string[],
};

describe("GitHubGateway reading", () => {
  it("lists the base branch with one ref and one recursive tree request, files only", async () => {
    const gh = new GitHubMock();
    mockBase(gh);
    const reader = gateway(gh).repoReader("main");
    expect(await reader.listFiles()).toEqual([
      { path: "README.md", sha: gitBlobSha(readme) },
      { path: "apps/old.yaml", sha: gitBlobSha("old: true\n") },
    ]);
    await reader.listFiles();
    expect(gh.count()).toBe(2);
  });

  it("walks folders one level at a time when GitHub truncates the recursive listing", async () => {
    const gh = new GitHubMock();
    const appsTree = "6666666666666666666666666666666666666666";
    gh.on("GET /repos/{owner}/{repo}/git/ref/{ref}", {
      params: { ...at, ref: "heads/main" },
      reply: { status: 200, data: refReply(at, "heads/main", BASE_COMMIT) },
    });
    gh.on("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", {
      params: { ...at, tree_sha: BASE_COMMIT },
      query: { recursive: "1" },
      reply: { status: 200, data: treeReply(at, BASE_TREE, existing.slice(0, 2), true) },
    });
    gh.on("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", {
      params: { ...at, tree_sha: BASE_COMMIT },
      reply: { status: 200, data: treeReply(at, BASE_TREE, [existing[0]!, { path: "apps", sha: appsTree, type: "tree" }]) },
    });
    gh.on("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", {
      params: { ...at, tree_sha: appsTree },
      query: { recursive: "1" },
      reply: { status: 200, data: treeReply(at, appsTree, [{ path: "old.yaml", sha: gitBlobSha("old: true\n") }]) },
    });
    const files = await gateway(gh).repoReader("main").listFiles();
    expect(files.map((f) => f.path)).toEqual(["README.md", "apps/old.yaml"]);
  });

  it("reads a file by its blob SHA once, then from the cache", async () => {
    const gh = new GitHubMock();
    mockBase(gh);
    gh.on("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", {
      params: { ...at, file_sha: gitBlobSha(readme) },
      reply: { status: 200, data: blobReply(at, gitBlobSha(readme), readme) },
    });
    const cache = new BlobCache();
    const reader = gateway(gh, cache).repoReader("main");
    expect(await reader.readFile("README.md")).toBe(readme);
    expect(await reader.readFile("README.md")).toBe(readme);
    expect(await reader.readFile("missing.yaml")).toBeNull();
    mockBase(gh);
    expect(await gateway(gh, cache).repoReader("main").readFile("README.md")).toBe(readme);
    expect(gh.count("GET /repos/{owner}/{repo}/git/blobs/{file_sha}")).toBe(1);
  });

  it("reports a missing base branch as a problem for the requester", async () => {
    const gh = new GitHubMock();
    gh.on("GET /repos/{owner}/{repo}/git/ref/{ref}", {
      params: { ...at, ref: "heads/main" },
      reply: { status: 404, data: githubError("Not Found") },
    });
    const error = await gateway(gh)
      .repoReader("main")
      .listFiles()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitOpsRepositoryError);
    expect((error as GitOpsRepositoryError).problem.message).toContain("`acme/gitops` has no branch `main`");
  });
});

describe("GitHubGateway publishing", () => {
  const changes = [
    { path: "apps/payments/api/dev/deployment.yaml", content: "kind: Deployment\n" },
    { path: "apps/old.yaml", content: null },
    { path: "never/existed.yaml", content: null },
  ];

  function mockWrite(gh: GitHubMock) {
    gh.on("POST /repos/{owner}/{repo}/git/trees", { params: at, reply: { status: 201, data: createdTreeReply(at, NEW_TREE) } });
    gh.on("POST /repos/{owner}/{repo}/git/commits", {
      params: at,
      reply: { status: 201, data: commitReply(at, NEW_COMMIT, NEW_TREE, BASE_COMMIT) },
    });
  }

  it("writes a new branch with one tree, one commit and one ref, then opens the PR without searching", async () => {
    const gh = new GitHubMock();
    mockBase(gh);
    mockWrite(gh);
    gh.on("POST /repos/{owner}/{repo}/git/refs", { params: at, reply: { status: 201, data: refReply(at, `heads/${BRANCH}`, NEW_COMMIT) } });
    gh.on("POST /repos/{owner}/{repo}/pulls", {
      params: at,
      reply: { status: 201, data: pullReply(at, { number: 7, title: draft.title, body: draft.body, head: BRANCH, base: "main" }) },
    });
    gh.on("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", {
      params: { ...at, issue_number: 7 },
      reply: { status: 200, data: labelsReply(["gitops-bot"]) },
    });
    gh.on("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", {
      params: { ...at, pull_number: 7 },
      reply: {
        status: 201,
        data: reviewRequestReply(at, {
          number: 7,
          title: draft.title,
          body: draft.body,
          head: BRANCH,
          base: "main",
          reviewers: ["alice"],
          teams: ["platform"],
        }),
      },
    });
    const gw = gateway(gh);
    const reader = gw.repoReader("main");
    const result = await gw.publisher({ reader, branchMayExist: false }).publish({
      branch: BRANCH,
      baseBranch: "main",
      commitMessage: "Provision",
      changes,
      pullRequest: { ...draft, reviewers: ["alice", "acme/platform"] },
    });
    expect(result).toEqual({
      commit: NEW_COMMIT,
      pullRequest: { number: 7, url: "https://github.com/acme/gitops/pull/7", created: true },
      warnings: [],
    });
    expect(gh.bodies("POST /repos/{owner}/{repo}/git/trees")).toEqual([
      {
        base_tree: BASE_TREE,
        tree: [
          { path: "apps/payments/api/dev/deployment.yaml", mode: "100644", type: "blob", content: "kind: Deployment\n" },
          // A deletion names only paths that exist: GitHub rejects the whole tree otherwise.
          { path: "apps/old.yaml", mode: "100644", type: "blob", sha: null },
        ],
      },
    ]);
    expect(gh.bodies("POST /repos/{owner}/{repo}/git/commits")).toEqual([{ message: "Provision", tree: NEW_TREE, parents: [BASE_COMMIT] }]);
    expect(gh.bodies("POST /repos/{owner}/{repo}/git/refs")).toEqual([{ ref: `refs/heads/${BRANCH}`, sha: NEW_COMMIT }]);
    expect(gh.bodies("POST /repos/{owner}/{repo}/pulls")).toEqual([{ title: draft.title, body: "body", head: BRANCH, base: "main" }]);
    expect(gh.bodies("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers")).toEqual([
      { reviewers: ["alice"], team_reviewers: ["platform"] },
    ]);
    expect(gh.count()).toBe(8);
  });

  it("writes nothing when the branch already holds exactly the desired tree", async () => {
    const gh = new GitHubMock();
    mockBase(gh);
    const gw = gateway(gh);
    const reader = gw.repoReader("main");
    const snapshot = await reader.snapshot();
    const desired = gitTreeSha({ entries: snapshot.entries, changes: changes.slice(0, 2) });
    gh.on("GET /repos/{owner}/{repo}/branches/{branch}", {
      params: { ...at, branch: BRANCH },
      reply: { status: 200, data: branchReply(BRANCH, NEW_COMMIT, desired) },
    });
    gh.on("GET /repos/{owner}/{repo}/pulls", {
      params: at,
      query: { head: `acme:${BRANCH}`, state: "open", per_page: 100 },
      reply: {
        status: 200,
        data: pullListReply(at, [{ number: 7, title: draft.title, body: draft.body, head: BRANCH, base: "main", labels: ["gitops-bot"] }]),
      },
    });
    const result = await gw
      .publisher({ reader, branchMayExist: true })
      .publish({ branch: BRANCH, baseBranch: "main", commitMessage: "m", changes, pullRequest: draft });
    expect(result).toEqual({
      commit: null,
      pullRequest: { number: 7, url: "https://github.com/acme/gitops/pull/7", created: false },
      warnings: [],
    });
    expect(gh.calls.filter((c) => c.method !== "GET")).toEqual([]);
  });

  it("converges when another replica created the branch first: same tree, no ref update", async () => {
    const gh = new GitHubMock();
    mockBase(gh);
    mockWrite(gh);
    gh.on("POST /repos/{owner}/{repo}/git/refs", { params: at, reply: { status: 422, data: githubError("Reference already exists") } });
    gh.on("GET /repos/{owner}/{repo}/branches/{branch}", {
      params: { ...at, branch: BRANCH },
      reply: { status: 200, data: branchReply(BRANCH, "9999999999999999999999999999999999999999", NEW_TREE) },
    });
    gh.on("GET /repos/{owner}/{repo}/pulls", {
      params: at,
      query: { head: `acme:${BRANCH}`, state: "open", per_page: 100 },
      reply: {
        status: 200,
        data: pullListReply(at, [{ number: 7, title: draft.title, body: draft.body, head: BRANCH, base: "main", labels: ["gitops-bot"] }]),
      },
    });
    const gw = gateway(gh);
    const result = await gw
      .publisher({ reader: gw.repoReader("main"), branchMayExist: false })
      .publish({ branch: BRANCH, baseBranch: "main", commitMessage: "m", changes, pullRequest: draft });
    expect(result.commit).toBeNull();
    expect(result.pullRequest?.created).toBe(false);
    expect(gh.count("PATCH /repos/{owner}/{repo}/git/refs/{ref}")).toBe(0);
  });

  it("force-moves an existing branch that holds something else, and updates the PR's title and body", async () => {
    const gh = new GitHubMock();
    mockBase(gh);
    mockWrite(gh);
    gh.on("GET /repos/{owner}/{repo}/branches/{branch}", {
      params: { ...at, branch: BRANCH },
      reply: {
        status: 200,
        data: branchReply(BRANCH, "9999999999999999999999999999999999999999", "8888888888888888888888888888888888888888"),
      },
    });
    gh.on("PATCH /repos/{owner}/{repo}/git/refs/{ref}", {
      params: { ...at, ref: `heads/${BRANCH}` },
      reply: { status: 200, data: refReply(at, `heads/${BRANCH}`, NEW_COMMIT) },
    });
    gh.on("GET /repos/{owner}/{repo}/pulls", {
      params: at,
      query: { head: `acme:${BRANCH}`, state: "open", per_page: 100 },
      reply: {
        status: 200,
        data: pullListReply(at, [
          { number: 7, title: "old title", body: "old", head: BRANCH, base: "main", labels: ["gitops-bot"], reviewers: ["alice"] },
        ]),
      },
    });
    gh.on("PATCH /repos/{owner}/{repo}/pulls/{pull_number}", {
      params: { ...at, pull_number: 7 },
      reply: { status: 200, data: pullReply(at, { number: 7, title: draft.title, body: draft.body, head: BRANCH, base: "main" }) },
    });
    const gw = gateway(gh);
    const result = await gw
      .publisher({ reader: gw.repoReader("main"), branchMayExist: true })
      .publish({ branch: BRANCH, baseBranch: "main", commitMessage: "m", changes, pullRequest: { ...draft, reviewers: ["alice"] } });
    expect(result).toEqual({
      commit: NEW_COMMIT,
      pullRequest: { number: 7, url: "https://github.com/acme/gitops/pull/7", created: false },
      warnings: [],
    });
    expect(gh.bodies("PATCH /repos/{owner}/{repo}/git/refs/{ref}")).toEqual([{ sha: NEW_COMMIT, force: true }]);
    expect(gh.bodies("PATCH /repos/{owner}/{repo}/pulls/{pull_number}")).toEqual([{ title: draft.title, body: draft.body }]);
    // alice is already requested and the label is there: nothing more to ask.
    expect(gh.count()).toBe(8);
  });

  it("finds the PR another replica opened at the same moment instead of failing", async () => {
    const gh = new GitHubMock();
    mockBase(gh);
    mockWrite(gh);
    gh.on("POST /repos/{owner}/{repo}/git/refs", { params: at, reply: { status: 422, data: githubError("Reference already exists") } });
    gh.on("GET /repos/{owner}/{repo}/branches/{branch}", {
      params: { ...at, branch: BRANCH },
      reply: { status: 200, data: branchReply(BRANCH, NEW_COMMIT, NEW_TREE) },
    });
    gh.on("GET /repos/{owner}/{repo}/pulls", {
      params: at,
      query: { head: `acme:${BRANCH}`, state: "open", per_page: 100 },
      reply: { status: 200, data: [] },
    });
    gh.on("POST /repos/{owner}/{repo}/pulls", {
      params: at,
      reply: {
        status: 422,
        data: githubError("Validation Failed", [
          { resource: "PullRequest", code: "custom", message: `A pull request already exists for acme:${BRANCH}.` },
        ]),
      },
    });
    gh.on("GET /repos/{owner}/{repo}/pulls", {
      params: at,
      query: { head: `acme:${BRANCH}`, state: "open", per_page: 100 },
      reply: {
        status: 200,
        data: pullListReply(at, [{ number: 8, title: draft.title, body: draft.body, head: BRANCH, base: "main", labels: ["gitops-bot"] }]),
      },
    });
    const gw = gateway(gh);
    const result = await gw
      .publisher({ reader: gw.repoReader("main"), branchMayExist: false })
      .publish({ branch: BRANCH, baseBranch: "main", commitMessage: "m", changes, pullRequest: draft });
    expect(result.pullRequest).toEqual({ number: 8, url: "https://github.com/acme/gitops/pull/8", created: false });
  });

  it("keeps the PR when GitHub refuses a reviewer, and says so", async () => {
    const gh = new GitHubMock();
    mockBase(gh);
    mockWrite(gh);
    gh.on("POST /repos/{owner}/{repo}/git/refs", { params: at, reply: { status: 201, data: refReply(at, `heads/${BRANCH}`, NEW_COMMIT) } });
    gh.on("POST /repos/{owner}/{repo}/pulls", {
      params: at,
      reply: { status: 201, data: pullReply(at, { number: 7, title: draft.title, body: draft.body, head: BRANCH, base: "main" }) },
    });
    gh.on("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", {
      params: { ...at, issue_number: 7 },
      reply: { status: 200, data: labelsReply(["gitops-bot"]) },
    });
    gh.on("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", {
      params: { ...at, pull_number: 7 },
      reply: { status: 422, data: githubError("Reviews may only be requested from collaborators.") },
    });
    const gw = gateway(gh);
    const result = await gw.publisher({ reader: gw.repoReader("main"), branchMayExist: false }).publish({
      branch: BRANCH,
      baseBranch: "main",
      commitMessage: "m",
      changes,
      pullRequest: { ...draft, reviewers: ["stranger", "other-org/team"] },
    });
    expect(result.pullRequest).toEqual({ number: 7, url: "https://github.com/acme/gitops/pull/7", created: true });
    expect(result.warnings.map((w) => w.message)).toEqual([
      "Team `other-org/team` cannot review pull requests of `acme/gitops`: only teams of `acme` can.",
      "GitHub refused the review request for `stranger`: give them access to `acme/gitops`.",
    ]);
  });
});

describe("GitHubGateway people and conversation", () => {
  const requests = { owner: "acme", repo: "requests" };

  it.each([
    ["admin", "admin"],
    ["maintain", "maintain"],
    ["triage", "triage"],
    ["custom-deployer", "write"],
  ])("reads role %s as permission %s", async (role, expected) => {
    const gh = new GitHubMock();
    gh.on("GET /repos/{owner}/{repo}/collaborators/{username}/permission", {
      params: { ...requests, username: "dev" },
      reply: { status: 200, data: permissionReply("dev", role, role === "custom-deployer" ? "write" : undefined) },
    });
    expect(await new GitHubGateway({ octokit: testOctokit(), ...requests }).people.getPermission("dev")).toBe(expected);
  });

  it("counts only active team memberships; 404 is not a member", async () => {
    const gh = new GitHubMock();
    gh.on("GET /orgs/{org}/teams/{team_slug}/memberships/{username}", {
      params: { org: "acme", team_slug: "devs", username: "a" },
      reply: { status: 200, data: membershipReply("active") },
    });
    gh.on("GET /orgs/{org}/teams/{team_slug}/memberships/{username}", {
      params: { org: "acme", team_slug: "devs", username: "b" },
      reply: { status: 200, data: membershipReply("pending") },
    });
    gh.on("GET /orgs/{org}/teams/{team_slug}/memberships/{username}", {
      params: { org: "acme", team_slug: "devs", username: "c" },
      reply: { status: 404, data: githubError("Not Found") },
    });
    const gw = new GitHubGateway({ octokit: testOctokit(), ...requests });
    expect([
      await gw.people.isTeamMember("acme/devs", "a"),
      await gw.people.isTeamMember("acme/devs", "b"),
      await gw.people.isTeamMember("acme/devs", "c"),
    ]).toEqual([true, false, false]);
  });

  it("asks a person's teams once per organisation, pages through them, and counts the teams above theirs", async () => {
    const gh = new GitHubMock();
    const teams = (after: string | null) => ({ org: "acme", login: "a", after });
    gh.graphql("TeamsOfUser", {
      variables: teams(null),
      reply: teamsOfUserReply(["devs", { slug: "web", ancestors: ["Eng"] }], "Y3Vyc29yOjI="),
    });
    gh.graphql("TeamsOfUser", { variables: teams("Y3Vyc29yOjI="), reply: teamsOfUserReply(["sre"]) });
    gh.graphql("TeamsOfUser", { variables: { org: "acme", login: "c", after: null }, reply: teamsOfUserReply([]) });
    const gw = new GitHubGateway({ octokit: testOctokit(), ...requests });
    expect([...(await gw.people.teamsOf("acme", "a"))]).toEqual(["devs", "web", "eng", "sre"]);
    expect([...(await gw.people.teamsOf("ACME", "A"))]).toEqual(["devs", "web", "eng", "sre"]);
    expect([...(await gw.people.teamsOf("acme", "c"))]).toEqual([]);
    expect(gh.graphqlRequests("TeamsOfUser")).toHaveLength(3);
  });

  it("reads an organisation GitHub cannot resolve as no teams, as REST's 404 was; any other error is thrown, never read as no member", async () => {
    const gh = new GitHubMock();
    gh.graphql("TeamsOfUser", {
      variables: { org: "gone", login: "a", after: null },
      reply: {
        data: { organization: null },
        errors: [{ type: "NOT_FOUND", path: ["organization"], message: "Could not resolve to an Organization with the login of 'gone'." }],
      },
    });
    gh.graphql("TeamsOfUser", {
      variables: { org: "acme", login: "a", after: null },
      reply: {
        data: { organization: null },
        errors: [{ type: "FORBIDDEN", path: ["organization", "teams"], message: "Resource not accessible by integration" }],
      },
    });
    gh.graphql("TeamsOfUser", {
      variables: { org: "acme", login: "b", after: null },
      reply: { status: 403, data: githubError("Resource not accessible by integration") },
    });
    const gw = new GitHubGateway({ octokit: testOctokit(), ...requests });
    expect([...(await gw.people.teamsOf("gone", "a"))]).toEqual([]);
    const forbidden = await gw.people.teamsOf("acme", "a").catch((error: unknown) => error);
    expect(forbidden).toBeInstanceOf(Error);
    expect(faultOf(forbidden)).toEqual({ route: "POST /graphql (TeamsOfUser)", kind: "refused", status: null, attempts: 1 });
    expect(renderFaultMessage(faultOf(forbidden))).toBe("GitHub refused to list the author's teams: it answered an error.");
    const refused = await gw.people.teamsOf("acme", "b").catch((error: unknown) => error);
    expect(faultOf(refused)).toEqual({ route: "POST /graphql (TeamsOfUser)", kind: "refused", status: 403, attempts: 1 });
  });

  it("finds the status comment on page two, ignores a human's copy of the marker, and edits it in place", async () => {
    const gh = new GitHubMock();
    const marker = "<!-- gitops-bot:status -->";
    gh.on("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      params: { ...requests, issue_number: 3 },
      query: { per_page: 100 },
      reply: {
        status: 200,
        data: commentListReply(requests, 3, [
          { id: 1, body: "/provision small", login: "dev", type: "User" },
          { id: 2, body: `${marker} forged`, login: "mallory", type: "User" },
        ]),
        headers: {
          link: '<https://api.github.com/repos/acme/requests/issues/3/comments?per_page=100&page=2>; rel="next", <https://api.github.com/repos/acme/requests/issues/3/comments?per_page=100&page=2>; rel="last"',
        },
      },
    });
    gh.on("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      params: { ...requests, issue_number: 3 },
      query: { per_page: 100, page: 2 },
      reply: { status: 200, data: commentListReply(requests, 3, [{ id: 3, body: `${marker}\nold` }]) },
    });
    gh.on("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
      params: { ...requests, comment_id: 3 },
      reply: { status: 200, data: commentReply(requests, 3, { id: 3, body: `${marker}\nnew` }) },
    });
    gh.on("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", {
      params: { ...requests, comment_id: 1 },
      reply: { status: 201, data: reactionReply("rocket") },
    });
    const conversation = new GitHubGateway({ octokit: testOctokit(), ...requests }).conversation({ issueNumber: 3, commentId: 1, marker });
    expect(await conversation.readStatusComment()).toBe(`${marker}\nold`);
    await conversation.ensureStatusComment(`${marker}\nnew`);
    await conversation.ensureStatusComment(`${marker}\nnew`);
    await conversation.react("rocket");
    expect(gh.bodies("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}")).toEqual([{ body: `${marker}\nnew` }]);
    expect(gh.bodies("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions")).toEqual([{ content: "rocket" }]);
  });

  it("knows the App's own reaction by its login: another bot's or a person's does not count; without the login it reads nothing", async () => {
    const gh = new GitHubMock();
    const by = (users: [string, string][]) =>
      users.map(([login, type]) => {
        const reaction = reactionReply("rocket");
        return { ...reaction, user: reaction.user ? { ...reaction.user, login, type } : null };
      });
    const reactions = { content: "rocket", per_page: 100 };
    gh.on("GET /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", {
      params: { ...requests, comment_id: 5 },
      query: reactions,
      reply: {
        status: 200,
        data: by([
          ["dependabot[bot]", "Bot"],
          ["alice", "User"],
        ]),
      },
    });
    gh.on("GET /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", {
      params: { ...requests, comment_id: 6 },
      query: reactions,
      reply: {
        status: 200,
        data: by([
          ["other-app[bot]", "Bot"],
          ["GitOps-Bot[bot]", "Bot"],
        ]),
      },
    });
    gh.on("GET /repos/{owner}/{repo}/issues/{issue_number}/reactions", {
      params: { ...requests, issue_number: 3 },
      query: reactions,
      reply: { status: 200, data: by([["other-app[bot]", "Bot"]]) },
    });
    const gw = new GitHubGateway({ octokit: testOctokit(), ...requests, appLogin: async () => "gitops-bot[bot]" });
    expect(await gw.issues.hasReaction({ issueNumber: 3, commentId: 5 }, "rocket")).toBe(false);
    expect(await gw.issues.hasReaction({ issueNumber: 3, commentId: 6 }, "rocket")).toBe(true);
    expect(await gw.issues.hasReaction({ issueNumber: 3 }, "rocket")).toBe(false);
    const unknown = new GitHubGateway({ octokit: testOctokit(), ...requests, appLogin: async () => null });
    expect(await unknown.issues.hasReaction({ issueNumber: 3, commentId: 6 }, "rocket")).toBe(false);
    expect(gh.count()).toBe(3);
  });
});
