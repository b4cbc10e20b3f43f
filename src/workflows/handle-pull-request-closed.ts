import { deliveryAfterClose, followsArgoCd } from "../core/delivery/delivery-after-close.js";
import { resolveRequestPaths } from "../core/render/render-request.js";
import { parseApplicationAnnotations } from "../core/request/application-annotations.js";
import { settleAutoMergeComment } from "../core/report/auto-merge-comment.js";
import { parseIssueMarker } from "../core/report/pr-body.js";
import { isUpgradeBranch } from "../core/rollout/plan-rollout.js";
import { renderStatusComment } from "../core/report/status-comment.js";
import { parseStoredRequest } from "../core/request/stored-request.js";
import type { RequestIssuePorts } from "../ports.js";
import type { HandledRequest } from "./handle-request.js";

/**
 * A pull request of the bot was closed: tell its request issue. Merged, the issue waits for Argo CD
 * (`argocd.closeIssue: deployed`) or closes now (deliveryAfterClose decides). The issue is found through the hidden marker in the PR body, and acted on only when
 * that issue's repository names this GitOps repository in its configuration, the branch is the
 * bot's, and the status comment tracks this very pull request: a PR body alone proves nothing.
 */
export async function handlePullRequestClosed(params: {
  pullRequest: { number: number; url: string; merged: boolean; mergedAt: string | null; body: string | null; headRef: string };
  /** A file of the GitOps repository at the merge commit (null: absent), for the request's Application. */
  readMergedFile: (path: string) => Promise<string | null>;
  /** `owner/name` of the repository the pull request belongs to. */
  repository: string;
  openRequestIssue: (issue: { repository: string; number: number }) => RequestIssuePorts;
  /** The merge gate's comment on the pull request, brought up to date when `autoMerge` may have written one. */
  autoMergeComment?: { read(): Promise<string | null>; write(body: string): Promise<boolean> };
}): Promise<HandledRequest> {
  const { pullRequest } = params;
  const issue = parseIssueMarker(pullRequest.body);
  if (!issue) return { kind: "ignored", reason: "the pull request body names no request issue" };
  const side = params.openRequestIssue(issue);
  const config = await side.readConfig();
  if (!config.ok || config.value === null) return { kind: "ignored", reason: `${issue.repository} has no valid .github/gitops-bot.yml` };
  const gitops = config.value.gitops.repository ?? issue.repository;
  if (gitops.toLowerCase() !== params.repository.toLowerCase())
    return { kind: "ignored", reason: `${issue.repository} sends its requests to ${gitops}, not ${params.repository}` };
  if (!pullRequest.headRef.startsWith(`${config.value.gitops.branchPrefix}/`))
    return { kind: "ignored", reason: `branch ${pullRequest.headRef} is not one of the bot's` };

  const previous = await side.conversation.readStatusComment();
  const stored = previous === null ? null : parseStoredRequest(previous);
  const tracked = stored?.pullRequest;
  if (!tracked || tracked.number !== pullRequest.number || tracked.repository.toLowerCase() !== params.repository.toLowerCase()) {
    return { kind: "ignored", reason: `the status comment of ${issue.repository}#${issue.number} does not track this pull request` };
  }
  const link = { repository: params.repository, number: pullRequest.number, url: pullRequest.url };
  // One read, only when the issue would wait for Argo CD: the Application must name this issue and sit
  // where a status can find it, or the issue would wait forever.
  let application = null;
  if (followsArgoCd({ stored: stored, merged: pullRequest.merged, config: config.value })) {
    const path = resolveRequestPaths({
      config: config.value,
      template: stored.request.template,
      values: stored.request.values,
    }).application;
    const text = await params.readMergedFile(path);
    application = { path, identity: text === null ? null : parseApplicationAnnotations(text) };
  }
  const { delivery, close, notes } = deliveryAfterClose({
    stored: stored,
    merged: pullRequest.merged,
    mergedAt: pullRequest.mergedAt,
    config: config.value,
    issue,
    application,
  });
  const view =
    delivery.phase !== "untracked"
      ? ({ kind: "delivery", pullRequest: link, delivery } as const)
      : pullRequest.merged
        ? ({ kind: "merged", pullRequest: link } as const)
        : ({ kind: "closed", pullRequest: link } as const);
  const body = renderStatusComment({ view, stored: { ...stored, delivery }, notes });
  await side.conversation.ensureStatusComment(body);
  if (close) await side.conversation.close();
  // Only where the gate may have written (an upgrade follows the GitOps repository's own switch).
  if (params.autoMergeComment && (config.value.autoMerge.enabled || isUpgradeBranch(config.value, pullRequest.headRef))) {
    const settled = settleAutoMergeComment({ existing: await params.autoMergeComment.read(), merged: pullRequest.merged });
    if (settled !== null) await params.autoMergeComment.write(settled);
  }
  return { kind: "answered", view: view.kind, body };
}
