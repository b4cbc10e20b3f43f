/**
 * Webhook payloads of the policy check: pull_request opened, synchronize and reopened, and the
 * re-run events check_suite.rerequested and check_run.rerequested. Real examples from
 * @octokit/webhooks-examples, cloned and overridden; each gets an installation.
 */
import { webhookExample } from "./webhook-examples.js";
import type { EmitterWebhookEvent } from "@octokit/webhooks";
import { INSTALLATION, type Person, type Repo } from "./payloads.js";

type PullRequestAction = "opened" | "synchronize" | "reopened";
type Payload<E extends `pull_request.${PullRequestAction}` | "pull_request.edited" | "check_suite.rerequested" | "check_run.rerequested"> =
  EmitterWebhookEvent<E>["payload"];

const REPO_ID = 186853002;

function repository<T>(base: T, repo: Repo, options: { ownerType?: "Organization" | "User" } = {}): T {
  const typed = base as { owner: object };
  return {
    ...(base as object),
    id: REPO_ID,
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    html_url: `https://github.com/${repo.owner}/${repo.name}`,
    default_branch: "main",
    owner: { ...typed.owner, login: repo.owner, type: options.ownerType ?? "Organization" },
  } as T;
}

export interface PullRequestEventOptions {
  repo: Repo;
  number?: number;
  author: Person;
  sender?: Person;
  headSha: string;
  baseSha: string;
  baseRef?: string;
  headRef?: string;
  changedFiles?: number;
  requestedReviewers?: string[];
  requestedTeams?: string[];
  ownerType?: "Organization" | "User";
  /** The pull request's body (the bot records its requester there). */
  body?: string | null;
}

export function pullRequestEvent<A extends PullRequestAction>(action: A, options: PullRequestEventOptions): Payload<`pull_request.${A}`> {
  const base = webhookExample<Payload<"pull_request.opened">>("pull_request", action);
  const repo = repository(base.repository, options.repo, options.ownerType ? { ownerType: options.ownerType } : {});
  const pr = base.pull_request;
  const number = options.number ?? 7;
  const reviewer = { ...pr.user, type: "User" as const };
  return {
    ...base,
    action,
    number,
    installation: INSTALLATION,
    repository: repo,
    sender: { ...base.sender, login: (options.sender ?? options.author).login, type: (options.sender ?? options.author).type ?? "User" },
    pull_request: {
      ...pr,
      number,
      state: "open",
      html_url: `https://github.com/${options.repo.owner}/${options.repo.name}/pull/${number}`,
      user: { ...pr.user, login: options.author.login, type: options.author.type ?? "User" },
      changed_files: options.changedFiles ?? 1,
      ...(options.body !== undefined ? { body: options.body } : {}),
      requested_reviewers: (options.requestedReviewers ?? []).map((login, i) => ({ ...reviewer, id: 100 + i, login })),
      requested_teams: (options.requestedTeams ?? []).map((slug, i) => ({
        id: 200 + i,
        node_id: `T${i}`,
        url: "",
        html_url: "",
        name: slug,
        slug,
        description: null,
        privacy: "closed",
        permission: "pull",
        members_url: "",
        repositories_url: "",
        parent: null,
      })),
      head: { ...pr.head, sha: options.headSha, ref: options.headRef ?? "feature", repo: repo as typeof pr.head.repo },
      base: { ...pr.base, sha: options.baseSha, ref: options.baseRef ?? "main", repo: repo as typeof pr.base.repo },
    },
  } as unknown as Payload<`pull_request.${A}`>;
}

/**
 * `pull_request.edited`. @octokit/webhooks-examples has no example of it, so it is the opened
 * example with GitHub's documented `changes` object: `base.ref.from` and `base.sha.from` when the
 * base branch changed, `title.from` for a new title.
 */
export function pullRequestEdited(
  options: PullRequestEventOptions,
  changes: { baseFrom?: { ref: string; sha: string }; titleFrom?: string },
): Payload<"pull_request.edited"> {
  const opened = pullRequestEvent("opened", options);
  return {
    ...opened,
    action: "edited",
    changes: {
      ...(changes.baseFrom ? { base: { ref: { from: changes.baseFrom.ref }, sha: { from: changes.baseFrom.sha } } } : {}),
      ...(changes.titleFrom !== undefined ? { title: { from: changes.titleFrom } } : {}),
    },
  } as unknown as Payload<"pull_request.edited">;
}

export interface RerunOptions {
  repo: Repo;
  headSha: string;
  /** Pull requests listed in the payload (none for a fork's). */
  pullRequests: { number: number; headSha: string; baseSha: string }[];
  checkName?: string;
}

function listedPull(repo: Repo, pull: RerunOptions["pullRequests"][number]) {
  const api = { id: REPO_ID, url: `https://api.github.com/repos/${repo.owner}/${repo.name}`, name: repo.name };
  return {
    id: pull.number,
    number: pull.number,
    url: `${api.url}/pulls/${pull.number}`,
    head: { ref: "feature", sha: pull.headSha, repo: api },
    base: { ref: "main", sha: pull.baseSha, repo: api },
  };
}

export function checkSuiteRerequested(options: RerunOptions): Payload<"check_suite.rerequested"> {
  const base = webhookExample<Payload<"check_suite.rerequested">>("check_suite", "rerequested");
  return {
    ...base,
    installation: INSTALLATION,
    repository: repository(base.repository, options.repo),
    check_suite: {
      ...base.check_suite,
      head_sha: options.headSha,
      pull_requests: options.pullRequests.map((p) => listedPull(options.repo, p)),
    },
  };
}

export function checkRunRerequested(options: RerunOptions): Payload<"check_run.rerequested"> {
  const base = webhookExample<Payload<"check_run.rerequested">>("check_run", "rerequested");
  return {
    ...base,
    installation: INSTALLATION,
    repository: repository(base.repository, options.repo),
    check_run: {
      ...base.check_run,
      name: options.checkName ?? "gitops-bot / policies",
      head_sha: options.headSha,
      pull_requests: options.pullRequests.map((p) => listedPull(options.repo, p)),
    },
  };
}
