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
import { Kind, parse } from "graphql";
import { type GitHubMock, type GraphqlError, type GraphqlReply, githubError } from "./github-mock.js";
import { labelsReply, type RepoCoordinates } from "./github-replies.js";
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

const ISSUE_ID = "I_kwDOAcmeReq12";
const LABEL_ID = "LA_kwDOAcmeFailed";
const STATUS_COMMENT_ID = "IC_kwDOAcme501";

interface FakeComment {
  id: string;
  body: string;
  author: { __typename: "User" | "Bot"; login: string } | null;
}

/**
 * The request issue acme/requests#12 with its status comment, kept as GitHub would over GraphQL:
 * the `DeliveryIssue` query reads it (100 comments a page, as GitHub pages them), and a
 * `DeliveryWrites` mutation document applies its mutations in order to this state, so an edit
 * changes what the next read returns. Node ids that do not exist are answered as GitHub does
 * (NOT_FOUND). Every request and reply is checked against GitHub's GraphQL schema by GitHubMock.
 */
export class RequestIssue {
  body: string;
  open = true;
  /** Whether the repository has the failure label yet (REST's POST labels creates it). */
  labelExists: boolean;
  readonly labels: string[] = ["gitops-request"];
  readonly notices: string[] = [];
  /** The root fields of each mutation document, in the order GitHub ran them. */
  readonly mutations: string[][] = [];
  readonly comments: FakeComment[];
  /** A mutation GitHub refuses (FORBIDDEN), as it would for a write the App may not make. */
  refuse: string | null = null;

  constructor(initial: string, options: { labelExists?: boolean; before?: FakeComment[]; after?: FakeComment[] } = {}) {
    this.body = initial;
    this.labelExists = options.labelExists ?? true;
    this.comments = [
      ...(options.before ?? [{ id: "IC_kwDOAcme400", body: "Please make it fast", author: { __typename: "User", login: "alice" } }]),
      { id: STATUS_COMMENT_ID, body: initial, author: { __typename: "Bot", login: "gitops-bot" } },
      ...(options.after ?? []),
    ];
  }

  /** The `DeliveryIssue` query: the issue, a page of its comments, the failure label's id. */
  mockRead(gh: GitHubMock, times = 1): void {
    gh.graphql("DeliveryIssue", {
      times,
      reply: ({ variables }) => {
        const expected = { owner: REQUESTS.owner, repo: REQUESTS.repo, number: 12, label: "deployment-failed" };
        for (const [key, value] of Object.entries(expected))
          if (variables[key] !== value) throw new Error(`DeliveryIssue: ${key} is ${String(variables[key])}, not ${value}`);
        const start = typeof variables.after === "string" ? Number(variables.after.replace("cursor:", "")) : 0;
        const all = this.comments.map((c) => (c.id === STATUS_COMMENT_ID ? { ...c, body: this.body } : c));
        const page = all.slice(start, start + 100);
        const end = start + page.length;
        return {
          data: {
            // An installation token's viewer is the App's bot account; a comment's Bot author is its bare slug.
            viewer: { login: "gitops-bot[bot]" },
            repository: {
              label: this.labelExists ? { id: LABEL_ID } : null,
              issue: {
                id: ISSUE_ID,
                state: this.open ? "OPEN" : "CLOSED",
                comments: { pageInfo: { hasNextPage: end < all.length, endCursor: page.length > 0 ? `cursor:${end}` : null }, nodes: page },
              },
            },
          },
        };
      },
    });
  }

