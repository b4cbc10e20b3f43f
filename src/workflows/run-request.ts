import { loadCatalog, mergeCatalogs, type Catalog } from "../core/catalog/load-catalog.js";
import type { BotConfig } from "../core/config/bot-config.schema.js";
import { branchName } from "../core/plan/branch-name.js";
import { listChanges, planChangeset, type Changeset } from "../core/plan/plan-changeset.js";
import type { Problem } from "../core/problems.js";
import { renderRequest, resolveDeprovisionReviewers, resolveRequestPaths, type RenderedFile } from "../core/render/render-request.js";
import { findForeignFile, findNameClash, recordedSize } from "../core/request/check-request-ownership.js";
import { checkDeprovisionFound, checkDeprovisionIdentity } from "../core/request/check-deprovision.js";
import { checkResizeTarget } from "../core/request/check-resize-target.js";
import { renderPullRequestBody, renderPullRequestTitle } from "../core/report/pr-body.js";
import type { ProvisionRequest } from "../core/request/request.js";
import type { BlobHasher, ChangePublisher, PublishResult, PullRequestDraft, RepoReader, TreeEntry } from "../ports.js";

export type RequestOutcome =
  /** Bad input: nothing was written. */
  | { kind: "rejected"; problems: Problem[] }
  /** `/preview`: what the pull request would be; nothing was written. */
  | { kind: "preview"; branch: string; changeset: Changeset; pullRequest: PullRequestDraft }
  /** The base branch already has exactly these files: no pull request is needed, nothing was written. */
  | { kind: "up-to-date"; branch: string; changeset: Changeset }
  /** The branch and pull request were converged; `result.commit` is null when the branch already matched. */
  | { kind: "published"; branch: string; changeset: Changeset; pullRequest: PullRequestDraft; result: PublishResult };

/** Templates of the GitOps repository (under gitops.catalogPath) extend or override the built-in ones. */
export async function effectiveCatalog(params: {
  builtin: Catalog;
  tree: readonly TreeEntry[];
  repo: RepoReader;
  catalogPath: string;
}): Promise<{ catalog: Catalog; problems: Problem[] }> {
  const prefix = `${params.catalogPath}/`;
  const paths = params.tree.map((e) => e.path).filter((p) => p.startsWith(prefix));
  if (paths.length === 0) return { catalog: params.builtin, problems: [] };
  const files = new Map<string, string>();
  for (const path of paths) {
    const text = await params.repo.readFile(path);
    if (text !== null) files.set(path.slice(prefix.length), text);
  }
  const loaded = loadCatalog({ files, root: prefix.slice(0, -1) });
  return { catalog: mergeCatalogs(params.builtin, loaded.catalog), problems: loaded.problems };
}

/** The files the request wants (none for a deprovision, whose identity is checked instead) and the reviewers of its size. */
function desiredFiles(params: { request: ProvisionRequest; catalog: Catalog; config: BotConfig; repoURL: string }): {
  files: RenderedFile[];
  reviewers: string[];
  problems: Problem[];
} {
  const { request, config } = params;
  if (request.action === "deprovision") return { files: [], reviewers: [], problems: checkDeprovisionIdentity({ request, config }) };
  const rendered = renderRequest({ request, catalog: params.catalog, config, repoURL: params.repoURL });
  return { files: rendered.files, reviewers: rendered.reviewers, problems: rendered.problems };
}

/** The current text of the request's files that change. Only files whose blob SHA differs are read, for the diff; unchanged files never are. */
async function readChangedFiles(params: {
  repo: RepoReader;
  desired: readonly RenderedFile[];
  tree: readonly TreeEntry[];
  owned: (path: string) => boolean;
  hashBlob: BlobHasher;
}): Promise<Map<string, string>> {
  const previous = new Map<string, string>();
  for (const change of listChanges({ desired: params.desired, existing: params.tree, owned: params.owned, hashBlob: params.hashBlob })) {
    if (change.kind === "added") continue;
    const text = await params.repo.readFile(change.path);
    if (text !== null) previous.set(change.path, text);
  }
  return previous;
}

