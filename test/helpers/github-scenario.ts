/**
 * The GitHub conversations a request goes through, as reusable mock sets: read the config, the
 * permission, the status comment, the GitOps repository; write the tree, commit, branch, PR. Git
 * objects are content-addressed like on GitHub (tree SHAs computed as git does), so re-running a
 * request against this fake sees "nothing changed" exactly when GitHub would.
 */
import { readFileSync } from "node:fs";
import { gitBlobSha } from "../../src/adapters/git-blob-sha.js";
import { gitTreeSha, type GitTreeEntry } from "../../src/adapters/github/git-tree-sha.js";
import { githubError, type GitHubMock } from "./github-mock.js";
import { issueCommentCreated } from "./payloads.js";
import {
  appReply,
  branchReply,
  commentListReply,
  commentReply,
  commitReply,
  createdTreeReply,
  labelsReply,
  membershipReply,
  permissionReply,
  pullListReply,
  pullReply,
  reactionReply,
  refReply,
  reviewRequestReply,
  treeReply,
  type CommentFields,
  type ListedEntry,
  type PullFields,
  type RepoCoordinates,
} from "./github-replies.js";

export const REQUESTS: RepoCoordinates = { owner: "acme", repo: "requests" };
export const GITOPS: RepoCoordinates = { owner: "acme", repo: "gitops" };
export const BASE_COMMIT = "c0ffee0000000000000000000000000000000001";
export const NEW_COMMIT = "c0ffee0000000000000000000000000000000002";
export const BRANCH = "gitops-bot/web-service/payments-checkout-dev";

/** The shipped example config of a request repository (requests go to acme/gitops). */
export const EXAMPLE_CONFIG = readFileSync(new URL("../../examples/request-repo/.github/gitops-bot.yml", import.meta.url), "utf8");

export const PROVISION =
  "/provision small template=web-service name=checkout team=payments environment=dev image=ghcr.io/acme/checkout:1.4.2";

/** Alice's `/provision` comment (PROVISION) on the request repository, as GitHub delivers it. */
export const provisionComment = () =>
  issueCommentCreated({ repo: { owner: REQUESTS.owner, name: REQUESTS.repo }, body: PROVISION, sender: { login: "alice" } });

/** A file of the fake GitOps repository's base branch. */
export interface BaseFile {
  path: string;
  content: string;
  /** `120000` makes the file a symbolic link whose target is `content`; default `100644`. */
  mode?: "100644" | "100755" | "120000";
}

export function treeEntries(files: readonly BaseFile[]): GitTreeEntry[] {
  const entries: GitTreeEntry[] = [];
  const folders = new Set<string>();
  for (const file of files) {
    const parts = file.path.split("/");
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join("/"));
    entries.push({
      path: file.path,
      mode: file.mode ?? "100644",
      type: "blob",
      sha: gitBlobSha(file.content),
      size: Buffer.byteLength(file.content),
    });
  }
  // Folder SHAs are never compared by the app; any stable value does.
  for (const folder of folders) entries.push({ path: folder, mode: "040000", type: "tree", sha: gitBlobSha(`tree:${folder}`) });
  return entries.sort((a, b) => (a.path < b.path ? -1 : 1));
}

export const README: BaseFile = { path: "README.md", content: "# GitOps\n" };

export function mockConfig(gh: GitHubMock, at: RepoCoordinates, text: string | null): void {
  if (text !== null) {
    gh.on("GET /repos/{owner}/{repo}/contents/{path}", {
      params: { ...at, path: ".github/gitops-bot.yml" },
      reply: { status: 200, raw: text },
    });
    return;
  }
  gh.on("GET /repos/{owner}/{repo}/contents/{path}", {
    params: { ...at, path: ".github/gitops-bot.yml" },
    reply: { status: 404, data: githubError("Not Found") },
  });
  gh.on("GET /repos/{owner}/{repo}/contents/{path}", {
    params: { owner: at.owner, repo: ".github", path: ".github/gitops-bot.yml" },
    reply: { status: 404, data: githubError("Not Found") },
  });
}

export function mockPermission(gh: GitHubMock, login: string, role: string | null, at: RepoCoordinates = REQUESTS): void {
  gh.on("GET /repos/{owner}/{repo}/collaborators/{username}/permission", {
    params: { ...at, username: login },
    reply: role === null ? { status: 404, data: githubError("Not Found") } : { status: 200, data: permissionReply(login, role) },
  });
}

