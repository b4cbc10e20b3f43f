import type { ProbotOctokit } from "probot";
import { PERMISSIONS, type Permission } from "../../core/config/bot-config.schema.js";
import { BOT_CONFIG_FILE } from "../../core/config/parse-bot-config.js";
import { problem } from "../../core/problems.js";
import type { DeliveryAttempt } from "../../core/redelivery/plan-redeliveries.js";
import type { CheckAnnotation, CheckConclusion } from "../../core/report/check-output.js";
import type { AccessReader, ChangePublisher, CommitReader, Conversation, DeliveryConversation, FileWrite, PublishResult, PullRequestDraft, RepoReader } from "../../ports.js";
import { GitOpsRepositoryError, hasStatus, isPullRequestExists, isReferenceExists, isRequestError, nullIfNotFound, withContext } from "./errors.js";
import { gitTreeSha, type GitTreeEntry } from "./git-tree-sha.js";
import { createCommitReader, type GitHubCommitReader } from "./commit-reader.js";

/** The Octokit Probot hands to handlers (REST methods, paginate, config). */
export type GitHubOctokit = ProbotOctokit;

export type Reaction = Parameters<Conversation["react"]>[0];

/**
 * Blob texts by SHA. Blobs are immutable, so entries never go stale. Bounded by count and by size
 * (characters, oldest out first): the policy check reads every manifest of the GitOps repository,
 * and a warm cache is what makes its next run cost a few requests instead of one per manifest.
 */
export class BlobCache {
  readonly #entries = new Map<string, string>();
  #size = 0;
  constructor(
    readonly maxEntries = 20_000,
    readonly maxChars = 64 * 1024 * 1024,
  ) {}
  get(sha: string): string | undefined {
    return this.#entries.get(sha);
  }
  set(sha: string, text: string): void {
    if (this.#entries.has(sha) || text.length > this.maxChars) return;
    while (this.#entries.size >= this.maxEntries || (this.#size + text.length > this.maxChars && this.#entries.size > 0)) {
      const oldest = this.#entries.entries().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest[0]);
      this.#size -= oldest[1].length;
    }
    this.#entries.set(sha, text);
    this.#size += text.length;
  }
}

/** The base branch as read once per request: its commit, root tree and complete file listing. */
export interface BaseSnapshot {
  commit: string;
  tree: string;
  entries: GitTreeEntry[];
  /** False when GitHub could not list everything in one answer and folders were walked instead. */
  complete: boolean;
}

export interface OpenPullRequest {
  number: number;
  url: string;
  title: string;
  body: string;
  labels: string[];
  reviewers: string[];
  teams: string[];
}

/** A comment of the bot found by its hidden marker. */
export interface MarkedComment {
  id: number;
  body: string;
  /** Later comments with the same marker, to be deleted on the next write. */
  duplicates?: number[];
}

/** One file of a pull request's diff, as GitHub lists it. */
export interface PullRequestFile {
  path: string;
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";
  /** The path before a rename or copy. */
  previousPath?: string;
}

/** What the policy check needs to know about a pull request. */
export interface PullRequestFacts {
  number: number;
  state: "open" | "closed";
  headSha: string;
  baseSha: string;
  baseRef: string;
  author: { login: string; type: string };
  /** The body: the App's own pull requests record their requester there. */
  body: string | null;
  /** GitHub's own count of changed files: its file listing stops at 3,000. */
  changedFiles: number;
  /** Logins and team slugs whose review is pending. */
  requestedReviewers: string[];
  requestedTeams: string[];
}

/** A Check Run's output as the REST API takes it; annotations are appended on every update. */
export interface CheckRunOutput {
  title: string;
  summary: string;
  text?: string;
  annotations?: CheckAnnotation[];
}

const TREE_MODES = new Set(["100644", "100755", "040000", "160000", "120000"]);

function toTreeEntries(items: readonly { path?: string; mode?: string; type?: string; sha?: string; size?: number }[], prefix: string): GitTreeEntry[] {
  const entries: GitTreeEntry[] = [];
  for (const item of items) {
    if (!item.path || !item.sha || !item.mode || !TREE_MODES.has(item.mode)) continue;
    if (item.type !== "blob" && item.type !== "tree" && item.type !== "commit") continue;
    entries.push({ path: `${prefix}${item.path}`, mode: item.mode, type: item.type, sha: item.sha, ...(typeof item.size === "number" ? { size: item.size } : {}) });
  }
  return entries;
}

/**
 * Every GitHub API call of the App goes through this class (STYLE.md section 4). It is built for
 * one repository of the installation; `ensure*` methods converge, so repeating them is harmless.
 */
export class GitHubGateway {
  readonly owner: string;
  readonly repo: string;
  readonly #octokit: GitHubOctokit;
  readonly #blobs: BlobCache;
  /** Things that did not stop the request but the requester should know (a reviewer GitHub refused). */
  readonly notes: string[] = [];