/**
 * Runs a request against the GitOps repository: builds the effective catalog, renders (or, for
 * deprovision, selects the request's files), plans the changeset against the base branch and, unless
 * it is a preview or nothing differs, publishes one branch with one commit and its pull request.
 * Every validation happens before anything is written.
 */
export async function runRequest(params: {
  request: ProvisionRequest;
  config: BotConfig;
  catalog: Catalog;
  repo: RepoReader;
  publisher: ChangePublisher;
  hashBlob: BlobHasher;
  /** Clone URL Argo CD should read, when the config does not name one. */
  repoURL: string;
  /** A pull request of this request was opened and may still be open, so it may be resized before it merges. */
  pending?: boolean;
}): Promise<RequestOutcome> {
  const { request, config, repo, hashBlob } = params;
  const tree = await repo.listFiles();
  const { catalog, problems: catalogProblems } = await effectiveCatalog({
    builtin: params.catalog,
    tree,
    repo,
    catalogPath: config.gitops.catalogPath,
  });
  if (catalogProblems.length > 0) return { kind: "rejected", problems: catalogProblems };

  const wanted = desiredFiles({ request, catalog, config, repoURL: params.repoURL });
  if (wanted.problems.length > 0) return { kind: "rejected", problems: wanted.problems };
  const desired = wanted.files;
  let reviewers = wanted.reviewers;

  const identity = { team: request.values.team ?? "", name: request.values.name ?? "", environment: request.values.environment ?? "" };
  const clash = findNameClash({ identity, config });
  if (clash) return { kind: "rejected", problems: [clash] };
  const paths = resolveRequestPaths({ config, template: request.template, values: request.values });
  const baseBranch = config.gitops.baseBranch;
  if (request.action === "resize") {
    const missing = checkResizeTarget({
      values: request.values,
      paths,
      baseBranch,
      applicationExists: tree.some((e) => e.path === paths.application),
      pending: params.pending === true,
    });
    if (missing) return { kind: "rejected", problems: [missing] };
  }
  const owned = (path: string) => path === paths.application || path.startsWith(`${paths.manifests}/`);
  const previous = await readChangedFiles({ repo, desired, tree, owned, hashBlob });
  // A path that holds another request's files is not this request's, whatever the layout says.
  const foreign = findForeignFile({ files: previous, identity });
  if (foreign) return { kind: "rejected", problems: [foreign] };
  if (request.action === "deprovision") {
    const application = previous.get(paths.application);
    const size = (application === undefined ? null : recordedSize(application)) ?? request.size;
    reviewers = resolveDeprovisionReviewers({ config, catalog, template: request.template, size, environment: identity.environment });
  }
  const changeset = planChangeset({ desired, existing: tree, owned, hashBlob, previous });
  const branch = branchName({
    prefix: config.gitops.branchPrefix,
    template: request.template,
    team: request.values.team ?? "",
    name: request.values.name ?? "",
    environment: request.values.environment ?? "",
  });

  const nothing = request.action === "deprovision" ? checkDeprovisionFound({ paths, baseBranch, changesetEmpty: changeset.isEmpty }) : null;
  if (nothing) return { kind: "rejected", problems: [nothing] };
  if (changeset.isEmpty) return { kind: "up-to-date", branch, changeset };

  const pullRequest: PullRequestDraft = {
    title: renderPullRequestTitle(request),
    body: renderPullRequestBody({ request, changeset, reviewers }),
    labels: config.labels,
    reviewers,
  };
  if (request.action === "preview") return { kind: "preview", branch, changeset, pullRequest };

  const result = await params.publisher.publish({
    branch,
    baseBranch: config.gitops.baseBranch,
    commitMessage: `${pullRequest.title}\n\nRequested by ${request.requester}${request.issue ? ` in ${request.issue.repository}#${request.issue.number}` : ""}.`,
    changes: changeset.changes.map((c) => ({ path: c.path, content: c.after })),
    pullRequest,
  });
  return { kind: "published", branch, changeset, pullRequest, result };
}
