import { decideDelivery } from "../core/delivery/decide-delivery.js";
import { findApplicationPath } from "../core/delivery/find-application-path.js";
import { parseArgoStatus, type ArgoStatusInput } from "../core/delivery/parse-argo-status.js";
import { renderDeliveryNotice } from "../core/report/delivery-status.js";
import { renderStatusComment } from "../core/report/status-comment.js";
import { parseApplicationAnnotations, type ApplicationIdentity, type IssueRef } from "../core/request/application-annotations.js";
import { parseStoredRequest } from "../core/request/stored-request.js";
import type { CommitFileReader, DeliveryIssue } from "../ports.js";

export type HandledArgoStatus =
  { kind: "ignored"; reason: string } | { kind: "answered"; issue: IssueRef; phase: string; closed: boolean; notified: boolean };

async function findApplication(params: {
  name: string;
  commit: string;
  gitops: CommitFileReader;
}): Promise<{ identity: ApplicationIdentity; issue: IssueRef } | "outside-layout" | null> {
  const path = findApplicationPath(params.name);
  if (path === null) return "outside-layout";
  const text = await params.gitops.readFile({ commit: params.commit, path });
  const identity = text === null ? null : parseApplicationAnnotations(text);
  return identity?.name === params.name && identity.requestIssue ? { identity, issue: identity.requestIssue } : null;
}

/**
 * An Argo CD status (a commit status `continuous-delivery/<Application>` or a deployment status)
 * on the GitOps repository: find the request through the Application the bot generated, read at
 * the status's commit from the one path its layout gives that name (one request), and show the
 * step on the request issue. Deployed closes the issue; degraded or failed keeps it open with a
 * new comment and a label. No database: the Application's annotation names the issue, and the
 * issue's status comment holds what was already said.
 */
export async function handleArgoStatus(params: {
  input: ArgoStatusInput;
  /** `owner/name` of the repository the status is on. */
  repository: string;
  gitops: CommitFileReader;
  /** The request issue; the port knows which label marks a failure (DELIVERY_FAILURE_LABEL). */
  openRequestIssue: (issue: IssueRef) => DeliveryIssue;
}): Promise<HandledArgoStatus> {
  const parsed = parseArgoStatus(params.input);
  if ("ignored" in parsed) return { kind: "ignored", reason: parsed.ignored };
  const { status } = parsed;
  const found = await findApplication({ name: status.application, commit: status.commit, gitops: params.gitops });
  if (found === "outside-layout") return { kind: "ignored", reason: `${status.application} is not a name the bot gives Applications` };
  if (!found) return { kind: "ignored", reason: `no Application ${status.application} made by the bot at ${status.commit.slice(0, 12)}` };

  const issue = params.openRequestIssue(found.issue);
  const state = await issue.read();
  const stored = state?.statusComment ? parseStoredRequest(state.statusComment) : null;
  if (!stored) return { kind: "ignored", reason: `${found.issue.repository}#${found.issue.number} is gone or has no request` };
  const decision = decideDelivery({ stored, status, application: found.identity, repository: params.repository });
  if (decision.kind === "ignore") return { kind: "ignored", reason: decision.reason };

  const pullRequest = stored.pullRequest!;
  const view = { kind: "delivery", pullRequest, delivery: decision.delivery } as const;
  // All writes at once: the adapter sends them in one request where GitHub's API allows it.
  await issue.write({
    statusComment: renderStatusComment({ view, stored: { ...stored, delivery: decision.delivery } }),
    notice: decision.notify ? renderDeliveryNotice({ delivery: decision.delivery, pullRequest }) : null,
    addLabel: decision.addLabel,
    close: decision.close,
  });
  return { kind: "answered", issue: found.issue, phase: decision.delivery.phase, closed: decision.close, notified: decision.notify };
}
