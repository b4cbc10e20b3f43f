/**
 * A GitOps repository with requests rendered from the built-in catalog, then a push that adds an
 * override of one template under platform/templates: the GitHub conversation of its rollout.
 */
import { readFileSync } from "node:fs";
import { webhookExample } from "./webhook-examples.js";
import type { EmitterWebhookEvent } from "@octokit/webhooks";
import { load } from "js-yaml";
import { readTextTree, BUILTIN_TEMPLATES_DIR } from "../../src/adapters/local/read-builtin-catalog.js";
import type { Catalog } from "../../src/core/catalog/load-catalog.js";
import { BotConfigSchema, type BotConfig } from "../../src/core/config/bot-config.schema.js";
import { renderRequest } from "../../src/core/render/render-request.js";
import { renderStatusComment } from "../../src/core/report/status-comment.js";
import { fixture, type GitHubMock, type ReplyData } from "./github-mock.js";
import {
  commentListReply,
  commentReply,
  labelsReply,
  pullListReply,
  pullReply,
  refReply,
  type PullFields,
  type RepoCoordinates,
} from "./github-replies.js";
import { GITOPS, mockBase, mockTreeAndCommit, treeEntries, type BaseFile } from "./github-scenario.js";
import { INSTALLATION } from "./payloads.js";
import { mockArchive, mockBlobs, mockCommitTree } from "./policy-check-scenario.js";

export const REQUESTS: RepoCoordinates = { owner: "acme", repo: "requests" };
export const BEFORE = "be40000000000000000000000000000000000001";
export const AFTER = "af70000000000000000000000000000000000002";
export const GITOPS_CONFIG_TEXT = readFileSync(new URL("../../examples/gitops-repo/.github/gitops-bot.yml", import.meta.url), "utf8");
export const GITOPS_CONFIG: BotConfig = BotConfigSchema.parse(load(GITOPS_CONFIG_TEXT));
const CONFIG_FILE: BaseFile = { path: ".github/gitops-bot.yml", content: GITOPS_CONFIG_TEXT };

/** One request living in the repository. */
export interface InstanceFixture {
  template: string;
  name: string;
  issue: number;
  application: string;
  files: BaseFile[];
  statusComment: string;
}

/** The built-in web-service folder, with one change to its Deployment: the platform team's override. */
export function overrideFiles(
  change: (deployment: string) => string = (d) => d.replace("revisionHistoryLimit: 5", "revisionHistoryLimit: 3"),
): BaseFile[] {
  const builtin = readTextTreeSync();
  return [...builtin]
    .filter(([path]) => path.startsWith("web-service/"))
    .map(([path, content]) => ({
      path: `platform/templates/${path}`,
      content: path === "web-service/deployment.yaml" ? change(content) : content,
    }));
}

let builtinFiles: Map<string, string> | null = null;
function readTextTreeSync(): Map<string, string> {
  if (!builtinFiles) throw new Error("call loadBuiltinFiles() in beforeAll");
  return builtinFiles;
}
export async function loadBuiltinFiles(): Promise<void> {
  builtinFiles ??= await readTextTree(BUILTIN_TEMPLATES_DIR);
}

/** Renders a request as the bot did before the change (built-in catalog), with its status comment. */
export function instance(params: { catalog: Catalog; template: string; name: string; issue: number }): InstanceFixture {
  const values: Record<string, string> =
    params.template === "worker"
      ? { name: params.name, team: "payments", environment: "dev", image: "ghcr.io/acme/worker:2.0.1" }
      : { name: params.name, team: "payments", environment: "dev", image: `ghcr.io/acme/${params.name}:1.4.2` };
  const issue = {
    repository: `${REQUESTS.owner}/${REQUESTS.repo}`,
    number: params.issue,
    url: `https://github.com/acme/requests/issues/${params.issue}`,
  };
  const request = { action: "provision" as const, template: params.template, size: "small", values, requester: "octocat", issue };
  const rendered = renderRequest({
    request,
    catalog: params.catalog,
    config: GITOPS_CONFIG,
    repoURL: "https://github.com/acme/gitops.git",
  });
  if (rendered.problems.length > 0) throw new Error(JSON.stringify(rendered.problems));
  const statusComment = renderStatusComment({
    view: {
      kind: "merged",
      pullRequest: { repository: "acme/gitops", number: params.issue, url: `https://github.com/acme/gitops/pull/${params.issue}` },
    },
    stored: {
      v: 1,
      request: { action: "provision", template: params.template, size: "small", values, requester: "octocat" },
      pullRequest: { repository: "acme/gitops", number: params.issue, url: `https://github.com/acme/gitops/pull/${params.issue}` },
    },
  });
  return {
    template: params.template,
    name: params.name,
    issue: params.issue,
    application: rendered.paths!.application,
    files: rendered.files,
    statusComment,
  };
}

