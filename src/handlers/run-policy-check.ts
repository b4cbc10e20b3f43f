import type { Context } from "probot";
import { GitHubGateway } from "../adapters/github/gateway.js";
import { POLICY_CHECK_NAME } from "../core/report/check-run-updates.js";
import { checkPullRequest } from "../workflows/check-pull-request.js";
import type { AppDeps } from "./app-deps.js";
import { findExceptionRecord } from "./exception-record.js";
import { loadBotConfig } from "./github-ports.js";
import { kubernetesModelsSchemas } from "../adapters/schemas/kubernetes-models-schemas.js";
import type { FileSource, PullRequestCheckPorts, PullRequestFacts } from "../ports.js";

/** Every event that runs the policy check. */
export type PolicyCheckEvent =
  | "pull_request.opened"
  | "pull_request.synchronize"
  | "pull_request.reopened"
  | "pull_request.edited"
  | "check_suite.rerequested"
  | "check_run.rerequested";

/** What the policy check handlers share for the life of the process. */
export interface PolicyCheckDeps extends AppDeps {
  /** The built-in policies, read from policies/ once. */
  builtinPolicies: () => Promise<FileSource>;
  /** This App's login (`slug[bot]`), asked of GitHub once, when a bot's pull request is first checked. */
  appLogin: () => Promise<string | null>;
}

/** The pull request check's ports over GitHub; the Check Run is created when the check starts and updated through its id. */
function checkPorts(params: {
  gateway: GitHubGateway;
  pullRequest: PullRequestFacts;
  deps: PolicyCheckDeps;
  organization: boolean;
  approvalsFrom?: string;
}): PullRequestCheckPorts {
  const { gateway, pullRequest: pr } = params;
  let checkRunId: number | null = null;
  return {
    mergeBase: () => gateway.pullRequests.mergeBase(pr.baseSha, pr.headSha),
    readCommit: (sha) => gateway.commitReader(sha),
    readConfigAt: (ref) => loadBotConfig(gateway, ref),
    ...(params.approvalsFrom
      ? {
          readApprovals: async () =>
            (await findExceptionRecord({ gateway, commit: params.approvalsFrom ?? "", appLogin: params.deps.appLogin }))?.record
              .approvals ?? [],
        }
      : {}),
    appLogin: params.deps.appLogin,
    teams: params.organization
      ? {
          isMember: (team, login) => gateway.people.isTeamMember(`${gateway.owner}/${team}`, login),
          all: (login) => gateway.people.teamsOf(gateway.owner, login),
        }
      : null,
    listReviewers: () => gateway.pullRequests.listReviewers(pr.number),
    requestReviewers: (reviewers) => gateway.pullRequests.requestReviewers(pr, reviewers),
    checkRun: {
      start: async () => void (checkRunId = await gateway.checkRuns.create({ name: POLICY_CHECK_NAME, headSha: pr.headSha })),
      update: async (update) => {
        if (checkRunId === null) throw new Error("the Check Run was updated before it was created");
        await gateway.checkRuns.update(checkRunId, update);
      },
    },
  };
}

/**
 * The shared path of every policy check trigger: read the repository's configuration (its
 * default branch, Probot's loader), go on only for the GitOps repository and pull requests to its
 * base branch, then run the check with GitHub ports. A repository without configuration is not
 * checked at all.
 */
export async function runPolicyCheck(params: {
  context: Context<PolicyCheckEvent>;
  deps: PolicyCheckDeps;
  pullRequest: PullRequestFacts;
  mayHaveReviews: boolean;
  /** The commit whose Check Run holds the policy owners' approvals to carry (the previous head, or the head on a re-run). */
  approvalsFrom?: string;
}): Promise<void> {
  const { context, pullRequest: pr } = params;
  const { repository } = context.payload;
  const gateway = new GitHubGateway({
    octokit: context.octokit,
    owner: repository.owner.login,
    repo: repository.name,
    blobCache: params.deps.blobCache,
  });
  const config = await loadBotConfig(gateway);
  // Quiet by default: an installation on every repository of an organisation must not check them
  // all. A repository opts in with .github/gitops-bot.yml (its own, or the organisation's via _extends).
  if (config.ok && config.value === null) {
    return void context.log.debug(
      `ignored: ${repository.full_name} has no .github/gitops-bot.yml, so it is not a GitOps repository of this App`,
    );
  }
  const gitops = config.ok ? config.value?.gitops : undefined;
  if (gitops?.repository && gitops.repository.toLowerCase() !== repository.full_name.toLowerCase()) {
    return void context.log.debug(
      `ignored: ${repository.full_name} sends its requests to ${gitops.repository}; only the GitOps repository is checked`,
    );
  }
  // A broken configuration cannot name the base branch: every pull request gets its problems.
  const baseBranch = !config.ok ? null : (gitops?.baseBranch ?? repository.default_branch);
  if (baseBranch !== null && pr.baseRef !== baseBranch) {
    return void context.log.debug(`ignored: pull request #${pr.number} targets ${pr.baseRef}, not the GitOps base branch ${baseBranch}`);
  }

  const ports = checkPorts({
    gateway,
    pullRequest: pr,
    deps: params.deps,
    organization: repository.owner.type === "Organization",
    ...(params.approvalsFrom ? { approvalsFrom: params.approvalsFrom } : {}),
  });
  const builtinPolicies = await params.deps.builtinPolicies();
  const result = await checkPullRequest({
    pullRequest: { ...pr, mayHaveReviews: params.mayHaveReviews },
    config,
    repository: gateway.fullName,
    builtinPolicies,
    schemas: kubernetesModelsSchemas,
    ports,
    caches: params.deps.checkCaches,
  }).catch((error: unknown) => {
    params.deps.telemetry.policyCheck({ conclusion: "failed", findings: [] });
    throw error;
  });
  params.deps.telemetry.policyCheck({ conclusion: result.conclusion, findings: result.findings });
  context.log.info(
    {
      checkedPullRequest: pr.number,
      head: pr.headSha,
      conclusion: result.conclusion,
      findings: result.findings.length,
      requests: result.updates.length,
    },
    "policy check",
  );
}