  constructor(params: { octokit: GitHubOctokit; owner: string; repo: string; blobCache?: BlobCache }) {
    this.#octokit = params.octokit;
    this.owner = params.owner;
    this.repo = params.repo;
    this.#blobs = params.blobCache ?? new BlobCache();
  }

  get fullName(): string {
    return `${this.owner}/${this.repo}`;
  }

  // ---- reading the repository -------------------------------------------------------------

  /** Reads the base branch: its head commit, then one recursive tree listing at that commit. */
  async readBase(baseBranch: string): Promise<BaseSnapshot> {
    const ref = await nullIfNotFound(this.#octokit.rest.git.getRef({ owner: this.owner, repo: this.repo, ref: `heads/${baseBranch}` })).catch((error: unknown) => {
      throw withContext(`reading branch ${baseBranch} of ${this.fullName}`, error);
    });
    if (ref === null) {
      throw new GitOpsRepositoryError(
        problem("gitops.base-branch-missing", `The GitOps repository \`${this.fullName}\` has no branch \`${baseBranch}\`, or the App cannot read it.`, {
          file: BOT_CONFIG_FILE,
          path: "gitops",
          hint: "Check `gitops.repository` and `gitops.baseBranch`, and install the App on that repository.",
        }),
      );
    }
    const commit = ref.data.object.sha;
    // Listing by commit (not by branch name) keeps the listing and the parent of our commit in step.
    const { tree, entries, complete } = await this.#listTree(commit, "");
    return { commit, tree, entries, complete };
  }

