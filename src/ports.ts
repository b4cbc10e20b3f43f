import type { BotConfig } from "./core/config/bot-config.schema.js";
import type { FileFacts } from "./core/manifests/plan-manifest-reads.js";
import type { RequestOutcome } from "./core/metrics/request-outcome.js";
import type { ExceptionRecord, PolicyApproval } from "./core/policy/approvals/policy-approvals.js";
import type { Problem, Result } from "./core/problems.js";
import type { DeliveryAttempt } from "./core/redelivery/plan-redeliveries.js";
import type { CheckConclusion } from "./core/report/check-output.js";
import type { CheckRunUpdate } from "./core/report/check-run-updates.js";
import type { ReviewRequestResult } from "./core/report/refused-reviewers.js";
import type { IssueRef } from "./core/request/application-annotations.js";
import type { SchemaCatalog } from "./core/validate/schema/schema-catalog.js";
import type { ManifestFileLoad } from "./core/manifests/load-manifests.js";

/**
 * The interfaces workflows need from the outside world, all of them imported from this one file.
 * The GitHub gateway and the local adapters implement them, so the App and the CLI share one
 * implementation of every workflow; an adapter imports its contract from here (and data types from
 * core), never from a workflow (test/architecture/layering.test.ts). A concern whose contract would
 * push this file past 400 lines is kept beside it in src/ports/ and re-exported below (the merge
 * gate's), so there is still one place to look.
 */

// ---- reading files ------------------------------------------------------------------------------

/** A file of the GitOps repository at the base branch, identified by its git blob SHA. */
export interface TreeEntry {
  path: string;
  /** Git blob SHA-1 of the content (`git hash-object`), so unchanged files need no download. */
  sha: string;
}

/** Reads the GitOps repository at its base branch. */
export interface RepoReader {
  /** Every file of the base branch, recursively, with blob SHAs (one request on GitHub). */
  listFiles(): Promise<TreeEntry[]>;
  /** A file's text at the base branch, or null when it does not exist. */
  readFile(path: string): Promise<string | null>;
}

/** Read access to a tree of files: a directory on disk, or a repository at a commit. */
export interface FileSource {
  /** Every file path, `/`-separated, relative to the source's root. */
  listFiles(): Promise<string[]>;
  /** The file's text, or null when it does not exist (any more) or cannot be read. */
  readFile(path: string): Promise<string | null>;
  /** What is known before reading (size, blob SHA, a link that must not be followed); sources that know nothing leave it out. */
  describeFile?(path: string): Promise<FileFacts>;
  /** Announces the files about to be read, so a source can fetch them in one go. */
  prefetch?(paths: readonly string[]): Promise<void>;
}

/** Parsed manifest files kept across checks by blob SHA, path and YAML limits (an LRU in the App). */
export interface ManifestFileCache {
  get(key: string): ManifestFileLoad | undefined;
  set(key: string, value: ManifestFileLoad): void;
}

/** One commit's files; `prefetch` announces many reads at once, so an adapter can batch them. */
export interface CommitReader extends RepoReader {
  prefetch?(paths: readonly string[]): Promise<void>;
  /** Facts before reading: the size and blob SHA, or why a file (a symbolic link leaving the repository) is not read. */
  describeFile?(path: string): Promise<FileFacts>;
}

/** Reads a file of any commit of the GitOps repository by its path: one request, none for a file read before. */
export interface CommitFileReader {
  /** The file's text at `commit`, or null when that commit has no such file. */
  readFile(params: { commit: string; path: string }): Promise<string | null>;
}

/** The files a `kyverno test` folder names: read them, or say whether one exists. */
export interface TestFileReader {
  readFile(file: string): Promise<string>;
  exists(file: string): Promise<boolean>;
}

