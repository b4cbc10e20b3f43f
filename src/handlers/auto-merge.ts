import type { Context } from "probot";
import { GitHubGateway } from "../adapters/github/gateway.js";
import { MergeGateway } from "../adapters/github/merge-gateway.js";
import { AUTO_MERGE_MARKER } from "../core/report/auto-merge-comment.js";
import { parseIssueMarker } from "../core/report/pr-body.js";
import { POLICY_CHECK_NAME } from "../core/report/check-run-updates.js";
import type { AutoMergePorts } from "../ports.js";
import { gateAutoMerge } from "../workflows/auto-merge.js";
import type { AppDeps } from "./app-deps.js";
import { loadBotConfig, requestConversation, splitRepository } from "./github-ports.js";

/** What the merge gate shares for the life of the process. */
export interface AutoMergeDeps extends AppDeps {
  /** This App's login (`slug[bot]`), asked of GitHub once. */
  appLogin: () => Promise<string | null>;
}

type GateContext = Context<"pull_request_review.submitted" | "pull_request_review.dismissed" | "check_run.completed">;

const WRITE_ACCESS = new Set(["write", "maintain", "admin"]);

/** The gate's ports for one pull request of the event's repository. */
function gatePorts(params: { context: GateContext; deps: AutoMergeDeps; number: number }): AutoMergePorts {
  const { context, deps, number } = params;
  const { repository } = context.payload;
  const gateway = new GitHubGateway({
    octokit: context.octokit,
    owner: repository.owner.login,
    repo: repository.name,
    blobCache: deps.blobCache,
  });
  const merging = new MergeGateway({ octokit: context.octokit, gateway });
  return {
    readPullRequest: () => merging.getPullRequest(number),
    appLogin: deps.appLogin,
    openRequestIssue: (issue) => {
      const side = new GitHubGateway({ octokit: context.octokit, ...splitRepository(issue.repository), blobCache: deps.blobCache });
      return { readConfig: () => loadBotConfig(side), conversation: requestConversation(side, issue.number) };
    },
    readGitOpsConfig: () => loadBotConfig(gateway),
    openBase: (branch) => gateway.repoReader(branch),
    builtinCatalog: deps.catalog,
    listCommits: () => merging.listCommits(number),
    listReviews: () => merging.listReviews(number),
    readPolicyCheck: async (sha) => {
      const app = await deps.appLogin();
      return app === null ? null : merging.findCheckRun({ ref: sha, name: POLICY_CHECK_NAME, appSlug: app.replace(/\[bot\]$/, "") });
    },
    canMerge: async (login) => WRITE_ACCESS.has((await gateway.people.getPermission(login)) ?? "none"),
    isTeamMember: (team, login) => gateway.people.isTeamMember(team, login),
    merge: ({ sha, method }) => merging.merge({ pullNumber: number, sha, method }),
    readFileAt: (path, commit) => gateway.contents.readTextFile(path, commit),
    report: merging.reportComment(number, AUTO_MERGE_MARKER),
  };
}

async function runGate(params: { context: GateContext; deps: AutoMergeDeps; number: number }): Promise<void> {
  const { context } = params;
  const result = await gateAutoMerge({ repository: context.payload.repository.full_name, ports: gatePorts(params) });
  if (result.kind === "ignored") return void context.log.debug({ pullRequest: params.number }, `auto-merge ignored: ${result.reason}`);
  context.log.info(
    {
      pullRequest: params.number,
      result: result.kind,
      ...(result.kind === "merged" ? { merge: result.sha, issueTold: result.issueTold } : { view: result.view, written: result.written }),
    },
    "auto-merge",
  );
}

/**
 * `pull_request_review` submitted or dismissed on a pull request of the bot: the merge gate.
 * Pull requests of people, from forks, or without a request issue are left before any request.
 */
export function onPullRequestReview(deps: AutoMergeDeps) {
  return async (context: Context<"pull_request_review.submitted" | "pull_request_review.dismissed">): Promise<void> => {
    const { pull_request: pr, repository } = context.payload;
    // A comment-only review changes no one's standing review: nothing to judge again.
    if (context.payload.action === "submitted" && context.payload.review.state.toLowerCase() === "commented")
      return void context.log.debug("ignored: a comment-only review");
    if (pr.user?.type !== "Bot") return void context.log.debug("ignored: review of a pull request not opened by a bot");
    if (pr.head.repo?.full_name !== repository.full_name) return void context.log.debug("ignored: review of a pull request from a fork");
    if (!parseIssueMarker(pr.body)) return void context.log.debug("ignored: review of a pull request that names no request issue");
    await runGate({ context, deps, number: pr.number });
  };
}

/**
 * `check_run.completed` of the App's own policy check: the merge gate of each pull request the run
 * belongs to. Other check runs (GitHub sends every app's) are left before any request but the
 * App's own login, which is asked once per process.
 */
export function onPolicyCheckCompleted(deps: AutoMergeDeps) {
  return async (context: Context<"check_run.completed">): Promise<void> => {
    const { check_run: run, repository } = context.payload;
    if (run.name !== POLICY_CHECK_NAME) return void context.log.debug(`ignored: check run ${run.name} is not the policy check`);
    const pulls = run.pull_requests.filter((p) => p.base.repo.id === repository.id);
    if (pulls.length === 0) return void context.log.debug("ignored: the check run belongs to no pull request of this repository");
    const app = await deps.appLogin();
    if (app === null || `${run.app?.slug ?? ""}[bot]` !== app) return void context.log.debug("ignored: a check run of another app");
    for (const pull of pulls) await runGate({ context, deps, number: pull.number });
  };
}