/** `count` web-service instances and `others` worker instances, before and after the override. */
export function repository(params: { catalog: Catalog; count: number; others?: number; override?: BaseFile[] }) {
  const instances = [
    ...Array.from({ length: params.count }, (_, i) =>
      instance({ catalog: params.catalog, template: "web-service", name: `svc-${String(i).padStart(3, "0")}`, issue: 100 + i }),
    ),
    ...Array.from({ length: params.others ?? 0 }, (_, i) =>
      instance({ catalog: params.catalog, template: "worker", name: `job-${i}`, issue: 500 + i }),
    ),
  ];
  const before = [CONFIG_FILE, ...instances.flatMap((i) => i.files)];
  const after = [...before, ...(params.override ?? overrideFiles())];
  return { instances, before, after };
}

/** A push to `main` of acme/gitops (the webhook example, overridden). */
export function pushPayload(
  params: { before?: string; after?: string; ref?: string; sender?: { login: string; type: "User" | "Bot" } } = {},
): EmitterWebhookEvent<"push">["payload"] {
  const base = webhookExample<EmitterWebhookEvent<"push">["payload"]>("push");
  return {
    ...base,
    ref: params.ref ?? "refs/heads/main",
    before: params.before ?? BEFORE,
    after: params.after ?? AFTER,
    created: false,
    deleted: false,
    installation: INSTALLATION,
    repository: {
      ...base.repository,
      name: GITOPS.repo,
      full_name: `${GITOPS.owner}/${GITOPS.repo}`,
      html_url: `https://github.com/${GITOPS.owner}/${GITOPS.repo}`,
      default_branch: "main",
      owner: { ...base.repository.owner, login: GITOPS.owner, name: GITOPS.owner },
    },
    sender: { ...base.sender, login: params.sender?.login ?? "platform-dev", type: params.sender?.type ?? "User" },
  } as EmitterWebhookEvent<"push">["payload"];
}

/** The GitOps repository's config, its base branch now, and its tree before the push. */
export function mockRolloutReads(
  gh: GitHubMock,
  repo: { before: BaseFile[]; after: BaseFile[] },
  options: { configText?: string; head?: string; beforeListing?: boolean } = {},
) {
  gh.on("GET /repos/{owner}/{repo}/contents/{path}", {
    params: { ...GITOPS, path: ".github/gitops-bot.yml" },
    reply: { status: 200, raw: options.configText ?? GITOPS_CONFIG_TEXT },
  });
  const entries = mockBase(gh, repo.after, { commit: options.head ?? AFTER });
  if (options.beforeListing !== false) mockCommitTree(gh, BEFORE, repo.before);
  return entries;
}

/** The override's files, read once each to load the catalog after the push. */
export function mockCatalogReads(gh: GitHubMock, override: readonly BaseFile[] = overrideFiles()): void {
  mockBlobs(gh, override);
}

/** The Application files, read one by one or, from 50 on, as one archive of the head commit. */
export function mockApplicationReads(
  gh: GitHubMock,
  instances: readonly InstanceFixture[],
  files: readonly BaseFile[],
  head = AFTER,
): void {
  const applications = instances.map((i) => i.files.find((f) => f.path === i.application)!);
  if (applications.length >= 50) mockArchive(gh, head, files);
  else mockBlobs(gh, applications);
}

