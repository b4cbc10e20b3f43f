/**
 * Argo CD's reports as GitHub delivers them: `status` and `deployment_status` payloads from
 * @octokit/webhooks-examples, overridden by small builders, and the GitHub conversations the App
 * has about them (the commit's files, the Application's blob, the request issue).
 */
import { readFileSync } from "node:fs";
import { webhookExample } from "./webhook-examples.js";
import type { EmitterWebhookEvent } from "@octokit/webhooks";
import type { Delivery } from "../../src/core/delivery/delivery-state.js";
import { renderStatusComment } from "../../src/core/report/status-comment.js";
import type { StoredRequest } from "../../src/core/request/stored-request.js";
import { type GitHubMock, githubError } from "./github-mock.js";
import { commentListReply, commentReply, issueReply, labelsReply, type RepoCoordinates } from "./github-replies.js";
import { GITOPS, REQUESTS } from "./github-scenario.js";
import { INSTALLATION } from "./payloads.js";
import { aProvisionRequest } from "./requests.js";

type StatusPayload = EmitterWebhookEvent<"status">["payload"];
type DeploymentStatusPayload = EmitterWebhookEvent<"deployment_status.created">["payload"];

export const APPLICATION = "payments-checkout-dev";
export const APPLICATION_PATH = "argocd/dev/payments-checkout.yaml";
export const MERGE_COMMIT = "a11ce00000000000000000000000000000000001";
export const LATER_COMMIT = "a11ce00000000000000000000000000000000002";
export const OLDER_COMMIT = "a11ce00000000000000000000000000000000000";
export const MERGED_AT = "2026-01-01T00:00:00Z";
export const ARGO_URL = "https://argocd.acme.example/applications/argocd/payments-checkout-dev?operation=true";

/** The Application the bot rendered for the README's request (the golden file), naming issue acme/requests#12. */
export const APPLICATION_TEXT = readFileSync(
  new URL("../fixtures/render/web-service-small-dev/expected/argocd/dev/payments-checkout.yaml", import.meta.url),
  "utf8",
).replace("gitops-bot.dev/request-issue: acme/requests#42", "gitops-bot.dev/request-issue: acme/requests#12");

export interface StatusOptions {
  state: "pending" | "success" | "failure" | "error";
  sha?: string;
  context?: string;
  description?: string | null;
  targetUrl?: string | null;
  /** The commit's committer date. */
  committedAt?: string;
  /** The commit's message (default: GitHub's merge message of pull request #7). */
  message?: string;
  repo?: RepoCoordinates;
}

/** A `status` event as Argo CD Notifications' GitHub service causes it. */
export function commitStatus(options: StatusOptions): StatusPayload {
  const base = webhookExample<StatusPayload>("status");
  const repo = options.repo ?? GITOPS;
  const sha = options.sha ?? MERGE_COMMIT;
  const date = options.committedAt ?? MERGED_AT;
  return {
    ...base,
    sha,
    name: `${repo.owner}/${repo.repo}`,
    context: options.context ?? `continuous-delivery/${APPLICATION}`,
    state: options.state,
    description:
      options.description === undefined
        ? `Application ${APPLICATION} is now running new version of deployments manifests.`
        : options.description,
    target_url: options.targetUrl === undefined ? ARGO_URL : options.targetUrl,
    commit: {
      ...base.commit,
      sha,
      commit: {
        ...base.commit.commit,
        message: options.message ?? "Merge pull request #7 from acme/gitops-bot/web-service/payments-checkout-dev",
        author: { ...base.commit.commit.author, date },
        committer: { ...base.commit.commit.committer, date },
      },
    },
    repository: {
      ...base.repository,
      name: repo.repo,
      full_name: `${repo.owner}/${repo.repo}`,
      owner: { ...base.repository.owner, login: repo.owner },
    },
    installation: INSTALLATION,
  };
}

