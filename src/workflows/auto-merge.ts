import type { BotConfig } from "../core/config/bot-config.schema.js";
import {
  approvalCandidates,
  decideAutoMerge,
  findForeignCommit,
  type MissingItem,
  type PullRequestReview,
} from "../core/merge/decide-auto-merge.js";
import { findMissingRequiredChecks, needsStatuses } from "../core/merge/required-checks.js";
import { POLICY_CHECK_NAME } from "../core/report/check-run-updates.js";
import { requiredReviewers } from "../core/merge/required-reviewers.js";
import type { Result } from "../core/problems.js";
import { renderAutoMergeComment, type AutoMergeView } from "../core/report/auto-merge-comment.js";
import { parseIssueMarker } from "../core/report/pr-body.js";
import { resolveRequestPaths } from "../core/render/render-request.js";
import { isUpgradeBranch } from "../core/rollout/plan-rollout.js";
import { parseStoredRequest, type StoredRequest } from "../core/request/stored-request.js";
import type { AutoMergePorts, GatedPullRequest, RequestIssuePorts } from "../ports.js";
import { handlePullRequestClosed } from "./handle-pull-request-closed.js";
import { effectiveCatalog } from "./run-request.js";

export type AutoMergeResult =
  | { kind: "ignored"; reason: string }
  /** The comment says `view`; `written` is false when it already said so. */
  | { kind: "reported"; view: AutoMergeView["kind"]; written: boolean }
  | { kind: "merged"; sha: string; issueTold: boolean };

/** Who the pull request is for, and the configuration that governs it. */
interface GateTarget {
  pr: GatedPullRequest;
  config: BotConfig;
  stored: StoredRequest;
  side: RequestIssuePorts;
  /** The request repository's configuration, as read once. */
  requestConfig: Result<BotConfig | null>;
  app: string;
}

/**
 * Finds out whether this is a pull request the gate may act on: open, the App's own, naming a
 * request issue whose status comment tracks it, and governed by a configuration with `autoMerge`
 * on. The configuration is the one that opened the pull request: the request repository's for a
 * request, the GitOps repository's for a template upgrade. The cheap facts are read first, so a
 * pull request of nobody's costs one request.
 */
async function findTarget(params: { repository: string; ports: AutoMergePorts }): Promise<GateTarget | { ignored: string }> {
  const { ports, repository } = params;
  const pr = await ports.readPullRequest();
  if (!pr || pr.state !== "open" || pr.merged) return { ignored: "the pull request is not open" };
  if (pr.author.type !== "Bot" || pr.draft) return { ignored: "not a pull request of the bot" };
  if (pr.headRepository?.toLowerCase() !== repository.toLowerCase()) return { ignored: "the pull request comes from a fork" };
  const issue = parseIssueMarker(pr.body);
  if (!issue) return { ignored: "the pull request names no request issue" };
  const side = ports.openRequestIssue(issue);
  const requestConfig = await side.readConfig();
  if (!requestConfig.ok || requestConfig.value === null) return { ignored: `${issue.repository} has no valid .github/gitops-bot.yml` };
  const gitops = requestConfig.value.gitops.repository ?? issue.repository;
  if (gitops.toLowerCase() !== repository.toLowerCase())
    return { ignored: `${issue.repository} sends its requests to ${gitops}, not ${repository}` };
  if (!pr.headRef.startsWith(`${requestConfig.value.gitops.branchPrefix}/`))
    return { ignored: `branch ${pr.headRef} is not one of the bot's` };

  let config = requestConfig.value;
  if (isUpgradeBranch(config, pr.headRef) && issue.repository.toLowerCase() !== repository.toLowerCase()) {
    const own = await ports.readGitOpsConfig();
    if (!own.ok || own.value === null) return { ignored: `${repository} has no valid .github/gitops-bot.yml for its template upgrades` };
    config = own.value;
  }
  if (!config.autoMerge.enabled) return { ignored: "autoMerge is off" };
  const app = await ports.appLogin();
  if (app === null || app.toLowerCase() !== pr.author.login.toLowerCase())
    return { ignored: `opened by ${pr.author.login}, not by this App` };
  const status = await side.conversation.readStatusComment();
  const stored = status === null ? null : parseStoredRequest(status);
  const tracked = stored?.pullRequest;
  if (!stored || !tracked || tracked.number !== pr.number || tracked.repository.toLowerCase() !== repository.toLowerCase()) {
    return { ignored: `the status comment of ${issue.repository}#${issue.number} does not track this pull request` };
  }
  return { pr, config, stored, side, requestConfig, app };
}

/** The reviewers the request needs, from the base branch's catalog, as when they were asked. */
async function gatherRequired(target: GateTarget, ports: AutoMergePorts): Promise<string[]> {
  const { config, stored } = target;
  const base = ports.openBase(config.gitops.baseBranch);
  const tree = await base.listFiles();
  // A catalog with problems still names what it can; a template it lost asks the platform reviewers.
  const { catalog } = await effectiveCatalog({
    builtin: await ports.builtinCatalog(),
    tree,
    repo: base,
    catalogPath: config.gitops.catalogPath,
  });
  const path = resolveRequestPaths({ config, template: stored.request.template, values: stored.request.values }).application;
  const application = stored.request.action === "deprovision" && tree.some((e) => e.path === path) ? await base.readFile(path) : null;
  return requiredReviewers({ config, catalog, request: stored.request, application });
}

/**
 * Who of the approvers counts: write access, asked one person at a time; and for each required
 * team, the first such approver who is its member. Only what the decision needs is asked.
 */
