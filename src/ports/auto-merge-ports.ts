import type { Catalog } from "../core/catalog/load-catalog.js";
import type { BotConfig, MergeMethod } from "../core/config/bot-config.schema.js";
import type { PolicyCheckState, PullRequestCommit, PullRequestReview } from "../core/merge/decide-auto-merge.js";
import type { CommitCheckRun, CommitStatus, RequiredCheck } from "../core/merge/required-checks.js";
import type { Result } from "../core/problems.js";
import type { RepoReader, RequestIssuePorts } from "../ports.js";

/**
 * The merge gate's ports (`autoMerge`), one concern of src/ports.ts kept beside it: src/ports.ts
 * re-exports them, so workflows and adapters still import every contract from there.
 */

/** A pull request as the gate reads it, fresh from GitHub. */
export interface GatedPullRequest {
  number: number;
  url: string;
  state: "open" | "closed";
  merged: boolean;
  mergedAt: string | null;
  mergeCommitSha: string | null;
  draft: boolean;
  author: { login: string; type: string };
  body: string | null;
  headSha: string;
  headRef: string;
  headRepository: string | null;
  /** The branch it merges into. */
  baseRef: string;
}

/** What the merge gate needs from GitHub, for one pull request of the GitOps repository. */
export interface AutoMergePorts {
  /** The pull request as it is now (each call reads it again). */
  readPullRequest(): Promise<GatedPullRequest | null>;
  /** This App's login (`slug[bot]`). */
  appLogin(): Promise<string | null>;
  /** The request issue named in the pull request: its repository's configuration and status comment. */
  openRequestIssue(issue: { repository: string; number: number }): RequestIssuePorts;
  /** The GitOps repository's own configuration (what opened a template upgrade). */
  readGitOpsConfig(): Promise<Result<BotConfig | null>>;
  /** The GitOps repository's base branch: templates and the request's Application. */
  openBase(branch: string): RepoReader;
  builtinCatalog(): Promise<Catalog>;
  listCommits(): Promise<{ commits: PullRequestCommit[]; complete: boolean }>;
  listReviews(): Promise<PullRequestReview[]>;
  /** The App's own policy Check Run on `sha`. */
  readPolicyCheck(sha: string): Promise<PolicyCheckState | null>;
  /** The checks branch protection and rulesets require on `branch` (only what the App may read). */
  readRequiredChecks(branch: string): Promise<RequiredCheck[]>;
  /** The latest check runs of every App on `sha`. */
  listCheckRuns(sha: string): Promise<CommitCheckRun[]>;
  /** The latest commit status of each context on `sha`. */
  listStatuses(sha: string): Promise<CommitStatus[]>;
  /** Whether the person has write access (write, maintain, admin) to the GitOps repository. */
  canMerge(login: string): Promise<boolean>;
  isTeamMember(team: string, login: string): Promise<boolean>;
  merge(params: {
    sha: string;
    method: MergeMethod;
  }): Promise<{ merged: true; sha: string } | { merged: false; status: number; message: string }>;
  /** A file of the GitOps repository at a commit (the merge commit), null when absent. */
  readFileAt(path: string, commit: string): Promise<string | null>;
  /** The gate's one comment on the pull request; `write` returns false when the text was already there. */
  report: { read(): Promise<string | null>; write(body: string): Promise<boolean> };
}
