import type { Context } from "probot";
import { runPolicyCheck, type PolicyCheckDeps } from "./run-policy-check.js";

/**
 * `pull_request` opened, synchronize, reopened: the policy check of the new head. Pull requests of
 * bots, this App's own included, are checked like everyone's.
 */
export function onPullRequestCheck(deps: PolicyCheckDeps) {
  return async (context: Context<"pull_request.opened" | "pull_request.synchronize" | "pull_request.reopened">): Promise<void> => {
    const { pull_request: pr, action } = context.payload;
    await runPolicyCheck({
      context,
      deps,
      // Nobody can have reviewed a pull request opened a moment ago.
      mayHaveReviews: action !== "opened",
      pullRequest: {
        number: pr.number,
        state: pr.state,
        headSha: pr.head.sha,
        baseSha: pr.base.sha,
        baseRef: pr.base.ref,
        author: { login: pr.user?.login ?? "", type: pr.user?.type ?? "User" },
        // Absent from some payloads: then GitHub's file listing is taken as complete.
        changedFiles: pr.changed_files ?? 0,
        requestedReviewers: (pr.requested_reviewers ?? []).flatMap((r) => (r && "login" in r && r.login ? [r.login] : [])),
        requestedTeams: (pr.requested_teams ?? []).flatMap((t) => (t.slug ? [t.slug] : [])),
      },
    });
  };
}
