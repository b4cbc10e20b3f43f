/**
 * The merge gate of the bot's own pull requests (`autoMerge`): facts in, a decision out. The shell
 * gathers the facts (commits, reviews, the policy check, permissions and memberships) as far as
 * the decision needs them; nothing here talks to GitHub.
 */

import type { RequiredCheckMissing } from "./required-checks.js";

/** One commit of the pull request, as GitHub lists it. */
export interface PullRequestCommit {
  sha: string;
  /** GitHub accounts GitHub matched the commit's author and committer to (null: none). */
  author: string | null;
  committer: string | null;
  /** Whether GitHub verified the commit's signature (its own, for commits the App made through the API). */
  verified: boolean;
  /** GitHub's reason (`valid`, `unsigned`, …). */
  verification: string;
}

/** One submitted review. */
export interface PullRequestReview {
  login: string;
  /** `User` or `Bot`. */
  accountType: string;
  /** `APPROVED`, `CHANGES_REQUESTED`, `COMMENTED`, `DISMISSED` or `PENDING`. */
  state: string;
  /** The commit the review was given on. */
  commitId: string | null;
}

/** The bot's own policy Check Run on the head commit; null when it has none. */
export interface PolicyCheckState {
  status: string;
  conclusion: string | null;
  url: string | null;
}

/** Why the bot will not merge this pull request at all (until its commits are all the bot's again). */
export type AutoMergeOff =
  | { kind: "foreign-commit"; sha: string; author: string | null; committer: string | null }
  | { kind: "unverified-commit"; sha: string; verification: string }
  | { kind: "too-many-commits"; listed: number };

/** What the merge still waits for. */
export type MissingItem =
  | { kind: "check"; state: "missing" | "pending" | "failed"; conclusion: string | null; url: string | null }
  | { kind: "changes-requested"; by: string[] }
  /** A configured reviewer (login or `org/team`) has not approved the head commit. */
  | { kind: "approval"; reviewer: string }
  /** No reviewer is configured for the request: one approval by someone with write access. */
  | { kind: "any-approval" }
  /** A check branch protection or a ruleset requires (CI) does not pass on the head commit yet. */
  | RequiredCheckMissing;

/** Approvals that exist but do not count, so the report can say why. */
export interface IgnoredApprovals {
  /** Approved an earlier commit. */
  stale: string[];
  /** The requester approving their own request. */
  requester: boolean;
  /** Approvers without write access to the repository. */
  withoutWriteAccess: string[];
}

export type AutoMergeDecision =
  | { kind: "wait"; missing: MissingItem[]; approvedBy: string[]; ignored: IgnoredApprovals }
  | { kind: "merge"; approvedBy: string[]; ignored: IgnoredApprovals };

/** GitHub lists at most 250 commits of a pull request (https://docs.github.com/rest/pulls/pulls#list-commits-on-a-pull-request). */
export const MAX_LISTED_COMMITS = 250;

const same = (a: string | null, b: string) => a !== null && a.toLowerCase() === b.toLowerCase();

/**
 * The first commit of the pull request that is not the App's own: authored or committed by anyone
 * else, or not signed by GitHub. An unsigned commit is refused even when it names the App: anyone
 * can write the App's e-mail address into a commit, but only GitHub signs the commits the App makes
 * through the API. Null when every commit is the App's.
 */
export function findForeignCommit(params: {
  commits: readonly PullRequestCommit[];
  complete: boolean;
  appLogin: string;
}): AutoMergeOff | null {
  if (!params.complete) return { kind: "too-many-commits", listed: params.commits.length };
  for (const commit of params.commits) {
    if (!same(commit.author, params.appLogin) || !same(commit.committer, params.appLogin))
      return { kind: "foreign-commit", sha: commit.sha, author: commit.author, committer: commit.committer };
    if (!commit.verified) return { kind: "unverified-commit", sha: commit.sha, verification: commit.verification };
  }
  return null;
}

/**
 * Each reviewer's standing review, as GitHub reads it: the latest that approved, asked for
 * changes or was dismissed (a comment alone changes nothing).
 */
