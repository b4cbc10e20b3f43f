import type { StoredRequest } from "../request/stored-request.js";
import type { ApplicationIdentity } from "../request/application-annotations.js";
import type { Delivery, DeliveryPhase, TakenStatus } from "./delivery-state.js";
import type { ArgoStatus } from "./parse-argo-status.js";

/** What one Argo CD status does to its request issue. */
export type DeliveryDecision =
  | { kind: "ignore"; reason: string }
  | {
      kind: "apply";
      /** The new delivery state for the status comment. */
      delivery: Delivery;
      /** Close the issue as completed (deployed, and the merge was seen). */
      close: boolean;
      /** Post a new comment, so the people subscribed to the issue hear of a failure. */
      notify: boolean;
      /**
       * Add the failure label. It stays after a later success, as a record: `is:open` with the label
       * lists what fails now, and closing needs no extra request.
       */
      addLabel: boolean;
    };

const PHASE_OF: Record<ArgoStatus["state"], DeliveryPhase> = {
  pending: "syncing",
  success: "deployed",
  failure: "degraded",
  error: "failed",
};

function isFailure(phase: DeliveryPhase | undefined): boolean {
  return phase === "degraded" || phase === "failed";
}

function taken(status: ArgoStatus): TakenStatus {
  return {
    application: status.application,
    state: status.state,
    commit: status.commit,
    ...(status.observedAt !== null ? { observedAt: status.observedAt } : {}),
    ...(status.description !== null ? { description: status.description } : {}),
    ...(status.targetUrl !== null ? { targetUrl: status.targetUrl } : {}),
  };
}

function sameStatus(a: TakenStatus, b: TakenStatus): boolean {
  return (
    a.application === b.application &&
    a.state === b.state &&
    a.commit === b.commit &&
    a.description === b.description &&
    a.targetUrl === b.targetUrl
  );
}

/**
 * Whether a commit is the merge of pull request `number`: GitHub's merge and squash messages name
 * `#<number>`, and a rebase merge keeps the bot's own message, which names the request issue.
 */
function isMergeOf(message: string | null, number: number, issue: string): boolean {
  if (message === null) return false;
  const names = (ref: string) =>
    message
      .split(ref)
      .slice(1)
      .some((rest) => !/^[0-9]/.test(rest));
  return names(`#${number}`) || (issue !== "" && names(issue));
}

function before(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && Date.parse(a) < Date.parse(b);
}

/**
 * Decides what an Argo CD status means for the request whose status comment is `stored`, given
 * the Application it was mapped through (read at the status's commit). Pure: the workflow has
 * already proven the Application names this issue; this checks that the status belongs to the
 * request's current change and that it is news:
 *
 * - the request's pull request is in the status's repository and the Application is of its template;
 * - deprovisions and requests closed at merge (`untracked`) are not followed, nor a request
 *   already deployed (a later `pending` or failure does not reopen it);
 * - statuses on commits older than the merge, or than the last status taken, are stale;
 * - the same status twice changes nothing.
 *
 * A status that arrives before the merge event is taken when it is on the merge commit (the comment
 * shows it), but only the merge closes the issue then: the merge event reads the configuration.
 */
export function decideDelivery(params: {
  stored: StoredRequest;
  status: ArgoStatus;
  application: ApplicationIdentity;
  repository: string;
}): DeliveryDecision {
  const { stored, status, application } = params;
  const ignore = (reason: string): DeliveryDecision => ({ kind: "ignore", reason });
  const pr = stored.pullRequest;
  if (!pr) return ignore("the request has no pull request");
  if (pr.repository.toLowerCase() !== params.repository.toLowerCase())
    return ignore(`the request's pull request is in ${pr.repository}, not ${params.repository}`);
  if (stored.request.action === "deprovision") return ignore("a deprovision closes at its merge");
  if (application.template !== stored.request.template)
    return ignore(`the Application is of template ${application.template ?? "none"}, the request of ${stored.request.template}`);

  const delivery: Delivery = stored.delivery ?? { phase: "waiting" };
  // Only the merge event records mergedAt: without it the status came first.
  const merged = delivery.mergedAt !== undefined;
  if (delivery.phase === "untracked") return ignore("the request closed at its merge; Argo CD is not followed");
  if (delivery.phase === "deployed") return ignore("the request is already deployed");
  const next = taken(status);
  if (before(next.observedAt, delivery.mergedAt)) return ignore("the status is on a commit older than the merge");
  // Before the merge event the only proof that a status is about this change is its commit: the
  // merge itself. Anything else is Argo CD reporting on the version still running (a resize's old
  // size, a health change), which must not speak for a pull request that is not merged yet.
  const issue = application.requestIssue ? `${application.requestIssue.repository}#${application.requestIssue.number}` : "";
  if (!merged && !isMergeOf(status.commitMessage, pr.number, issue))
    return ignore("before the merge event, only a status on the merge commit is taken");
  const previous = delivery.status;
  if (previous && before(next.observedAt, previous.observedAt)) return ignore("the status is on a commit older than the last one taken");
  if (previous && sameStatus(previous, next)) return ignore("the same status was already taken");

  const phase = PHASE_OF[status.state];
  const failing = isFailure(phase);
  const notify = failing && !(isFailure(delivery.phase) && previous?.commit === next.commit && previous.state === next.state);
  const addLabel = failing && !delivery.labelled;
  const labelled = addLabel || delivery.labelled === true;
  return {
    kind: "apply",
    delivery: { phase, ...(delivery.mergedAt ? { mergedAt: delivery.mergedAt } : {}), ...(labelled ? { labelled } : {}), status: next },
    close: phase === "deployed" && merged,
    notify,
    addLabel,
  };
}
