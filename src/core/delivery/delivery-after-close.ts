import type { BotConfig } from "../config/bot-config.schema.js";
import { problem, type Problem } from "../problems.js";
import { codeSpan } from "../report/markdown.js";
import type { ApplicationIdentity, IssueRef } from "../request/application-annotations.js";
import type { StoredRequest } from "../request/stored-request.js";
import type { Delivery } from "./delivery-state.js";
import { findApplicationPath } from "./find-application-path.js";

/**
 * Whether a closed pull request leaves its request waiting for Argo CD: merged, not a deprovision
 * (Argo CD then deletes the Application), and `argocd.closeIssue: deployed`. Only then is the
 * Application read at the merge commit.
 */
export function followsArgoCd(params: { stored: StoredRequest; merged: boolean; config: BotConfig }): boolean {
  return params.merged && params.stored.request.action !== "deprovision" && params.config.argocd.closeIssue === "deployed";
}

/**
 * Why Argo CD's statuses could never reach this issue, read from the Application at the merge
 * commit: missing, not naming this issue (rendered before the bot named issues), or in another
 * file than the one the status lookup reads for its name (findApplicationPath). Null when they can.
 */
function unreachable(params: { application: { path: string; identity: ApplicationIdentity | null }; issue: IssueRef }): Problem | null {
  const { path, identity } = params.application;
  const why = (message: string, hint: string): Problem =>
    problem("argocd.not-followed", `${message} Argo CD's statuses cannot reach this issue, so it closed at the merge.`, {
      severity: "warning",
      hint,
    });
  const ref = identity?.requestIssue;
  if (!identity || !ref || ref.repository.toLowerCase() !== params.issue.repository.toLowerCase() || ref.number !== params.issue.number) {
    return why(
      `The Application file ${codeSpan(path, 300)} at the merge commit does not name this issue.`,
      "Requests made again (`/provision`) render the annotation `gitops-bot.dev/request-issue`.",
    );
  }
  const expected = findApplicationPath(identity.name);
  if (expected !== path) {
    return why(
      `Argo CD's statuses for the Application ${codeSpan(identity.name, 253)} are looked up in ${expected === null ? "no file" : codeSpan(expected, 300)}, not in ${codeSpan(path, 300)}.`,
      "Keep `gitops.applicationPath` at its default `argocd/{environment}/{team}-{name}.yaml`, with environment names without `-` (docs/github-app.md, Argo CD Notifications).",
    );
  }
  return null;
}

/**
 * What a closed pull request does to its request's delivery. When it follows Argo CD (see
 * {@link followsArgoCd}) and the Application at the merge commit can be reached by Argo CD's
 * statuses, the issue waits for them, or takes what they already said (a status may come before the
 * merge event: deployed closes now). Otherwise statuses are not followed and the merge closes the
 * issue; when only the Application stands in the way, a note says why.
 */
export function deliveryAfterClose(params: {
  stored: StoredRequest;
  merged: boolean;
  mergedAt: string | null;
  config: BotConfig;
  issue: IssueRef;
  /** The request's Application as read at the merge commit; null when not read (not followed). */
  application: { path: string; identity: ApplicationIdentity | null } | null;
}): { delivery: Delivery; close: boolean; notes: Problem[] } {
  const mergedAt = params.mergedAt ? { mergedAt: params.mergedAt } : {};
  const untracked = (notes: Problem[]) => ({ delivery: { phase: "untracked" as const, ...mergedAt }, close: params.merged, notes });
  if (!followsArgoCd(params) || !params.application) return untracked([]);
  const blocked = unreachable({ application: params.application, issue: params.issue });
  if (blocked) return untracked([blocked]);
  const earlier = params.stored.delivery;
  if (earlier && earlier.phase !== "untracked" && earlier.status) {
    const delivery: Delivery = { ...earlier, ...mergedAt };
    return { delivery, close: delivery.phase === "deployed", notes: [] };
  }
  return { delivery: { phase: "waiting", ...mergedAt }, close: false, notes: [] };
}