function standingReviews(reviews: readonly PullRequestReview[]): Map<string, PullRequestReview> {
  const standing = new Map<string, PullRequestReview>();
  for (const review of reviews) {
    if (review.state !== "APPROVED" && review.state !== "CHANGES_REQUESTED" && review.state !== "DISMISSED") continue;
    standing.set(review.login.toLowerCase(), review);
  }
  return standing;
}

/**
 * Whose approval may count: people whose standing review approves the head commit, other than the
 * requester and bots. An approval counts only for the commit it was given on, so a later push of
 * the bot (a resize) is reviewed again, with or without "dismiss stale approvals".
 */
export function approvalCandidates(params: { reviews: readonly PullRequestReview[]; headSha: string; requester: string }): {
  candidates: string[];
  stale: string[];
  requester: boolean;
} {
  const candidates: string[] = [];
  const stale: string[] = [];
  let requester = false;
  for (const review of standingReviews(params.reviews).values()) {
    if (review.state !== "APPROVED" || review.accountType === "Bot") continue;
    if (same(review.login, params.requester)) requester = true;
    else if (review.commitId !== params.headSha) stale.push(review.login);
    else candidates.push(review.login);
  }
  return { candidates: candidates.sort(), stale: stale.sort(), requester };
}

/** The policy check's part of the decision: passed (success, or warnings only), or what is missing. */
function checkMissing(check: PolicyCheckState | null): MissingItem | null {
  if (check === null) return { kind: "check", state: "missing", conclusion: null, url: null };
  if (check.status !== "completed") return { kind: "check", state: "pending", conclusion: null, url: check.url };
  // `neutral` is the check's "warnings only"; GitHub's branch protection counts it as passing too.
  if (check.conclusion === "success" || check.conclusion === "neutral") return null;
  return { kind: "check", state: "failed", conclusion: check.conclusion, url: check.url };
}

/**
 * Decides whether the bot merges its pull request now. It merges when every configured reviewer
 * approved the head commit (a team: one of its members), or, when none is configured, someone
 * did; when nobody's changes request stands; and when the bot's own policy check passed on the
 * head commit. Approvals count only from people with write access (`writers`, learned by the
 * shell for the candidates), never from the requester: the bot does nothing its approvers could
 * not have done themselves.
 */
export function decideAutoMerge(params: {
  headSha: string;
  requester: string;
  /** Reviewers the request needs: logins and `org/team-slug` teams. */
  required: readonly string[];
  reviews: readonly PullRequestReview[];
  check: PolicyCheckState | null;
  /** Candidates (see {@link approvalCandidates}) with write access to the repository. */
  writers: ReadonlySet<string>;
  /** Required team (`org/team-slug`) -> a writer among the candidates who is its member, or null. */
  teamApprovers: ReadonlyMap<string, string | null>;
}): AutoMergeDecision {
  const { candidates, stale, requester } = approvalCandidates(params);
  const writers = new Set([...params.writers].map((w) => w.toLowerCase()));
  const approvedBy = candidates.filter((c) => writers.has(c.toLowerCase()));
  const ignored: IgnoredApprovals = { stale, requester, withoutWriteAccess: candidates.filter((c) => !writers.has(c.toLowerCase())) };

  const missing: MissingItem[] = [];
  const check = checkMissing(params.check);
  if (check) missing.push(check);
  const changes = [...standingReviews(params.reviews).values()].filter((r) => r.state === "CHANGES_REQUESTED").map((r) => r.login);
  if (changes.length > 0) missing.push({ kind: "changes-requested", by: changes.sort() });
  for (const reviewer of params.required) {
    const satisfied = reviewer.includes("/")
      ? (params.teamApprovers.get(reviewer) ?? null) !== null
      : approvedBy.some((a) => same(a, reviewer));
    if (!satisfied) missing.push({ kind: "approval", reviewer });
  }
  if (params.required.length === 0 && approvedBy.length === 0) missing.push({ kind: "any-approval" });
  return missing.length === 0 ? { kind: "merge", approvedBy, ignored } : { kind: "wait", missing, approvedBy, ignored };
}