/** Compiled schemas per Kubernetes version, loaded (I/O) behind a port: each validator once per process. */
export interface SchemaLoader {
  /** The Kubernetes minor versions (`1.33`) it has a schema set for, oldest first; never empty. */
  readonly kubernetesVersions: readonly string[];
  /** One set's catalog of these kinds (kinds without a schema are absent): `kubernetesVersion`'s (chooseSchemaSet), else the newest. */
  load(kinds: readonly { apiVersion: string; kind: string }[], kubernetesVersion?: string): Promise<SchemaCatalog>;
}

// ---- writing a change: one branch, one commit, one pull request ------------------------------

/** One file change of a changeset: `content: null` deletes the file. */
export interface FileWrite {
  path: string;
  content: string | null;
}

export interface PullRequestDraft {
  title: string;
  body: string;
  labels: string[];
  /** Reviewers: user logins and `org/team-slug` teams. */
  reviewers: string[];
}

export interface PublishResult {
  /** Commit SHA written, or null when the branch already had exactly these files (nothing written). */
  commit: string | null;
  /** The pull request converged on; null for publishers that open none (the CLI's local clone). */
  pullRequest: { number: number; url: string; created: boolean } | null;
  /** What did not stop the write but the requester should know: a reviewer GitHub would not ask. */
  warnings: Problem[];
}

/** Writes one branch with one commit of all changes, then creates or updates its pull request. */
export interface ChangePublisher {
  publish(params: {
    branch: string;
    baseBranch: string;
    commitMessage: string;
    changes: FileWrite[];
    pullRequest: PullRequestDraft;
  }): Promise<PublishResult>;
}

/** The GitOps repository as a request sees it: its base branch, and where the change is published. */
export interface GitOpsPorts {
  repo: RepoReader;
  publisher: ChangePublisher;
}

// ---- the request issue ----------------------------------------------------------------------------

/** Where a request's feedback goes: one status comment, edited in place, and a reaction. */
export interface Conversation {
  /** The body of the bot's own status comment on the request, or null when there is none yet. */
  readStatusComment(): Promise<string | null>;
  ensureStatusComment(body: string): Promise<void>;
  react(content: "+1" | "-1" | "eyes" | "rocket" | "confused" | "hooray"): Promise<void>;
  /** Whether a bot (this App) already left this reaction on the triggering comment or issue: a redelivery then adds none. */
  hasReaction(content: "+1" | "-1" | "eyes" | "rocket" | "confused" | "hooray"): Promise<boolean>;
  /** Closes the request issue as done (its pull request merged). */
  close(): Promise<void>;
}

/** The request issue as Argo CD's statuses find it: the bot's status comment (null: none), and its state. */
export interface DeliveryIssueState {
  statusComment: string | null;
  open: boolean;
}

/** Everything one Argo CD status writes on its request issue. */
export interface DeliveryWrites {
  /** The status comment's new body, edited in place (not written when unchanged). */
  statusComment: string;
  /** A new comment: unlike an edit, it notifies everyone subscribed to the issue. Null for none. */
  notice: string | null;
  /** Add the failure label the port was opened with (created when the repository has none yet). */
  addLabel: boolean;
  /** Close the issue as completed (nothing to do when it is closed already). */
  close: boolean;
}

/**
 * The request issue as Argo CD's statuses need it: one read (null when the issue is gone), then all
 * of a status's writes at once, which GitHub's adapter sends as one GraphQL mutation document.
 */
export interface DeliveryIssue {
  read(): Promise<DeliveryIssueState | null>;
  write(writes: DeliveryWrites): Promise<void>;
}

/** The request side of a bot's pull request: its issue's repository configuration and conversation. */
export interface RequestIssuePorts {
  readConfig(): Promise<Result<BotConfig | null>>;
  conversation: Conversation;
}

/** Who may request: facts about a person, from the request repository and its organisation. */
export interface AccessReader {
  /** Permission on the request repository (`read` ... `admin`), or null for none. */
  permissionOf(login: string): Promise<"read" | "triage" | "write" | "maintain" | "admin" | null>;
  /** True when the person is an active member of `org/team-slug`. */
  isTeamMember(team: string, login: string): Promise<boolean>;
}