export function mockMembership(gh: GitHubMock, team: string, login: string, state: "active" | "pending" | null): void {
  const [org = "", slug = ""] = team.split("/");
  gh.on("GET /orgs/{org}/teams/{team_slug}/memberships/{username}", {
    params: { org, team_slug: slug, username: login },
    reply: state === null ? { status: 404, data: githubError("Not Found") } : { status: 200, data: membershipReply(state) },
  });
}

/** GET /app: the App's own login, `gitops-bot[bot]` (asked once per process, to know its own reactions and commits). */
export function mockAppLogin(gh: GitHubMock, slug = "gitops-bot"): void {
  gh.on("GET /app", { params: {}, reply: { status: 200, data: appReply(slug) } });
}

export function mockComments(gh: GitHubMock, issue: number, comments: readonly CommentFields[], at: RepoCoordinates = REQUESTS): void {
  gh.on("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    params: { ...at, issue_number: issue },
    query: { per_page: 100 },
    reply: { status: 200, data: commentListReply(at, issue, comments) },
  });
}

export function mockCreateComment(gh: GitHubMock, issue: number, id = 501, at: RepoCoordinates = REQUESTS): void {
  gh.on("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    params: { ...at, issue_number: issue },
    reply: ({ body }) => ({ status: 201, data: commentReply(at, issue, { id, body: String(body.body ?? "") }) }),
  });
}

export function mockUpdateComment(gh: GitHubMock, id: number, issue = 12, at: RepoCoordinates = REQUESTS): void {
  gh.on("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
    params: { ...at, comment_id: id },
    reply: ({ body }) => ({ status: 200, data: commentReply(at, issue, { id, body: String(body.body ?? "") }) }),
  });
}

export function mockCommentReaction(
  gh: GitHubMock,
  commentId: number,
  content: Parameters<typeof reactionReply>[0],
  status: 200 | 201 = 201,
  at: RepoCoordinates = REQUESTS,
): void {
  gh.on("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", {
    params: { ...at, comment_id: commentId },
    reply: { status, data: reactionReply(content) },
  });
}

/** GitHub's list of reactions with `content`: one by the App's bot account when `byApp`, else none. */
/** `byApp`: the App's own reaction (true), none (false), or another bot's. */
function reactionsList(content: Parameters<typeof reactionReply>[0], byApp: boolean | { bot: string }) {
  if (byApp === false) return [];
  const reaction = reactionReply(content);
  const login = byApp === true ? "gitops-bot[bot]" : byApp.bot;
  return [{ ...reaction, user: reaction.user ? { ...reaction.user, login, type: "Bot" } : null }];
}

/** The reactions with `content` on a comment: the App's own (a bot's) when `byApp`, else none. */
export function mockCommentReactions(
  gh: GitHubMock,
  commentId: number,
  content: Parameters<typeof reactionReply>[0],
  byApp: boolean | { bot: string },
  at: RepoCoordinates = REQUESTS,
): void {
  const data = reactionsList(content, byApp);
  gh.on("GET /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", {
    params: { ...at, comment_id: commentId },
    query: { content, per_page: 100 },
    reply: { status: 200, data },
  });
}

/** The reactions with `content` on an issue itself: the App's own (a bot's) when `byApp`, else none. */
export function mockIssueReactions(
  gh: GitHubMock,
  issue: number,
  content: Parameters<typeof reactionReply>[0],
  byApp: boolean | { bot: string },
  at: RepoCoordinates = REQUESTS,
): void {
  const data = reactionsList(content, byApp);
  gh.on("GET /repos/{owner}/{repo}/issues/{issue_number}/reactions", {
    params: { ...at, issue_number: issue },
    query: { content, per_page: 100 },
    reply: { status: 200, data },
  });
}

export function mockIssueReaction(
  gh: GitHubMock,
  issue: number,
  content: Parameters<typeof reactionReply>[0],
  at: RepoCoordinates = REQUESTS,
): void {
  gh.on("POST /repos/{owner}/{repo}/issues/{issue_number}/reactions", {
    params: { ...at, issue_number: issue },
    reply: { status: 201, data: reactionReply(content) },
  });
}

/** The base branch of the fake GitOps repository: its ref and one recursive listing. */
export function mockBase(
  gh: GitHubMock,
  files: readonly BaseFile[],
  options: { at?: RepoCoordinates; commit?: string; branch?: string } = {},
): GitTreeEntry[] {
  const at = options.at ?? GITOPS;
  const commit = options.commit ?? BASE_COMMIT;
  const branch = options.branch ?? "main";
  const entries = treeEntries(files);
  const rootTree = gitTreeSha({ entries, changes: [] });
  gh.on("GET /repos/{owner}/{repo}/git/ref/{ref}", {
    params: { ...at, ref: `heads/${branch}` },
    reply: { status: 200, data: refReply(at, `heads/${branch}`, commit) },
  });
  gh.on("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", {
    params: { ...at, tree_sha: commit },
    query: { recursive: "1" },
    reply: { status: 200, data: treeReply(at, rootTree, entries as ListedEntry[]) },
  });
  return entries;
}