async function gatherApprovers(params: {
  reviews: readonly PullRequestReview[];
  pr: GatedPullRequest;
  requester: string;
  required: readonly string[];
  ports: AutoMergePorts;
}) {
  const { candidates } = approvalCandidates({ reviews: params.reviews, headSha: params.pr.headSha, requester: params.requester });
  const writers = new Set<string>();
  for (const login of candidates) if (await params.ports.canMerge(login)) writers.add(login);
  const teamApprovers = new Map<string, string | null>();
  for (const team of params.required.filter((r) => r.includes("/"))) {
    let found: string | null = null;
    for (const login of writers) {
      if (await params.ports.isTeamMember(team, login)) {
        found = login;
        break;
      }
    }
    teamApprovers.set(team, found);
  }
  return { writers, teamApprovers };
}

/**
 * The checks branch protection and rulesets require that do not pass on the head yet (CI), asked
 * only once everything else is in: the required list, then the head's check runs, and its commit
 * statuses only for a required context no check run reports. The App's own policy check is judged
 * by the gate itself (only the App's run counts there).
 */
async function gatherRequiredChecks(pr: GatedPullRequest, ports: AutoMergePorts): Promise<MissingItem[]> {
  const judged = [POLICY_CHECK_NAME];
  const required = await ports.readRequiredChecks(pr.baseRef);
  if (required.every((check) => judged.includes(check.context))) return [];
  const runs = await ports.listCheckRuns(pr.headSha);
  const statuses = needsStatuses({ required, runs, judged }) ? await ports.listStatuses(pr.headSha) : [];
  return findMissingRequiredChecks({ required, runs, statuses, judged });
}

/**
 * The merge gate of the bot's own pull requests (`autoMerge`). When every reviewer the request
 * needs approved its head commit, the bot's policy check passed there and so did every check the
 * base branch's protection or rulesets require (CI), the bot merges with the configured method, naming the head commit so that a push in between makes GitHub refuse, and
 * tells the request issue through the same flow as a merge by hand. Otherwise its one comment on
 * the pull request says what is missing, or why the bot will not merge (a commit that is not the
 * bot's), edited in place and written only when its text changes. A merge GitHub refuses (branch
 * protection asking for more, a conflict) is reported there, not thrown.
 */
export async function gateAutoMerge(params: { repository: string; ports: AutoMergePorts }): Promise<AutoMergeResult> {
  const { ports, repository } = params;
  const target = await findTarget(params);
  if ("ignored" in target) return { kind: "ignored", reason: target.ignored };
  const { pr, config, stored } = target;
  const method = config.autoMerge.method;
  const report = async (view: AutoMergeView): Promise<AutoMergeResult> => ({
    kind: "reported",
    view: view.kind,
    written: await ports.report.write(renderAutoMergeComment(view)),
  });

  const { commits, complete } = await ports.listCommits();
  const foreign = findForeignCommit({ commits, complete, appLogin: target.app });
  if (foreign) return report({ kind: "off", reason: foreign });

  const check = await ports.readPolicyCheck(pr.headSha);
  const reviews = await ports.listReviews();
  const required = await gatherRequired(target, ports);
  const requester = stored.request.requester;
  const { writers, teamApprovers } = await gatherApprovers({ reviews, pr, requester, required, ports });
  let decision = decideAutoMerge({ headSha: pr.headSha, requester, required, reviews, check, writers, teamApprovers });
  if (decision.kind === "merge") {
    const checks = await gatherRequiredChecks(pr, ports);
    if (checks.length > 0) decision = { kind: "wait", missing: checks, approvedBy: decision.approvedBy, ignored: decision.ignored };
  }
  if (decision.kind === "wait")
    return report({
      kind: "waiting",
      method,
      headSha: pr.headSha,
      requester,
      missing: decision.missing,
      approvedBy: decision.approvedBy,
      ignored: decision.ignored,
    });

  const outcome = await ports.merge({ sha: pr.headSha, method });
  if (!outcome.merged) {
    // Two events judged at once (an approval and the check's completion): the other one merged it.
    if ((await ports.readPullRequest())?.merged) return { kind: "ignored", reason: "merged meanwhile by another handling" };
    return report({
      kind: "refused",
      method,
      headSha: pr.headSha,
      status: outcome.status,
      message: outcome.message,
      approvedBy: decision.approvedBy,
    });
  }
  await ports.report.write(
    renderAutoMergeComment({ kind: "merged", method, headSha: pr.headSha, mergeSha: outcome.sha, approvedBy: decision.approvedBy }),
  );
  return { kind: "merged", sha: outcome.sha, issueTold: await tellRequestIssue({ target, repository, ports }) };
}

/**
 * Tells the request issue of the merge exactly as `pull_request.closed` would (the status comment
 * waits for Argo CD, or the issue closes), from the pull request as GitHub now has it, so the
 * closed event that follows finds nothing left to write.
 */
async function tellRequestIssue(params: { target: GateTarget; repository: string; ports: AutoMergePorts }): Promise<boolean> {
  const merged = await params.ports.readPullRequest();
  if (!merged?.merged) return false;
  const result = await handlePullRequestClosed({
    pullRequest: {
      number: merged.number,
      url: merged.url,
      merged: true,
      mergedAt: merged.mergedAt,
      body: merged.body,
      headRef: merged.headRef,
    },
    readMergedFile: async (path) => (merged.mergeCommitSha ? params.ports.readFileAt(path, merged.mergeCommitSha) : null),
    repository: params.repository,
    // The configuration and status comment were read a moment ago: the same answers, no new requests.
    openRequestIssue: () => ({ ...params.target.side, readConfig: async () => params.target.requestConfig }),
  });
  return result.kind === "answered";
}
