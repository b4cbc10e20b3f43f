import type { ProbotOctokit } from "probot";

/** The Octokit Probot hands to handlers (REST methods, paginate, config). */
export type GitHubOctokit = ProbotOctokit;

/** One repository of an installation, as every part of the gateway addresses it. */
export interface GitHubRepository {
  readonly octokit: GitHubOctokit;
  /** `{ owner, repo }`, spread into every request for this repository. */
  readonly at: { readonly owner: string; readonly repo: string };
  /** `owner/repo`, for messages. */
  readonly fullName: string;
}
