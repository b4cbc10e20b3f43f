import type { MergeMethod } from "../../core/config/bot-config.schema.js";
import {
  MAX_LISTED_COMMITS,
  type PolicyCheckState,
  type PullRequestCommit,
  type PullRequestReview,
} from "../../core/merge/decide-auto-merge.js";
import type { CommitCheckRun, CommitStatus, RequiredCheck } from "../../core/merge/required-checks.js";
import { errorMessage, isRequestError, nullIfNotFound } from "./errors.js";
import type { GatedPullRequest } from "../../ports.js";
import type { GitHubGateway } from "./gateway.js";
import type { GitHubOctokit } from "./github-repository.js";
import type { MarkedComment } from "./issue-comments.js";

/** How a merge ended: merged, or refused by GitHub with its status and message. */
export type MergeOutcome = { merged: true; sha: string } | { merged: false; status: number; message: string };

/** Answers of the merge API that mean "not now" rather than a fault: https://docs.github.com/rest/pulls/pulls#merge-a-pull-request */
const REFUSALS = new Set([403, 405, 409, 422]);

/**
 * The GitHub calls of the merge gate, next to the gateway they extend: a pull request's commits,
 * reviews and the bot's Check Run on its head, the merge itself, and the gate's one comment.
 */
export class MergeGateway {
  readonly #octokit: GitHubOctokit;
  readonly #gateway: GitHubGateway;

  constructor(params: { octokit: GitHubOctokit; gateway: GitHubGateway }) {
    this.#octokit = params.octokit;
    this.#gateway = params.gateway;
  }

  /** The pull request, or null when it does not exist. */
  async getPullRequest(pullNumber: number): Promise<GatedPullRequest | null> {
    const { owner, repo } = this.#gateway;
    const found = await nullIfNotFound(this.#octokit.rest.pulls.get({ owner, repo, pull_number: pullNumber }));
    return found ? gatedPullRequest({ ...found.data, merged: found.data.merged }) : null;
  }

  /**
   * The open pull requests of this repository whose head is `sha`, in one request: what a commit
   * status (which names only a commit) belongs to. GitHub lists the open pull requests of a commit
   * that is not on the default branch, and the merged one that brought it there otherwise.
   */
  async openPullRequestsAt(sha: string): Promise<GatedPullRequest[]> {
    const { owner, repo } = this.#gateway;
    const { data } = await this.#octokit.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: sha, per_page: 100 });
    const here = `${owner}/${repo}`.toLowerCase();
    return data
      .filter((p) => p.state === "open" && p.head.sha === sha && p.base.repo.full_name.toLowerCase() === here)
      .map((p) => gatedPullRequest({ ...p, merged: p.merged_at !== null }));
  }

  /**
   * The checks required to merge into `branch`: branch protection's (as `GET branches/{branch}`
   * shows them to anyone who may read the repository; the protection endpoint itself needs admin)
   * and the active rulesets' (`GET rules/branches/{branch}`, metadata read). Two requests.
   */
  async requiredChecks(branch: string): Promise<{ protection: RequiredCheck[]; rulesets: RequiredCheck[] }> {
    const { owner, repo } = this.#gateway;
    const found = await nullIfNotFound(this.#octokit.rest.repos.getBranch({ owner, repo, branch }));
    const classic = found?.data.protection?.required_status_checks;
    // `checks` pins contexts to Apps; older answers carry only `contexts`. app_id -1 or absent: any source.
    const protection = classic
      ? classic.checks.length > 0
        ? classic.checks.map((c) => ({ context: c.context, appId: c.app_id === null || c.app_id === -1 ? null : c.app_id }))
        : classic.contexts.map((context) => ({ context, appId: null }))
      : [];
    const rules = await nullIfNotFound(
      this.#octokit.paginate(this.#octokit.rest.repos.getBranchRules, { owner, repo, branch, per_page: 100 }),
    );
    const rulesets = (rules ?? []).flatMap((rule) =>
      rule.type === "required_status_checks"
        ? (rule.parameters?.required_status_checks ?? []).map((c) => ({ context: c.context, appId: c.integration_id ?? null }))
        : [],
    );
    return { protection, rulesets };
  }

  /** The latest check run of each name and App on `sha`. */
  async listCheckRuns(sha: string): Promise<CommitCheckRun[]> {
    const { owner, repo } = this.#gateway;
    const runs = await this.#octokit.paginate(this.#octokit.rest.checks.listForRef, {
      owner,
      repo,
      ref: sha,
      filter: "latest",
      per_page: 100,
    });
    return runs.map((r) => ({ name: r.name, appId: r.app?.id ?? null, status: r.status, conclusion: r.conclusion, url: r.html_url }));
  }