  async #listTree(treeish: string, prefix: string): Promise<{ tree: string; entries: GitTreeEntry[]; complete: boolean }> {
    const { data } = await this.#octokit.rest.git.getTree({ owner: this.owner, repo: this.repo, tree_sha: treeish, recursive: "1" });
    if (!data.truncated) return { tree: data.sha, entries: toTreeEntries(data.tree, prefix), complete: true };
    // GitHub caps recursive listings (100,000 entries / 7 MB); walk the folders one level at a time then.
    const { data: level } = await this.#octokit.rest.git.getTree({ owner: this.owner, repo: this.repo, tree_sha: treeish });
    const entries: GitTreeEntry[] = [];
    for (const entry of toTreeEntries(level.tree, prefix)) {
      entries.push(entry);
      if (entry.type === "tree") entries.push(...(await this.#listTree(entry.sha, `${entry.path}/`)).entries);
    }
    return { tree: data.sha, entries, complete: false };
  }

  /** The files of a commit: one recursive tree listing (GitHub answers by commit SHA as well). */
  async readCommit(commit: string): Promise<BaseSnapshot> {
    const { tree, entries, complete } = await this.#listTree(commit, "");
    return { commit, tree, entries, complete };
  }

  /**
   * Reads one commit of this repository, a pull request's head from a fork included (GitHub keeps
   * it in the base repository): one listing, then blobs on demand, from the shared cache first, an
   * archive when many are announced; archived files count only where they equal the committed
   * blob, and symbolic links are resolved inside the repository (see `createCommitReader`).
   */
  commitReader(commit: string, snapshot?: () => Promise<BaseSnapshot>): GitHubCommitReader {
    return createCommitReader({
      // A snapshot already read (the base branch of a rollout) saves the listing request.
      listEntries: async () => (await (snapshot ? snapshot() : this.readCommit(commit))).entries,
      readBlob: (sha) => this.readBlob(sha),
      // GitHub documents only the redirect, but answers 404 for an unknown ref.
      downloadArchive: () => nullIfNotFound(this.downloadArchive(commit)),
      cache: this.#blobs,
    });
  }

  /**
   * The gzipped tar archive of a commit: one API request (GitHub answers with a redirect to its
   * download host, which fetch follows). https://docs.github.com/rest/repos/contents#download-a-repository-archive-tar
   */
  async downloadArchive(commit: string): Promise<Uint8Array> {
    const { data } = await this.#octokit.rest.repos.downloadTarballArchive({ owner: this.owner, repo: this.repo, ref: commit });
    return new Uint8Array(data as ArrayBuffer);
  }

  /** A blob's text by SHA (cached: a blob never changes). */
  async readBlob(sha: string): Promise<string> {
    const cached = this.#blobs.get(sha);
    if (cached !== undefined) return cached;
    const { data } = await this.#octokit.rest.git.getBlob({ owner: this.owner, repo: this.repo, file_sha: sha });
    const text = data.encoding === "base64" ? Buffer.from(data.content, "base64").toString("utf8") : data.content;
    this.#blobs.set(sha, text);
    return text;
  }

  /** The RepoReader port over one base branch: one snapshot per request, blobs read on demand. */
  repoReader(baseBranch: string): RepoReader & { snapshot(): Promise<BaseSnapshot> } {
    let snapshot: Promise<BaseSnapshot> | null = null;
    const load = () => (snapshot ??= this.readBase(baseBranch));
    // The same reader as the policy check's: symbolic links resolve inside the repository, so a
    // linked template file reads as its target, never as the link's text.
    const reader = this.commitReader("", load);
    return { snapshot: load, listFiles: () => reader.listFiles(), readFile: (path) => reader.readFile(path) };
  }

  // ---- writing a branch and its pull request ------------------------------------------------

  /** The head commit and root tree of a branch, or null when it does not exist. */
  async getBranchHead(branch: string): Promise<{ commit: string; tree: string } | null> {
    const found = await nullIfNotFound(this.#octokit.rest.repos.getBranch({ owner: this.owner, repo: this.repo, branch }));
    return found ? { commit: found.data.commit.sha, tree: found.data.commit.commit.tree.sha } : null;
  }

  /**
   * Makes `branch` hold the base commit plus `changes` in one commit: one tree (inline contents),
   * one commit, one ref write. Writes nothing when the branch's tree already equals the result.
   * `branchMayExist: false` skips the up-front branch read (a first request): a branch that
   * exists anyway is detected by GitHub's 422 and converged.
   */
  async ensureBranchCommit(params: {
    base: BaseSnapshot;
    branch: string;
    message: string;
    changes: readonly FileWrite[];
    branchMayExist: boolean;
  }): Promise<{ commit: string | null; created: boolean }> {
    const { base, branch } = params;
    const existing = new Set(base.entries.map((e) => e.path));
    // GitHub rejects the whole tree when `sha: null` names a path that does not exist.
    const changes = params.changes.filter((c) => c.content !== null || existing.has(c.path));
    let head = params.branchMayExist ? await this.getBranchHead(branch) : null;
    // The tree SHA is computed only when there is a branch to compare with: it hashes every folder.
    const expectedTree = head && base.complete ? gitTreeSha({ entries: base.entries, changes }) : null;
    if (head && expectedTree !== null && head.tree === expectedTree) return { commit: null, created: false };

    const modes = new Map(base.entries.map((e) => [e.path, e.mode]));
    const { data: tree } = await this.#octokit.rest.git.createTree({
      owner: this.owner,
      repo: this.repo,
      base_tree: base.tree,
      tree: changes.map((c) =>
        c.content === null
          ? { path: c.path, mode: "100644" as const, type: "blob" as const, sha: null }
          : { path: c.path, mode: modes.get(c.path) === "100755" ? ("100755" as const) : ("100644" as const), type: "blob" as const, content: c.content },
      ),
    });
    if (head && head.tree === tree.sha) return { commit: null, created: false };

    const { data: commit } = await this.#octokit.rest.git.createCommit({ owner: this.owner, repo: this.repo, message: params.message, tree: tree.sha, parents: [base.commit] });
    if (head) {
      await this.#octokit.rest.git.updateRef({ owner: this.owner, repo: this.repo, ref: `heads/${branch}`, sha: commit.sha, force: true });
      return { commit: commit.sha, created: false };
    }
    try {
      await this.#octokit.rest.git.createRef({ owner: this.owner, repo: this.repo, ref: `refs/heads/${branch}`, sha: commit.sha });
      return { commit: commit.sha, created: true };
    } catch (error) {
      if (!isReferenceExists(error)) throw withContext(`creating branch ${branch}`, error);
    }
    // Another replica or an earlier run made the branch: keep it if it already holds our tree.
    head = await this.getBranchHead(branch);
    if (head && head.tree === tree.sha) return { commit: null, created: false };
    await this.#octokit.rest.git.updateRef({ owner: this.owner, repo: this.repo, ref: `heads/${branch}`, sha: commit.sha, force: true });
    return { commit: commit.sha, created: false };
  }

