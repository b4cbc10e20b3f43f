/**
 * Webhook payloads for tests: real examples from @octokit/webhooks-examples, cloned and overridden
 * by small typed builders. Most examples lack `installation`; every builder adds one.
 */
import { webhookExample } from "./webhook-examples.js";
import type { EmitterWebhookEvent } from "@octokit/webhooks";

type Payload<E extends "issue_comment.created" | "issues.opened" | "issues.edited" | "issues.labeled" | "pull_request.closed"> =
  EmitterWebhookEvent<E>["payload"];

export const INSTALLATION = { id: 4242, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==" };

export interface Repo {
  owner: string;
  name: string;
}

export interface Person {
  login: string;
  type?: "User" | "Bot";
}

function repository<T extends { owner: object; name: string; full_name: string; html_url: string; url: string }>(
  base: T,
  repo: Repo,
  htmlBase: string,
): T {
  return {
    ...base,
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    html_url: `${htmlBase}/${repo.owner}/${repo.name}`,
    owner: { ...base.owner, login: repo.owner, type: "Organization" },
  };
}

function user<T>(base: T, person: Person): T {
  return { ...(base as object), login: person.login, type: person.type ?? "User" } as T;
}

export interface IssueFields {
  number?: number;
  body?: string | null;
  labels?: string[];
  state?: "open" | "closed";
  isPullRequest?: boolean;
}

function issue<T>(typed: T, repo: Repo, fields: IssueFields, author: Person, htmlBase: string): T {
  const base = typed as { labels?: object[]; user: unknown };
  const number = fields.number ?? 12;
  const label = base.labels?.[0] ?? { id: 1, node_id: "L", url: "", name: "", color: "ededed", default: false, description: null };
  const result = {
    ...(base as object),
    number,
    html_url: `${htmlBase}/${repo.owner}/${repo.name}/issues/${number}`,
    body: fields.body === undefined ? "" : fields.body,
    labels: (fields.labels ?? []).map((name, i) => ({ ...label, id: i + 1, name })),
    state: fields.state ?? "open",
    user: user(base.user, author),
  };
  if (fields.isPullRequest)
    Object.assign(result, { pull_request: { url: "", html_url: "", diff_url: "", patch_url: "", merged_at: null } });
  else delete (result as { pull_request?: unknown }).pull_request;
  return result as T;
}

export interface CommentOptions {
  repo: Repo;
  body: string;
  sender: Person;
  issue?: IssueFields;
  commentId?: number;
  /** Web host of the server: `https://github.com`, or a GHE host. */
  htmlBase?: string;
}

export function issueCommentCreated(options: CommentOptions): Payload<"issue_comment.created"> {
  const htmlBase = options.htmlBase ?? "https://github.com";
  const base = webhookExample<Payload<"issue_comment.created">>("issue_comment", "created");
  return {
    ...base,
    installation: INSTALLATION,
    repository: repository(base.repository, options.repo, htmlBase),
    issue: issue(base.issue, options.repo, options.issue ?? {}, options.sender, htmlBase),
    comment: { ...base.comment, id: options.commentId ?? 9001, body: options.body, user: user(base.comment.user, options.sender) },
    sender: user(base.sender, options.sender),
  };
}

export interface IssueOptions {
  repo: Repo;
  sender: Person;
  issue: IssueFields;
  htmlBase?: string;
}

export function issuesOpened(options: IssueOptions): Payload<"issues.opened"> {
  const base = webhookExample<Payload<"issues.opened">>("issues", "opened");
  const htmlBase = options.htmlBase ?? "https://github.com";
  return {
    ...base,
    installation: INSTALLATION,
    repository: repository(base.repository, options.repo, htmlBase),
    issue: issue(base.issue, options.repo, options.issue, options.sender, htmlBase),
    sender: user(base.sender, options.sender),
  };
}

export function issuesEdited(options: IssueOptions & { previousBody?: string }): Payload<"issues.edited"> {
  const base = webhookExample<Payload<"issues.edited">>("issues", "edited");
  const htmlBase = options.htmlBase ?? "https://github.com";
  return {
    ...base,
    installation: INSTALLATION,
    changes: options.previousBody === undefined ? { title: { from: "old title" } } : { body: { from: options.previousBody } },
    repository: repository(base.repository, options.repo, htmlBase),
    issue: issue(base.issue, options.repo, options.issue, options.sender, htmlBase),
    sender: user(base.sender, options.sender),
  };
}

export function issuesLabeled(options: IssueOptions & { label: string }): Payload<"issues.labeled"> {
  const base = webhookExample<Payload<"issues.labeled">>("issues", "labeled");
  const htmlBase = options.htmlBase ?? "https://github.com";
  return {
    ...base,
    installation: INSTALLATION,
    label: base.label ? { ...base.label, name: options.label } : undefined,
    repository: repository(base.repository, options.repo, htmlBase),
    issue: issue(base.issue, options.repo, options.issue, options.sender, htmlBase),
    sender: user(base.sender, options.sender),
  };
}

export interface PullRequestClosedOptions {
  repo: Repo;
  number: number;
  merged: boolean;
  body: string | null;
  head: string;
  author: Person;
  sender?: Person;
  /** The head branch lives in a fork. */
  fork?: boolean;
}

export function pullRequestClosed(options: PullRequestClosedOptions): Payload<"pull_request.closed"> {
  const base = webhookExample<Payload<"pull_request.closed">>("pull_request", "closed");
  const repo = repository(base.repository, options.repo, "https://github.com");
  const pr = base.pull_request;
  const headRepo = options.fork ? { ...repo, name: options.repo.name, full_name: `someone/${options.repo.name}` } : repo;
  return {
    ...base,
    number: options.number,
    installation: INSTALLATION,
    repository: repo,
    sender: user(base.sender, options.sender ?? { login: "maintainer" }),
    pull_request: {
      ...pr,
      number: options.number,
      html_url: `https://github.com/${options.repo.owner}/${options.repo.name}/pull/${options.number}`,
      body: options.body,
      merged: options.merged,
      merged_at: options.merged ? "2026-01-01T00:00:00Z" : null,
      state: "closed",
      user: user(pr.user, options.author),
      head: { ...pr.head, ref: options.head, repo: headRepo },
      base: { ...pr.base, ref: "main", repo: repo },
    },
  };
}