  /** The latest commit status of each context on `sha` (GitHub's combined status; its first 100 contexts). */
  async listStatuses(sha: string): Promise<CommitStatus[]> {
    const { owner, repo } = this.#gateway;
    const { data } = await this.#octokit.rest.repos.getCombinedStatusForRef({ owner, repo, ref: sha, per_page: 100 });
    return data.statuses.map((s) => ({ context: s.context, state: s.state, url: s.target_url }));
  }

  /** The pull request's commits; `complete` is false when GitHub's listing stops (250 commits). */
  async listCommits(pullNumber: number): Promise<{ commits: PullRequestCommit[]; complete: boolean }> {
    const { owner, repo } = this.#gateway;
    const listed = await this.#octokit.paginate(this.#octokit.rest.pulls.listCommits, {
      owner,
      repo,
      pull_number: pullNumber,
      per_page: 100,
    });
    const commits = listed.map((c) => ({
      sha: c.sha,
      author: c.author?.login ?? null,
      committer: c.committer?.login ?? null,
      verified: c.commit.verification?.verified === true,
      verification: c.commit.verification?.reason ?? "unknown",
    }));
    return { commits, complete: commits.length < MAX_LISTED_COMMITS };
  }

  /** Every submitted review, oldest first, with the commit it was given on. */
  async listReviews(pullNumber: number): Promise<PullRequestReview[]> {
    const { owner, repo } = this.#gateway;
    const reviews = await this.#octokit.paginate(this.#octokit.rest.pulls.listReviews, {
      owner,
      repo,
      pull_number: pullNumber,
      per_page: 100,
    });
    return reviews.flatMap((r) =>
      r.user ? [{ login: r.user.login, accountType: r.user.type, state: r.state, commitId: r.commit_id }] : [],
    );
  }

  /**
   * The latest Check Run named `name` on `ref` that the App `appSlug` made; null when there is none.
   * Filtering by app matters: any workflow job can be called the same.
   */
  async findCheckRun(params: { ref: string; name: string; appSlug: string }): Promise<PolicyCheckState | null> {
    const { owner, repo } = this.#gateway;
    const { data } = await this.#octokit.rest.checks.listForRef({
      owner,
      repo,
      ref: params.ref,
      check_name: params.name,
      filter: "latest",
      per_page: 100,
    });
    const run = data.check_runs.find((r) => r.app?.slug === params.appSlug);
    return run ? { status: run.status, conclusion: run.conclusion, url: run.html_url } : null;
  }

  /**
   * Merges the pull request if its head is still `sha`: a push in between makes GitHub refuse
   * (409) instead of merging a commit nobody approved. A refusal (branch protection, merge
   * method, conflict) is returned, not thrown; a rate limit or an outage is thrown.
   */
  async merge(params: { pullNumber: number; sha: string; method: MergeMethod }): Promise<MergeOutcome> {
    const { owner, repo } = this.#gateway;
    try {
      const { data } = await this.#octokit.rest.pulls.merge({
        owner,
        repo,
        pull_number: params.pullNumber,
        sha: params.sha,
        merge_method: params.method,
      });
      return { merged: true, sha: data.sha };
    } catch (error) {
      if (!isRequestError(error) || !REFUSALS.has(error.status)) throw error;
      const message = errorMessage(error);
      if (error.status === 403 && /rate limit/i.test(message)) throw error;
      return { merged: false, status: error.status, message };
    }
  }

  /** The gate's one comment on the pull request: read it, and write it only when its text changes. */
  reportComment(pullNumber: number, marker: string): { read(): Promise<string | null>; write(body: string): Promise<boolean> } {
    let existing: Promise<MarkedComment | null> | null = null;
    const find = () => (existing ??= this.#gateway.issues.findMarkedComment(pullNumber, marker));
    return {
      read: async () => (await find())?.body ?? null,
      write: async (body) => {
        const found = await find();
        if (found?.body === body && !found.duplicates) return false;
        existing = Promise.resolve(await this.#gateway.issues.ensureComment({ issueNumber: pullNumber, existing: found, body }));
        return true;
      },
    };
  }
}

/** The fields of a pull request (full or listed) the gate reads. */
function gatedPullRequest(pull: {
  number: number;
  html_url: string;
  state: string;
  merged: boolean;
  merged_at: string | null;
  merge_commit_sha: string | null;
  draft?: boolean;
  user: { login: string; type: string } | null;
  body: string | null;
  head: { sha: string; ref: string; repo: { full_name: string } | null };
  base: { ref: string };
}): GatedPullRequest {
  return {
    number: pull.number,
    url: pull.html_url,
    state: pull.state === "closed" ? "closed" : "open",
    merged: pull.merged,
    mergedAt: pull.merged_at,
    mergeCommitSha: pull.merge_commit_sha,
    draft: pull.draft === true,
    author: { login: pull.user?.login ?? "ghost", type: pull.user?.type ?? "User" },
    body: pull.body,
    headSha: pull.head.sha,
    headRef: pull.head.ref,
    headRepository: pull.head.repo?.full_name ?? null,
    baseRef: pull.base.ref,
  };
}
