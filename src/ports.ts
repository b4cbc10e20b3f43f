import type { DeliveryAttempt } from "./core/redelivery/plan-redeliveries.js";
import type { Problem } from "./core/problems.js";
import type { RequestOutcome } from "./core/metrics/request-outcome.js";
import type { SchemaCatalog } from "./core/validate/schema/schema-catalog.js";

/**
 * The interfaces workflows need from the outside world. The GitHub gateway and the local git
 * adapter both implement them, so the App and the CLI share one implementation of every workflow.
 */

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

/** Reads a file of any commit of the GitOps repository by its path: one request, none for a file read before. */
export interface CommitReader {
  /** The file's text at `commit`, or null when that commit has no such file. */
  readFile(params: { commit: string; path: string }): Promise<string | null>;
}

/** The request issue as Argo CD's statuses need it: the status comment, plus a notifying comment and a label. */
export interface DeliveryConversation extends Conversation {
  /** A new comment: unlike an edit, it notifies everyone subscribed to the issue. */
  notify(body: string): Promise<void>;
  addLabel(name: string): Promise<void>;
}

/**
 * Compiled schemas for the kinds a check meets. Loading is I/O (modules from the schema packages),
 * so it sits behind a port; an implementation compiles or imports each validator once per process.
 */
export interface SchemaLoader {
  /** The catalog covering these kinds; kinds without a known schema are simply absent from it. */
  load(kinds: readonly { apiVersion: string; kind: string }[]): Promise<SchemaCatalog>;
}

/** The App's webhook deliveries as GitHub records them (app-level, JWT). */
export interface DeliveryLog {
  /** Attempts from `since` (epoch ms) on, at most `maxPages` pages; `complete` false when cut. */
  listDeliveries(params: { since: number; maxPages: number }): Promise<{ attempts: DeliveryAttempt[]; pages: number; complete: boolean }>;
  redeliver(deliveryId: number): Promise<void>;
}