/**
 * An expected failure a port reports to the requester instead of failing the delivery, such as a
 * GitOps repository the App cannot reach. Workflows render its problem; other errors are faults.
 */
export class PortProblemError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.message);
    this.name = "PortProblemError";
    this.problem = problem;
  }
}

// ---- the policy check of a pull request ----------------------------------------------------------

/** A pull request as the policy check needs to know it. */
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
  /** Logins whose review is pending. */
  requestedReviewers: readonly string[];
  /** Team slugs whose review is pending. */
  requestedTeams: readonly string[];
  /** The head branch, and whether it lives in this repository (not a fork): where the App can push. */
  headRef?: string;
  headInRepository?: boolean;
}

/** The one Check Run of a check: created in progress, then updated until it concludes. */
export interface CheckRunPort {
  start(): Promise<void>;
  update(update: CheckRunUpdate): Promise<void>;
}

/** What the policy check of one pull request needs from GitHub. */
export interface PullRequestCheckPorts {
  /**
   * The commit the head branched from (GitHub's comparison of base and head); null when they share
   * no history. The changed files are the difference of its tree and the head's.
   */
  mergeBase(): Promise<string | null>;
  /** The repository's files at a commit (the head for manifests, the base for policies). */
  readCommit(sha: string): CommitReader;
  /** The bot's configuration as committed at `ref`, validated. */
  readConfigAt(ref: string): Promise<Result<BotConfig | null>>;
  /** This App's own login (`slug[bot]`), asked only for a pull request opened by a bot. */
  appLogin?: () => Promise<string | null>;
  /** Approvals recorded by an earlier Check Run of this pull request (the previous head's, or this head's on a re-run). */
  readApprovals?: () => Promise<PolicyApproval[]>;
  /** Teams in the owner's organisation: one membership, or all of a person's teams (lower case, and those above); null for a user. */
  teams: { isMember(team: string, login: string): Promise<boolean>; all(login: string): Promise<ReadonlySet<string>> } | null;
  listReviewers(): Promise<string[]>;
  /** Asks for review: whom GitHub accepted, and whom it would not ask (for the summary). */
  requestReviewers(reviewers: readonly string[]): Promise<ReviewRequestResult>;
  checkRun: CheckRunPort;
}

// ---- auto-merge of the bot's pull requests: src/ports/auto-merge-ports.ts --------------------------

export type { AutoMergePorts, GatedPullRequest } from "./ports/auto-merge-ports.js";

// ---- a template rollout ---------------------------------------------------------------------------

/** What a rollout needs from the GitOps repository and the request issues. */
export interface RolloutPorts {
  /** The base branch as it is now (one listing), its head commit, and a hint of the files about to be read. */
  base: RepoReader & { commit(): Promise<string>; prefetch(paths: readonly string[]): Promise<void> };
  /** The repository at an earlier commit: the previous template version. */
  at(commit: string): RepoReader;
  /** Writes one upgrade branch and its pull request, like a request's. */
  publish(params: Parameters<ChangePublisher["publish"]>[0] & { branchMayExist: boolean }): ReturnType<ChangePublisher["publish"]>;
  /** Head branches of the open upgrade pull requests. */
  listOpenUpgradeBranches(): Promise<ReadonlySet<string>>;
  /** The rollout issue of the GitOps repository: its body (null: none yet), written in place. */
  rolloutIssue: { read(): Promise<string | null>; write(body: string, open: boolean): Promise<void> };
  /** The status comment of a request issue. */
  requestIssue(issue: IssueRef): Pick<Conversation, "readStatusComment" | "ensureStatusComment">;
  /** Web address of a commit of the GitOps repository; null where there is none (a local clone). */
  commitUrl(commit: string): string | null;
}

// ---- the App's own running ------------------------------------------------------------------------

/** Blob hashing is the only non-pure computation planning needs (node:crypto lives in the shell). */
export type BlobHasher = (content: string) => string;

/** How a webhook's handling ended: a handler ran to its end, threw, found no handler, or another replica had it. */
export type WebhookOutcome = "handled" | "failed" | "ignored" | "duplicate";

