import type { BotConfig } from "../config/bot-config.schema.js";
import type { Problem } from "../problems.js";
import type { StoredRequest } from "../request/stored-request.js";
import type { Delivery } from "./delivery-state.js";
import { layoutProblem } from "./layout-problem.js";

/**
 * What a closed pull request does to its request's delivery. Merged with `argocd.closeIssue:
 * deployed`: the issue waits for Argo CD (or, when Argo CD's statuses came first, takes what they
 * said: deployed closes now). A deprovision, `closeIssue: merged`, or a pull request closed without
 * merging: statuses are not followed; the merge closes the issue.
 */
export function deliveryAfterClose(params: { stored: StoredRequest; merged: boolean; mergedAt: string | null; config: BotConfig }): { delivery: Delivery; close: boolean; notes: Problem[] } {
  const mergedAt = params.mergedAt ? { mergedAt: params.mergedAt } : {};
  const follow = params.merged && params.stored.request.action !== "deprovision" && params.config.argocd.closeIssue === "deployed";
  if (!follow) return { delivery: { phase: "untracked", ...mergedAt }, close: params.merged, notes: [] };
  const layout = layoutProblem({ stored: params.stored, config: params.config });
  if (layout) return { delivery: { phase: "untracked", ...mergedAt }, close: true, notes: [layout] };
  const earlier = params.stored.delivery;
  if (earlier && earlier.phase !== "untracked" && earlier.status) {
    const delivery: Delivery = { ...earlier, ...mergedAt };
    return { delivery, close: delivery.phase === "deployed", notes: [] };
  }
  return { delivery: { phase: "waiting", ...mergedAt }, close: false, notes: [] };
}