/** The rollout issue: none yet, or the one given. */
export function mockRolloutIssueList(gh: GitHubMock, body: string | null, state: "open" | "closed" = "open"): void {
  const issue = fixture("PATCH /repos/{owner}/{repo}/issues/{issue_number}", "issue");
  const items: ReplyData<"GET /repos/{owner}/{repo}/issues"> =
    body === null
      ? []
      : [
          {
            ...issue,
            number: 900,
            state,
            body,
            pull_request: undefined,
            user: issue.user ? { ...issue.user, login: "gitops-bot[bot]", type: "Bot" } : null,
          },
        ];
  gh.on("GET /repos/{owner}/{repo}/issues", {
    params: GITOPS,
    query: { labels: "gitops-bot-rollout", state: "all", per_page: 100 },
    reply: { status: 200, data: items },
  });
}

/** The rollout issue created. */
export function mockCreateRolloutIssue(gh: GitHubMock): void {
  gh.on("POST /repos/{owner}/{repo}/issues", {
    params: GITOPS,
    reply: ({ body }) => ({
      status: 201,
      data: { ...fixture("POST /repos/{owner}/{repo}/issues", "issue"), number: 900, body: String(body.body ?? "") },
    }),
  });
}

/** The rollout issue edited in place. */
export function mockUpdateRolloutIssue(gh: GitHubMock): void {
  gh.on("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
    params: { ...GITOPS, issue_number: 900 },
    reply: ({ body }) => ({
      status: 200,
      data: { ...fixture("PATCH /repos/{owner}/{repo}/issues/{issue_number}", "issue"), number: 900, body: String(body.body ?? "") },
    }),
  });
}

/** Open pull requests into main (head branches of acme/gitops). */
export function mockOpenPulls(gh: GitHubMock, pulls: readonly PullFields[]): void {
  const data = pullListReply(GITOPS, pulls).map((p) => ({
    ...p,
    head: { ...p.head, repo: p.head.repo ? { ...p.head.repo, full_name: "acme/gitops" } : p.head.repo },
  }));
  gh.on("GET /repos/{owner}/{repo}/pulls", {
    params: GITOPS,
    query: { state: "open", base: "main", per_page: 100 },
    reply: { status: 200, data },
  });
}

/** The writes of one new upgrade pull request (tree, commit, branch, pull request, labels) and its request issue's status comment. */
export function upgradeBranchOf(item: InstanceFixture): string {
  return `gitops-bot/upgrade/${item.template}/payments-${item.name}-dev`;
}

export function mockNewUpgrade(
  gh: GitHubMock,
  params: { entries: ReturnType<typeof treeEntries>; item: InstanceFixture; number: number; commit: string },
): void {
  const branch = upgradeBranchOf(params.item);
  mockTreeAndCommit(gh, params.entries, { commit: params.commit });
  gh.on("POST /repos/{owner}/{repo}/git/refs", {
    params: GITOPS,
    reply: { status: 201, data: refReply(GITOPS, `heads/${branch}`, params.commit) },
  });
  gh.on("POST /repos/{owner}/{repo}/pulls", {
    params: GITOPS,
    reply: ({ body }) => ({
      status: 201,
      data: pullReply(GITOPS, { number: params.number, title: String(body.title), body: String(body.body), head: branch, base: "main" }),
    }),
  });
  gh.on("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", {
    params: { ...GITOPS, issue_number: params.number },
    reply: { status: 200, data: labelsReply(GITOPS_CONFIG.labels) },
  });
}

/** The request issue's status comment, found and edited in place. */
export function mockStatusUpdate(gh: GitHubMock, item: InstanceFixture, commentId: number): void {
  gh.on("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    params: { ...REQUESTS, issue_number: item.issue },
    query: { per_page: 100 },
    reply: {
      status: 200,
      data: commentListReply(REQUESTS, item.issue, [{ id: commentId, body: item.statusComment, type: "Bot", login: "gitops-bot[bot]" }]),
    },
  });
  gh.on("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
    params: { ...REQUESTS, comment_id: commentId },
    reply: ({ body }) => ({ status: 200, data: commentReply(REQUESTS, item.issue, { id: commentId, body: String(body.body ?? "") }) }),
  });
}

export { treeEntries };