  /** The open pull request whose head is `branch` of this repository, if any. */
  async findOpenPullRequest(branch: string): Promise<OpenPullRequest | null> {
    const pulls = await this.#octokit.paginate(this.#octokit.rest.pulls.list, {
      owner: this.owner,
      repo: this.repo,
      head: `${this.owner}:${branch}`,
      state: "open",
      per_page: 100,
    });
    const pull = pulls[0];
    if (!pull) return null;
    return {
      number: pull.number,
      url: pull.html_url,
      title: pull.title,
      body: pull.body ?? "",
      labels: pull.labels.map((l) => l.name),
      reviewers: (pull.requested_reviewers ?? []).map((u) => u.login),
      teams: (pull.requested_teams ?? []).map((t) => t.slug),
    };
  }

  /**
   * Creates the pull request of `branch`, or updates its title and body; adds missing labels and
   * requests reviewers. `branchCreated` skips the search: a branch made a moment ago has no PR.
   */
  async ensurePullRequest(params: {
    branch: string;
    baseBranch: string;
    draft: PullRequestDraft;
    branchCreated: boolean;
    contentChanged: boolean;
  }): Promise<{ number: number; url: string; created: boolean }> {
    const { branch, draft } = params;
    let open = params.branchCreated ? null : await this.findOpenPullRequest(branch);
    let created = false;
    if (open === null) {
      try {
        const { data } = await this.#octokit.rest.pulls.create({ owner: this.owner, repo: this.repo, title: draft.title, body: draft.body, head: branch, base: params.baseBranch });
        open = { number: data.number, url: data.html_url, title: data.title, body: data.body ?? "", labels: [], reviewers: [], teams: [] };
        created = true;
      } catch (error) {
        if (!isPullRequestExists(error)) throw withContext(`opening the pull request for ${branch}`, error);
        open = await this.findOpenPullRequest(branch);
        if (open === null) throw withContext(`opening the pull request for ${branch}`, error);
      }
    }
    if (!created && (open.title !== draft.title || open.body !== draft.body)) {
      await this.#octokit.rest.pulls.update({ owner: this.owner, repo: this.repo, pull_number: open.number, title: draft.title, body: draft.body });
    }
    const missingLabels = draft.labels.filter((l) => !open.labels.includes(l));
    if (missingLabels.length > 0) {
      await this.#octokit.rest.issues.addLabels({ owner: this.owner, repo: this.repo, issue_number: open.number, labels: missingLabels });
    }
    // Re-requesting on every run would nag reviewers who already approved: only new PRs or new content.
    if (created || params.contentChanged) await this.#requestReviewers(open, draft.reviewers);
    return { number: open.number, url: open.url, created };
  }

  /** Requests the reviewers not yet requested; returns those GitHub accepted (teams as `org/slug`). */
  async #requestReviewers(pull: Pick<OpenPullRequest, "number" | "reviewers" | "teams">, reviewers: readonly string[]): Promise<string[]> {
    const users: string[] = [];
    const teams: string[] = [];
    for (const reviewer of reviewers) {
      const [org, slug] = reviewer.split("/");
      if (slug === undefined) {
        if (!pull.reviewers.includes(reviewer)) users.push(reviewer);
      } else if (org?.toLowerCase() !== this.owner.toLowerCase()) {
        this.notes.push(`Team \`${reviewer}\` cannot review pull requests of \`${this.fullName}\`: only teams of \`${this.owner}\` can.`);
      } else if (!pull.teams.includes(slug)) {
        teams.push(slug);
      }
    }
    if (users.length === 0 && teams.length === 0) return [];
    try {
      await this.#octokit.rest.pulls.requestReviewers({ owner: this.owner, repo: this.repo, pull_number: pull.number, reviewers: users, team_reviewers: teams });
      return [...users, ...teams.map((t) => `${this.owner}/${t}`)];
    } catch (error) {
      // 422: a reviewer is not a collaborator, or a team has no access. The PR stands; say so instead of failing.
      if (!hasStatus(error, 422)) throw withContext(`requesting reviewers on #${pull.number}`, error);
      this.notes.push(`GitHub refused the review request for ${[...users, ...teams.map((t) => `${this.owner}/${t}`)].map((r) => `\`${r}\``).join(", ")}: give them access to \`${this.fullName}\`.`);
      return [];
    }
  }

  /**
   * The ChangePublisher port. `branchMayExist` comes from the request's own history (a status
   * comment says it was published before); when false, the first write skips reading the branch.
   */
  publisher(params: { reader: ReturnType<GitHubGateway["repoReader"]>; branchMayExist: boolean }): ChangePublisher {
    return {
      publish: async (request): Promise<PublishResult> => {
        const base = await params.reader.snapshot();
        const written = await this.ensureBranchCommit({
          base,
          branch: request.branch,
          message: request.commitMessage,
          changes: request.changes,
          branchMayExist: params.branchMayExist,
        });
        const pullRequest = await this.ensurePullRequest({
          branch: request.branch,
          baseBranch: request.baseBranch,
          draft: request.pullRequest,
          branchCreated: written.created,
          contentChanged: written.commit !== null,
        });
        return { commit: written.commit, pullRequest };
      },
    };
  }

  // ---- pull requests under check ---------------------------------------------------------------

  /** A pull request of this repository, or null when it does not exist. */
  async getPullRequest(pullNumber: number): Promise<PullRequestFacts | null> {
    const found = await nullIfNotFound(this.#octokit.rest.pulls.get({ owner: this.owner, repo: this.repo, pull_number: pullNumber }));
    if (!found) return null;
    const pull = found.data;
    return {
      number: pull.number,
      state: pull.state === "closed" ? "closed" : "open",
      headSha: pull.head.sha,
      baseSha: pull.base.sha,
      baseRef: pull.base.ref,
      author: { login: pull.user.login, type: pull.user.type },
      body: pull.body ?? null,
      changedFiles: pull.changed_files,
      requestedReviewers: (pull.requested_reviewers ?? []).map((u) => u.login),
      requestedTeams: (pull.requested_teams ?? []).map((t) => t.slug),
    };
  }

  /**
   * Open pull requests of this repository whose head is `commit`. A check suite of a fork's pull
   * request lists none in its payload, so they are looked up by commit.
   */
  async findOpenPullRequestsForCommit(commit: string): Promise<number[]> {
    const pulls = await this.#octokit.paginate(this.#octokit.rest.repos.listPullRequestsAssociatedWithCommit, { owner: this.owner, repo: this.repo, commit_sha: commit, per_page: 100 });
    return pulls.filter((p) => p.state === "open" && p.head.sha === commit && p.base.repo.full_name.toLowerCase() === this.fullName.toLowerCase()).map((p) => p.number);
  }

  /**
   * Every file of a pull request's diff, all pages. GitHub stops at 3,000 files
   * (https://docs.github.com/rest/pulls/pulls#list-pull-requests-files); the caller compares the
   * count with the pull request's `changed_files` to notice.
   */
  async listPullRequestFiles(pullNumber: number): Promise<PullRequestFile[]> {
    const files = await this.#octokit.paginate(this.#octokit.rest.pulls.listFiles, { owner: this.owner, repo: this.repo, pull_number: pullNumber, per_page: 100 });
    return files.map((f) => ({ path: f.filename, status: f.status, ...(f.previous_filename ? { previousPath: f.previous_filename } : {}) }));
  }

  /** Logins of everyone who has submitted a review on the pull request. */
  async listReviewers(pullNumber: number): Promise<string[]> {
    const reviews = await this.#octokit.paginate(this.#octokit.rest.pulls.listReviews, { owner: this.owner, repo: this.repo, pull_number: pullNumber, per_page: 100 });
    return [...new Set(reviews.flatMap((r) => (r.user ? [r.user.login] : [])))];
  }

  /**
   * Requests review from the `reviewers` (logins, `org/team-slug`) not already requested and
   * returns those asked. A reviewer GitHub refuses does not fail the call: it is added to
   * {@link notes}.
   */
  async requestMissingReviewers(pull: { number: number; requestedReviewers: readonly string[]; requestedTeams: readonly string[] }, reviewers: readonly string[]): Promise<string[]> {
    return this.#requestReviewers({ number: pull.number, reviewers: [...pull.requestedReviewers], teams: [...pull.requestedTeams] }, reviewers);
  }

  /** Starts a Check Run on `headSha` (status in_progress, so the pull request shows it at once). */
  async createCheckRun(params: { name: string; headSha: string }): Promise<number> {
    const { data } = await this.#octokit.rest.checks.create({ owner: this.owner, repo: this.repo, name: params.name, head_sha: params.headSha, status: "in_progress" });
    return data.id;
  }

  /**
   * Updates a Check Run: the output's title, summary and text replace the previous ones, its
   * annotations (at most 50 per request) are appended; a conclusion completes the run.
   */
  async updateCheckRun(checkRunId: number, params: { output: CheckRunOutput; conclusion?: CheckConclusion | "cancelled" }): Promise<void> {
    await this.#octokit.rest.checks.update({
      owner: this.owner,
      repo: this.repo,
      check_run_id: checkRunId,
      output: params.output,
      ...(params.conclusion ? { status: "completed" as const, conclusion: params.conclusion } : {}),
    });
  }

  // ---- people ----------------------------------------------------------------------------------

  /** The user's permission on this repository, or null when they have none. */
  async getPermission(username: string): Promise<Permission | null> {
    const found = await nullIfNotFound(this.#octokit.rest.repos.getCollaboratorPermissionLevel({ owner: this.owner, repo: this.repo, username }));
    if (!found) return null;
    // role_name is the finer one (triage, maintain); custom roles fall back to the base permission.
    const role = found.data.role_name;
    if ((PERMISSIONS as readonly string[]).includes(role)) return role as Permission;
    const base = found.data.permission;
    return (PERMISSIONS as readonly string[]).includes(base) ? (base as Permission) : null;
  }

  /** True when the user is an active member of `org/team` (pending invitations do not count). */
  async isTeamMember(team: string, username: string): Promise<boolean> {
    const [org, slug] = team.split("/");
    if (!org || !slug) return false;
    const found = await nullIfNotFound(this.#octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug: slug, username }));
    return found?.data.state === "active";
  }

  // ---- the request issue -----------------------------------------------------------------------

  /**
   * The bot's comment carrying `marker`, searched on every page. Only comments written by a bot
   * account are trusted: anyone can paste the marker into a comment of their own. The oldest one
   * is the status comment; later ones are duplicates (two replicas created one each in a race).
   */
  async findMarkedComment(issueNumber: number, marker: string): Promise<MarkedComment | null> {
    const found: { id: number; body: string }[] = [];
    await this.#octokit.paginate(this.#octokit.rest.issues.listComments, { owner: this.owner, repo: this.repo, issue_number: issueNumber, per_page: 100 }, (response) => {
      for (const comment of response.data) {
        if (comment.user?.type === "Bot" && comment.body?.includes(marker)) found.push({ id: comment.id, body: comment.body });
      }
      return [];
    });
    const [first, ...duplicates] = found;
    return first ? { ...first, ...(duplicates.length > 0 ? { duplicates: duplicates.map((d) => d.id) } : {}) } : null;
  }

  /**
   * Creates the comment, or edits `existing` in place; an unchanged body is not written again.
   * Duplicates of `existing` are deleted, so a race converges on the next write.
   */
  async ensureComment(params: { issueNumber: number; existing: MarkedComment | null; body: string }): Promise<MarkedComment> {
    if (params.existing) {
      if (params.existing.body !== params.body) {
        await this.#octokit.rest.issues.updateComment({ owner: this.owner, repo: this.repo, comment_id: params.existing.id, body: params.body });
      }
      for (const duplicate of params.existing.duplicates ?? []) {
        // 404: the other replica deleted it first.
        await nullIfNotFound(this.#octokit.rest.issues.deleteComment({ owner: this.owner, repo: this.repo, comment_id: duplicate }));
      }
      return { id: params.existing.id, body: params.body };
    }
    const { data } = await this.#octokit.rest.issues.createComment({ owner: this.owner, repo: this.repo, issue_number: params.issueNumber, body: params.body });
    return { id: data.id, body: params.body };
  }

  /** Reacts on a comment, or on the issue itself when it was the issue that triggered us. */
  async react(target: { issueNumber: number; commentId?: number }, content: Reaction): Promise<void> {
    if (target.commentId !== undefined) {
      await this.#octokit.rest.reactions.createForIssueComment({ owner: this.owner, repo: this.repo, comment_id: target.commentId, content });
    } else {
      await this.#octokit.rest.reactions.createForIssue({ owner: this.owner, repo: this.repo, issue_number: target.issueNumber, content });
    }
  }

  async closeIssue(issueNumber: number, reason: "completed" | "not_planned"): Promise<void> {
    await this.#octokit.rest.issues.update({ owner: this.owner, repo: this.repo, issue_number: issueNumber, state: "closed", state_reason: reason });
  }

  /**
   * The Conversation port for one request issue: the status comment is looked up once, then
   * created or edited in place.
   */
  conversation(params: { issueNumber: number; commentId?: number; marker: string }): Conversation {
    let existing: Promise<MarkedComment | null> | null = null;
    // A failed read is read again next time (the fault report needs it), never remembered.
    const find = () => (existing ??= this.findMarkedComment(params.issueNumber, params.marker).catch((error: unknown) => {
      existing = null;
      throw error;
    }));
    return {
      readStatusComment: async () => (await find())?.body ?? null,
      ensureStatusComment: async (body: string) => {
        const written = await this.ensureComment({ issueNumber: params.issueNumber, existing: await find(), body });
        existing = Promise.resolve(written);
      },
      react: (content: Reaction) => this.react({ issueNumber: params.issueNumber, ...(params.commentId !== undefined ? { commentId: params.commentId } : {}) }, content),
      close: () => this.closeIssue(params.issueNumber, "completed"),
    };
  }

  /** Adds labels to an issue; GitHub creates a label the repository does not have yet. */
  async addIssueLabels(issueNumber: number, labels: readonly string[]): Promise<void> {
    await this.#octokit.rest.issues.addLabels({ owner: this.owner, repo: this.repo, issue_number: issueNumber, labels: [...labels] });
  }

  /**
   * The request issue as Argo CD's statuses need it. An issue that is gone (deleted: 404, or 410)
   * reads as one without a status comment, so the status is ignored and nothing is written.
   */
  deliveryConversation(params: { issueNumber: number; marker: string }): DeliveryConversation {
    const base = this.conversation(params);
    return {
      ...base,
      readStatusComment: () =>
        base.readStatusComment().catch((error: unknown) => {
          if (hasStatus(error, 404) || hasStatus(error, 410)) return null;
          throw error;
        }),
      notify: async (body: string) => {
        await this.#octokit.rest.issues.createComment({ owner: this.owner, repo: this.repo, issue_number: params.issueNumber, body });
      },
      addLabel: (name: string) => this.addIssueLabels(params.issueNumber, [name]),
    };
  }

  /** The CommitReader port: any commit of this repository, one listing per commit, blobs from the cache. */
  commitFiles(): CommitReader {
    return {
      listFiles: async (commit: string) => (await this.readCommit(commit)).entries.filter((e) => e.type === "blob").map((e) => ({ path: e.path, sha: e.sha })),
      readBlob: (sha: string) => this.readBlob(sha),
    };
  }

  /** The AccessReader port over this (request) repository and its organisation's teams. */
  accessReader(): AccessReader {
    return { permissionOf: (login) => this.getPermission(login), isTeamMember: (team, login) => this.isTeamMember(team, login) };
  }

  /** A text file of the default branch (or of `ref`), or null when it does not exist (raw media type: no base64). */
  async readTextFile(path: string, ref?: string): Promise<string | null> {
    const found = await nullIfNotFound(this.#octokit.rest.repos.getContent({ owner: this.owner, repo: this.repo, path, mediaType: { format: "raw" }, ...(ref ? { ref } : {}) }));
    return found === null ? null : typeof found.data === "string" ? found.data : null;
  }

  /**
   * A configuration file through Probot's config loader (so `_extends` works): the merged
   * content, null when the file does not exist, or why it could not be read. `ref` reads this
   * repository's file at a commit or branch instead of the default branch (`_extends` bases
   * always come from their repository's default branch).
   */
  async readConfig(path: string, ref?: string): Promise<{ raw: unknown } | { error: { reason: string; line?: number; column?: number } }> {
    try {
      const { config, files } = await this.#octokit.config.get({ owner: this.owner, repo: this.repo, path, ...(ref ? { branch: ref } : {}) });
      return { raw: files.some((f) => f.config !== null) ? config : null };
    } catch (error) {
      if (isRequestError(error)) throw withContext(`reading ${path} of ${this.fullName}`, error);
      // The loader throws plain errors for bad YAML and bad `_extends`; its cause has the position.
      const cause = (error as { cause?: { message?: unknown; linePos?: { line: number; col: number }[] } }).cause;
      const position = cause?.linePos?.[0];
      const reason = typeof cause?.message === "string" ? cause.message.split("\n")[0]! : (error as Error).message.replace(/^\[@probot\/octokit-plugin-config\] /, "");
      return { error: { reason, ...(position ? { line: position.line, column: position.col } : {}) } };
    }
  }
}

/**
 * The App's own endpoints, called with the App's JWT (`probot.auth()` without an installation):
 * its webhook deliveries. https://docs.github.com/rest/apps/webhooks
 */
export class AppGateway {
  readonly #octokit: GitHubOctokit;

  constructor(octokit: GitHubOctokit) {
    this.#octokit = octokit;
  }

  /**
   * Delivery attempts from `since` (epoch ms) on, newest first, following GitHub's cursor pages
   * only as far back as `since`, and at most `maxPages` pages. `complete` is false when the
   * page limit stopped the listing before `since`.
   */
  async listDeliveries(params: { since: number; maxPages: number }): Promise<{ attempts: DeliveryAttempt[]; pages: number; complete: boolean }> {
    const attempts: DeliveryAttempt[] = [];
    let pages = 0;
    let complete = true;
    await this.#octokit.paginate(this.#octokit.rest.apps.listWebhookDeliveries, { per_page: 100 }, (response, done) => {
      pages++;
      let reachedSince = response.data.length < 100;
      for (const item of response.data) {
        const deliveredAt = Date.parse(item.delivered_at);
        if (deliveredAt < params.since) reachedSince = true;
        else attempts.push({ id: item.id, guid: item.guid, deliveredAt, statusCode: item.status_code, event: item.action ? `${item.event}.${item.action}` : item.event });
      }
      if (reachedSince) done();
      else if (pages >= params.maxPages) {
        complete = false;
        done();
      }
      return [];
    });
    return { attempts, pages, complete };
  }

  /** Asks GitHub to deliver an event again (202: it will, at once). */
  async redeliver(deliveryId: number): Promise<void> {
    await this.#octokit.rest.apps.redeliverWebhookDelivery({ delivery_id: deliveryId });
  }
}
