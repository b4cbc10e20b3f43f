import type { Context } from "probot";
import { runPolicyCheck, type PolicyCheckDeps } from "./run-policy-check.js";

/**
 * `pull_request` opened, synchronize, reopened, and edited to another base branch: the policy check
 * of the head against that base. Pull requests of bots, this App's own included, are checked like
 * everyone's.
 */
export function onPullRequestCheck(deps: PolicyCheckDeps) {
  return async (
    context: Context<"pull_request.opened" | "pull_request.synchronize" | "pull_request.reopened" | "pull_request.edited">,
  ): Promise<void> => {
    const { pull_request: pr, action } = context.payload;
    // A new title or body changes nothing the policies judge; a new base branch changes everything.
    if (context.payload.action === "edited" && !context.payload.changes.base)
      return void context.log.debug(`ignored: pull request #${pr.number} was edited, its base branch was not`);
    await runPolicyCheck({
      context,
      deps,
      // Nobody can have reviewed a pull request opened a moment ago.
      mayHaveReviews: action !== "opened",
      // Owners' approvals given on the previous head carry over where the push left their files alone.
      ...(context.payload.action === "synchronize" ? { approvalsFrom: context.payload.before } : {}),
      pullRequest: {
        number: pr.number,
        state: pr.state,
        headSha: pr.head.sha,
        baseSha: pr.base.sha,
        baseRef: pr.base.ref,
        author: { login: pr.user?.login ?? "", type: pr.user?.type ?? "User" },
        body: pr.body ?? null,
        // Absent from some payloads: then GitHub's file listing is taken as complete.
        changedFiles: pr.changed_files ?? 0,
        requestedReviewers: (pr.requested_reviewers ?? []).flatMap((r) => (r && "login" in r && r.login ? [r.login] : [])),
        requestedTeams: (pr.requested_teams ?? []).flatMap((t) => (t.slug ? [t.slug] : [])),
      },
    });
  };
}