/** A `deployment_status.created` event: Argo CD's Deployment, its environment naming the Application. */
export function deploymentStatus(options: {
  state: "pending" | "in_progress" | "queued" | "success" | "failure" | "error" | "inactive";
  sha?: string;
  environment?: string;
  description?: string;
}): DeploymentStatusPayload {
  const base = webhookExample<DeploymentStatusPayload>("deployment_status");
  const repo = GITOPS;
  const environment = options.environment ?? APPLICATION;
  return {
    ...base,
    deployment: {
      ...base.deployment,
      sha: options.sha ?? MERGE_COMMIT,
      environment,
      original_environment: environment,
      created_at: MERGED_AT,
    },
    deployment_status: {
      ...base.deployment_status,
      state: options.state,
      environment,
      description: options.description ?? "",
      target_url: ARGO_URL,
    },
    repository: {
      ...base.repository,
      name: repo.repo,
      full_name: `${repo.owner}/${repo.repo}`,
      owner: { ...base.repository.owner, login: repo.owner },
    },
    installation: INSTALLATION,
  };
}

export const STORED: StoredRequest = {
  v: 1,
  request: aProvisionRequest(),
  pullRequest: { repository: "acme/gitops", number: 7, url: "https://github.com/acme/gitops/pull/7" },
};

/** The status comment as the merge left it (or as a status left it). */
export function statusCommentBody(delivery: Delivery | undefined, stored: StoredRequest = STORED): string {
  const next = delivery ? { ...stored, delivery } : stored;
  if (!delivery || delivery.phase === "untracked") {
    const request = { ...stored.request, issue: { repository: "acme/requests", number: 12, url: "" } };
    return renderStatusComment({ view: { kind: "up-to-date", request, baseBranch: "main" }, stored: next });
  }
  return renderStatusComment({ view: { kind: "delivery", pullRequest: stored.pullRequest!, delivery }, stored: next });
}

/**
 * The request issue acme/requests#12 with its status comment 501, kept as GitHub would: an edit
 * changes what the next listing returns. Each mock answers `times` requests.
 */
export class RequestIssue {
  body: string;
  readonly notices: string[] = [];
  constructor(initial: string) {
    this.body = initial;
  }
  mockList(gh: GitHubMock, times = 1): void {
    gh.on("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      params: { ...REQUESTS, issue_number: 12 },
      query: { per_page: 100 },
      reply: () => ({
        status: 200,
        data: commentListReply(REQUESTS, 12, [
          { id: 400, body: "Please make it fast", type: "User", login: "alice" },
          { id: 501, body: this.body },
        ]),
      }),
      times,
    });
  }
  mockEdit(gh: GitHubMock, times = 1): void {
    gh.on("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
      params: { ...REQUESTS, comment_id: 501 },
      reply: ({ body }) => {
        this.body = String(body.body ?? "");
        return { status: 200, data: commentReply(REQUESTS, 12, { id: 501, body: this.body }) };
      },
      times,
    });
  }
  mockNotify(gh: GitHubMock): void {
    gh.on("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      params: { ...REQUESTS, issue_number: 12 },
      reply: ({ body }) => {
        this.notices.push(String(body.body ?? ""));
        return { status: 201, data: commentReply(REQUESTS, 12, { id: 600 + this.notices.length, body: String(body.body ?? "") }) };
      },
    });
  }
  mockClose(gh: GitHubMock): void {
    gh.on("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
      params: { ...REQUESTS, issue_number: 12 },
      reply: { status: 200, data: issueReply(REQUESTS, 12, "closed") },
    });
  }
  mockAddLabel(gh: GitHubMock): void {
    gh.on("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", {
      params: { ...REQUESTS, issue_number: 12 },
      reply: { status: 200, data: labelsReply(["gitops-request", "deployment-failed"]) },
    });
  }
  mockGone(gh: GitHubMock): void {
    gh.on("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      params: { ...REQUESTS, issue_number: 12 },
      query: { per_page: 100 },
      reply: { status: 410, data: githubError("This issue was deleted") },
    });
  }
}

/**
 * The one read a status costs to find its request: the Application's file at the status's commit
 * (contents API, raw), or 404 when that commit has none. Later statuses on the commit read it from
 * the process's cache.
 */
export function mockApplication(gh: GitHubMock, commit: string, text: string | null = APPLICATION_TEXT, path = APPLICATION_PATH): void {
  gh.on("GET /repos/{owner}/{repo}/contents/{path}", {
    params: { ...GITOPS, path },
    query: { ref: commit },
    reply: text === null ? { status: 404, data: githubError("Not Found") } : { status: 200, raw: text },
  });
}