/**
 * What the App counts about its own work (Prometheus in production, nothing in the CLI). Handlers
 * report at their result points; labels are made bounded by the implementation, never by callers.
 */
export interface Telemetry {
  webhook(params: { event: string; action: string; outcome: WebhookOutcome; seconds: number }): void;
  requestEnded(outcome: RequestOutcome): void;
  pullRequest(change: "opened" | "updated"): void;
  /** A policy check's conclusion (`failed` when it threw) and the policies of its findings. */
  policyCheck(params: { conclusion: string; findings: readonly { policy: string }[] }): void;
  /** One GitHub API request: `route` is its template, never the expanded path. */
  githubRequest(params: { method: string; route: string; status: number; seconds: number }): void;
  rateLimitRemaining(params: { installation: number; remaining: number }): void;
  /** A failed delivery asked again of GitHub (`redelivered`) or whose redelivery request failed. */
  redelivery(outcome: "redelivered" | "failed"): void;
  /** After a redelivery run: failed events still waiting (asked for now or left for the next run) and those given up on. */
  redeliveryBacklog(params: { waiting: number; givenUp: number }): void;
}

/** Counts nothing: the CLI and tests that do not look at metrics. */
export const NO_TELEMETRY: Telemetry = {
  webhook: () => undefined,
  requestEnded: () => undefined,
  pullRequest: () => undefined,
  policyCheck: () => undefined,
  githubRequest: () => undefined,
  rateLimitRemaining: () => undefined,
  redelivery: () => undefined,
  redeliveryBacklog: () => undefined,
};

/**
 * Which replica handles a delivery. A delivery reaches one replica, but a redelivery of it may reach
 * another while the first still works on it; replicas sharing Redis then handle it once.
 */
export interface DeliveryClaims {
  /** True when this replica may handle `key` (one delivery and handler): nobody has or had it. */
  claim(key: string): Promise<boolean>;
  /** The handling succeeded: later copies of the delivery are duplicates. */
  complete(key: string): Promise<void>;
  /** The handling failed: a redelivery may be handled again. */
  release(key: string): Promise<void>;
}

/** One replica: every delivery is its own (handling is idempotent, so a duplicate is harmless). */
export const SOLE_REPLICA: DeliveryClaims = {
  claim: async () => true,
  complete: async () => undefined,
  release: async () => undefined,
};

/** The App's webhook deliveries as GitHub records them (app-level, JWT). */
export interface DeliveryLog {
  /** Attempts from `since` (epoch ms) on, at most `maxPages` pages; `complete` false when cut. */
  listDeliveries(params: { since: number; maxPages: number }): Promise<{ attempts: DeliveryAttempt[]; pages: number; complete: boolean }>;
  redeliver(deliveryId: number): Promise<void>;
}

/** What `/approve-policy` needs from GitHub: the owner's teams, the pull request, its Check Run, a reply. */
export interface ApprovePolicyPorts {
  /** Membership in `org/team-slug`; null when the repository belongs to a user (no teams). */
  isTeamMember: ((team: string, login: string) => Promise<boolean>) | null;
  getPullRequest(): Promise<{
    state: "open" | "closed";
    headSha: string;
    baseRef: string;
    headRef?: string;
    headInRepository?: boolean;
  } | null>;
  /** This App's latest concluded policy Check Run on the commit that holds an exception record. */
  findCheckRecord(headSha: string): Promise<{ checkRunId: number; summary: string; record: ExceptionRecord } | null>;
  concludeCheckRun(checkRunId: number, output: { conclusion: CheckConclusion; title: string; summary: string }): Promise<void>;
  reply(body: string): Promise<void>;
  acknowledge(): Promise<void>;
  /** Commits files on top of `parent` at the tip of the pull request's branch (fast-forward only); null when nothing was written. */
  appendToBranch(params: { branch: string; parent: string; message: string; files: readonly FileWrite[] }): Promise<string | null>;
}
