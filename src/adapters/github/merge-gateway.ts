import type { MergeMethod } from "../../core/config/bot-config.schema.js";
import {
  MAX_LISTED_COMMITS,
  type PolicyCheckState,
  type PullRequestCommit,
  type PullRequestReview,
} from "../../core/merge/decide-auto-merge.js";
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
    if (!found) return null;
    const pull = found.data;
    return {
      number: pull.number,
      url: pull.html_url,
      state: pull.state === "closed" ? "closed" : "open",
      merged: pull.merged,
      mergedAt: pull.merged_at,
      mergeCommitSha: pull.merge_commit_sha,
      draft: pull.draft === true,
      author: { login: pull.user.login, type: pull.user.type },
      body: pull.body,
      headSha: pull.head.sha,
      headRef: pull.head.ref,
      headRepository: pull.head.repo?.full_name ?? null,
    };
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