/** POST git/trees and git/commits, answered as GitHub would: the tree SHA is git's. Returns the tree SHA once written. */
export function mockTreeAndCommit(
  gh: GitHubMock,
  entries: readonly GitTreeEntry[],
  options: { at?: RepoCoordinates; commit?: string } = {},
): { tree: () => string } {
  const at = options.at ?? GITOPS;
  let written = "";
  gh.on("POST /repos/{owner}/{repo}/git/trees", {
    params: at,
    reply: ({ body }) => {
      const changes = (body.tree ?? []).map((t) => ({ path: t.path ?? "", content: t.sha === null ? null : (t.content ?? "") }));
      written = gitTreeSha({ entries, changes });
      return { status: 201, data: createdTreeReply(at, written) };
    },
  });
  gh.on("POST /repos/{owner}/{repo}/git/commits", {
    params: at,
    reply: ({ body }) => ({ status: 201, data: commitReply(at, options.commit ?? NEW_COMMIT, String(body.tree), BASE_COMMIT) }),
  });
  return { tree: () => written };
}

/** A first publish: new branch, new PR (no search), labels, and reviewers when given. */
export function mockFirstPublish(
  gh: GitHubMock,
  entries: readonly GitTreeEntry[],
  pr: { number: number; labels: string[]; reviewers?: boolean; branch?: string },
): { tree: () => string; pull: () => PullFields } {
  const at = GITOPS;
  const written = mockTreeAndCommit(gh, entries);
  const branch = pr.branch ?? BRANCH;
  gh.on("POST /repos/{owner}/{repo}/git/refs", { params: at, reply: { status: 201, data: refReply(at, `heads/${branch}`, NEW_COMMIT) } });
  const opened = mockOpenPull(gh, { number: pr.number, labels: pr.labels, branch });
  if (pr.reviewers) {
    gh.on("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", {
      params: { ...at, pull_number: pr.number },
      reply: () => ({ status: 201, data: reviewRequestReply(at, opened.pull()) }),
    });
  }
  return { tree: written.tree, pull: () => ({ ...opened.pull(), labels: pr.labels }) };
}

/** The pull request opened (with the title and body the bot sent) and labelled, in the GitOps repository. */
export function mockOpenPull(gh: GitHubMock, pr: { number: number; labels: string[]; branch?: string }): { pull: () => PullFields } {
  const at = GITOPS;
  let fields: PullFields = { number: pr.number, title: "", body: "", head: pr.branch ?? BRANCH, base: "main" };
  gh.on("POST /repos/{owner}/{repo}/pulls", {
    params: at,
    reply: ({ body }) => {
      fields = { ...fields, title: String(body.title), body: String(body.body) };
      return { status: 201, data: pullReply(at, fields) };
    },
  });
  gh.on("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", {
    params: { ...at, issue_number: pr.number },
    reply: { status: 200, data: labelsReply(pr.labels) },
  });
  return { pull: () => fields };
}

export function mockBranch(
  gh: GitHubMock,
  branch: string,
  head: { commit: string; tree: string } | null,
  at: RepoCoordinates = GITOPS,
): void {
  gh.on("GET /repos/{owner}/{repo}/branches/{branch}", {
    params: { ...at, branch },
    reply:
      head === null
        ? { status: 404, data: githubError("Branch not found") }
        : { status: 200, data: branchReply(branch, head.commit, head.tree) },
  });
}

export function mockFindPull(gh: GitHubMock, branch: string, pulls: readonly PullFields[], at: RepoCoordinates = GITOPS): void {
  gh.on("GET /repos/{owner}/{repo}/pulls", {
    params: at,
    query: { head: `${at.owner}:${branch}`, state: "open", per_page: 100 },
    reply: { status: 200, data: pullListReply(at, pulls) },
  });
}

/** The status comment a run posted, as the next run reads it back (authored by the App). */
export function postedStatus(gh: GitHubMock, id = 501): CommentFields {
  const posted = gh.bodies("POST /repos/{owner}/{repo}/issues/{issue_number}/comments").at(-1);
  if (!posted?.body) throw new Error("no status comment was posted");
  return { id, body: posted.body, type: "Bot", login: "gitops-bot[bot]" };
}
