import type { Context } from "probot";
import { GitHubGateway } from "../adapters/github/gateway.js";
import { POLICY_CHECK_NAME } from "../core/report/check-run-updates.js";
import { runPolicyCheck, type PolicyCheckDeps } from "./run-policy-check.js";

/**
 * `check_suite.rerequested` and `check_run.rerequested` (the *Re-run* buttons): the policy check
 * again, for the open pull requests whose head is the suite's commit. A fork's pull requests are
 * missing from the payload, so they are looked up by commit.
 */
export function onCheckRerequested(deps: PolicyCheckDeps) {
  return async (context: Context<"check_suite.rerequested" | "check_run.rerequested">): Promise<void> => {
    const { payload } = context;
    const { name, headSha, pulls } = rerunTarget(payload);
    if (name !== POLICY_CHECK_NAME) return void context.log.debug(`ignored: check run ${name} is not the policy check`);
    const listed = pulls.filter((p) => p.base.repo.id === payload.repository.id).map((p) => p.number);
    const gateway = new GitHubGateway({
      octokit: context.octokit,
      owner: payload.repository.owner.login,
      repo: payload.repository.name,
      blobCache: deps.blobCache,
    });
    const numbers = listed.length > 0 ? listed : await gateway.pullRequests.findOpenPullRequestsForCommit(headSha);
    if (numbers.length === 0) return void context.log.debug(`ignored: no open pull request has ${headSha} as its head`);

    for (const number of numbers) {
      const pullRequest = await gateway.pullRequests.getPullRequest(number);
      if (pullRequest?.state !== "open") context.log.debug(`ignored: pull request #${number} is not open`);
      // The files GitHub lists are the current head's: an older commit is not checked again.
      else if (pullRequest.headSha !== headSha)
        context.log.debug(`ignored: pull request #${number} has moved on to ${pullRequest.headSha}`);
      else await runPolicyCheck({ context, deps, pullRequest, mayHaveReviews: true, approvalsFrom: headSha });
    }
  };
}

type SuitePayload = Context<"check_suite.rerequested">["payload"];
type RunPayload = Context<"check_run.rerequested">["payload"];

/** The check's name, commit and listed pull requests, from either payload. */
function rerunTarget(payload: SuitePayload | RunPayload): {
  name: string;
  headSha: string;
  pulls: { number: number; base: { repo: { id: number } } }[];
} {
  if ("check_run" in payload)
    return { name: payload.check_run.name, headSha: payload.check_run.head_sha, pulls: payload.check_run.pull_requests };
  const suite = payload.check_suite;
  return { name: POLICY_CHECK_NAME, headSha: suite.head_sha, pulls: suite.pull_requests };
}