  /** The `DeliveryWrites` mutation document, applied field by field to the issue. */
  mockWrite(gh: GitHubMock): void {
    gh.graphql("DeliveryWrites", { reply: ({ query, variables }) => this.#apply(query, variables) });
  }

  /** The edit undone after a write GitHub refused (`DeliveryUndoEdit`). */
  mockUndoEdit(gh: GitHubMock): void {
    gh.graphql("DeliveryUndoEdit", { reply: ({ query, variables }) => this.#apply(query, variables) });
  }

  #apply(query: string, variables: Record<string, unknown>): GraphqlReply {
    const operation = parse(query).definitions[0];
    if (operation?.kind !== Kind.OPERATION_DEFINITION) throw new Error("DeliveryWrites is not an operation");
    const data: Record<string, unknown> = {};
    const errors: GraphqlError[] = [];
    const fields: string[] = [];
    for (const selection of operation.selectionSet.selections) {
      if (selection.kind !== Kind.FIELD) continue;
      const alias = selection.alias?.value ?? selection.name.value;
      const input = Object.fromEntries(
        ((selection.arguments?.[0]?.value.kind === Kind.OBJECT && selection.arguments[0].value.fields) || []).map((f) => [
          f.name.value,
          f.value.kind === Kind.VARIABLE
            ? variables[f.value.name.value]
            : f.value.kind === Kind.LIST
              ? f.value.values.map((v) => (v.kind === Kind.VARIABLE ? variables[v.name.value] : undefined))
              : f.value.kind === Kind.ENUM
                ? f.value.value
                : undefined,
        ]),
      );
      fields.push(selection.name.value);
      // GitHub runs the next mutation of the document even when one fails.
      if (this.refuse === selection.name.value) {
        data[alias] = null;
        errors.push({ type: "FORBIDDEN", path: [alias], message: "Resource not accessible by integration" });
        continue;
      }
      const found = this.#run(selection.name.value, input);
      data[alias] = found ? { clientMutationId: null } : null;
      if (!found) errors.push({ type: "NOT_FOUND", path: [alias], message: `Could not resolve to a node (${selection.name.value}).` });
    }
    this.mutations.push(fields);
    return errors.length > 0 ? { data, errors } : { data };
  }

  /** One mutation on the issue; false when an id names nothing here. */
  #run(name: string, input: Record<string, unknown>): boolean {
    switch (name) {
      case "addComment":
        if (input.subjectId !== ISSUE_ID) return false;
        this.notices.push(String(input.body));
        return true;
      case "addLabelsToLabelable":
        if (input.labelableId !== ISSUE_ID || !this.labelExists || JSON.stringify(input.labelIds) !== JSON.stringify([LABEL_ID]))
          return false;
        if (!this.labels.includes("deployment-failed")) this.labels.push("deployment-failed");
        return true;
      case "closeIssue":
        if (input.issueId !== ISSUE_ID || input.stateReason !== "COMPLETED") return false;
        this.open = false;
        return true;
      case "updateIssueComment":
        if (input.id !== STATUS_COMMENT_ID) return false;
        this.body = String(input.body);
        return true;
      case "deleteIssueComment": {
        const at = this.comments.findIndex((c) => c.id === input.id && c.id !== STATUS_COMMENT_ID);
        if (at < 0) return false;
        this.comments.splice(at, 1);
        return true;
      }
      default:
        throw new Error(`the fake issue does not run ${name}`);
    }
  }

  /** REST's POST labels, sent when the repository has no failure label yet: GitHub creates it. */
  mockAddLabel(gh: GitHubMock): void {
    gh.on("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", {
      params: { ...REQUESTS, issue_number: 12 },
      reply: ({ body }) => {
        this.labelExists = true;
        for (const label of body.labels ?? []) if (typeof label === "string" && !this.labels.includes(label)) this.labels.push(label);
        return { status: 200, data: labelsReply(this.labels) };
      },
    });
  }

  /** The issue was deleted: GitHub's GraphQL answers NOT_FOUND for it. */
  mockGone(gh: GitHubMock): void {
    gh.graphql("DeliveryIssue", {
      reply: {
        data: { viewer: { login: "gitops-bot[bot]" }, repository: { label: { id: LABEL_ID }, issue: null } },
        errors: [{ type: "NOT_FOUND", path: ["repository", "issue"], message: "Could not resolve to an Issue with the number of 12." }],
      },
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
