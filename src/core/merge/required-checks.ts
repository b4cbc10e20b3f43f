/**
 * The required status checks of the branch a pull request merges into, judged on its head commit as
 * GitHub judges them before a merge: facts in (what branch protection and rulesets require, the
 * commit's check runs and commit statuses), what is still missing out. Nothing here talks to GitHub.
 */

/** A check that branch protection or a ruleset requires; `appId` pins it to one GitHub App. */
export interface RequiredCheck {
  context: string;
  /** Null: any source may report it (GitHub's `app_id` -1 or absent, a ruleset without `integration_id`). */
  appId: number | null;
}

/** A check run on the commit (the latest per name and app). */
export interface CommitCheckRun {
  name: string;
  appId: number | null;
  status: string;
  conclusion: string | null;
  url: string | null;
}

/** A commit status on the commit (the latest per context). */
export interface CommitStatus {
  context: string;
  /** `success`, `pending`, `failure` or `error`. */
  state: string;
  url: string | null;
}

/** A required check that does not pass yet on the commit. */
export interface RequiredCheckMissing {
  kind: "required-check";
  context: string;
  /** `expected`: nothing reported yet; `pending`: running; `failed`: concluded without passing. */
  state: "expected" | "pending" | "failed";
  conclusion: string | null;
  url: string | null;
}

/** Check-run conclusions GitHub counts as passing for a required check. */
const PASSING_CONCLUSIONS = new Set(["success", "neutral", "skipped"]);

/**
 * The required checks from branch protection and from rulesets, each context once. When both name a
 * context, the stricter pin wins (an app over any source), as the merge must satisfy both.
 */
export function mergeRequiredChecks(...sources: readonly (readonly RequiredCheck[])[]): RequiredCheck[] {
  const byContext = new Map<string, RequiredCheck>();
  for (const check of sources.flat()) {
    const known = byContext.get(check.context);
    if (!known || (known.appId === null && check.appId !== null)) byContext.set(check.context, check);
  }
  return [...byContext.values()].sort((a, b) => (a.context < b.context ? -1 : a.context > b.context ? 1 : 0));
}

/** The state of one required check from the reports for its context: every report must pass. */
function judge(check: RequiredCheck, runs: readonly CommitCheckRun[], statuses: readonly CommitStatus[]): RequiredCheckMissing | null {
  const ownRuns = runs.filter((r) => r.name === check.context && (check.appId === null || r.appId === check.appId));
  // A commit status carries no App id: it can only satisfy a check that any source may report.
  const ownStatuses = check.appId === null ? statuses.filter((s) => s.context === check.context) : [];
  const missing = (state: RequiredCheckMissing["state"], conclusion: string | null, url: string | null): RequiredCheckMissing => ({
    kind: "required-check",
    context: check.context,
    state,
    conclusion,
    url,
  });
  if (ownRuns.length === 0 && ownStatuses.length === 0) return missing("expected", null, null);
  const failedRun = ownRuns.find((r) => r.status === "completed" && !PASSING_CONCLUSIONS.has(r.conclusion ?? ""));
  if (failedRun) return missing("failed", failedRun.conclusion, failedRun.url);
  const failedStatus = ownStatuses.find((s) => s.state === "failure" || s.state === "error");
  if (failedStatus) return missing("failed", failedStatus.state, failedStatus.url);
  const pendingRun = ownRuns.find((r) => r.status !== "completed");
  if (pendingRun) return missing("pending", null, pendingRun.url);
  const pendingStatus = ownStatuses.find((s) => s.state !== "success");
  if (pendingStatus) return missing("pending", null, pendingStatus.url);
  return null;
}

/**
 * The required checks that do not pass on the commit yet: not reported (`expected`), still running,
 * or concluded otherwise than success, neutral or skipped (a status: other than success). A context
 * reported both as a check run and as a status passes only when every report passes. `judged` names
 * checks the caller decides on itself (the App's own policy check), left out here.
 */
export function findMissingRequiredChecks(params: {
  required: readonly RequiredCheck[];
  runs: readonly CommitCheckRun[];
  statuses: readonly CommitStatus[];
  judged?: readonly string[];
}): RequiredCheckMissing[] {
  const judged = new Set(params.judged ?? []);
  return params.required.flatMap((check) => {
    if (judged.has(check.context)) return [];
    const missing = judge(check, params.runs, params.statuses);
    return missing ? [missing] : [];
  });
}

/** Whether the commit's check runs leave a required check to be looked up among the commit statuses. */
export function needsStatuses(params: {
  required: readonly RequiredCheck[];
  runs: readonly CommitCheckRun[];
  judged?: readonly string[];
}): boolean {
  const judged = new Set(params.judged ?? []);
  return params.required.some(
    (check) => check.appId === null && !judged.has(check.context) && !params.runs.some((r) => r.name === check.context),
  );
}
