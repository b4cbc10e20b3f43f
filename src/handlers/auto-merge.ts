import type { Context } from "probot";
import { GitHubGateway } from "../adapters/github/gateway.js";
import { MergeGateway } from "../adapters/github/merge-gateway.js";
import { mergeRequiredChecks } from "../core/merge/required-checks.js";
import { AUTO_MERGE_MARKER } from "../core/report/auto-merge-comment.js";
import { parseIssueMarker } from "../core/report/pr-body.js";
import { POLICY_CHECK_NAME } from "../core/report/check-run-updates.js";
import type { AutoMergePorts, GatedPullRequest } from "../ports.js";
import { gateAutoMerge } from "../workflows/auto-merge.js";
import type { AppDeps } from "./app-deps.js";
import { loadBotConfig, requestConversation, splitRepository } from "./github-ports.js";

/** What the merge gate shares for the life of the process. */
export interface AutoMergeDeps extends AppDeps {
  /** This App's login (`slug[bot]`), asked of GitHub once. */
  appLogin: () => Promise<string | null>;
}

type GateContext = Context<
  "pull_request_review.submitted" | "pull_request_review.dismissed" | "check_run.completed" | "check_suite.completed" | "status"
>;

/** GitHub lists at most this many branches in a `status` payload. */
const STATUS_BRANCHES_LISTED = 10;

const WRITE_ACCESS = new Set(["write", "maintain", "admin"]);

/** The gate's ports for one pull request of the event's repository; `known`: the pull request as just read. */
function gatePorts(params: { context: GateContext; deps: AutoMergeDeps; number: number; known?: GatedPullRequest }): AutoMergePorts {
  const { context, deps, number } = params;
  let known = params.known;
  const { repository } = context.payload;
  const gateway = new GitHubGateway({
    octokit: context.octokit,
    owner: repository.owner.login,
    repo: repository.name,
    blobCache: deps.blobCache,
  });
  const merging = new MergeGateway({ octokit: context.octokit, gateway });
  return {
    readPullRequest: async () => {
      // The lookup that found the pull request read it a moment ago: its first read is that one.
      const first = known;
      known = undefined;
      return first ?? merging.getPullRequest(number);
    },
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
    readRequiredChecks: async (branch) => {
      const { protection, rulesets } = await merging.requiredChecks(branch);
      return mergeRequiredChecks(protection, rulesets);
    },
    listCheckRuns: (sha) => merging.listCheckRuns(sha),
    listStatuses: (sha) => merging.listStatuses(sha),
    canMerge: async (login) => WRITE_ACCESS.has((await gateway.people.getPermission(login)) ?? "none"),
    isTeamMember: (team, login) => gateway.people.isTeamMember(team, login),
    merge: ({ sha, method }) => merging.merge({ pullNumber: number, sha, method }),
    readFileAt: (path, commit) => gateway.contents.readTextFile(path, commit),
    report: merging.reportComment(number, AUTO_MERGE_MARKER),
  };
}

async function runGate(params: { context: GateContext; deps: AutoMergeDeps; number: number; known?: GatedPullRequest }): Promise<void> {
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
 * Why a pull request is not one the merge gate judges, or null when it is: opened by a bot, from a
 * branch of the repository itself, naming its request issue. One test for the two shapes GitHub
 * sends a pull request in (a review's payload, a commit's pull request list).
 */
function whyNotBotRequestPull(
  pr: { authorType: string | undefined; headRepository: string | null | undefined; body: string | null | undefined },
  repository: string,
): string | null {
  if (pr.authorType !== "Bot") return "not opened by a bot";
  if (pr.headRepository !== repository) return "from a fork";
  if (!parseIssueMarker(pr.body)) return "that names no request issue";
  return null;
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
    const not = whyNotBotRequestPull(
      { authorType: pr.user?.type, headRepository: pr.head.repo?.full_name, body: pr.body },
      repository.full_name,
    );
    if (not !== null) return void context.log.debug(`ignored: review of a pull request ${not}`);
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

/**
 * `check_suite.completed` of another App (CI: GitHub Actions, another checks App): the merge gate of
 * each pull request of this repository the suite belongs to, so a required check that finishes
 * after the last approval merges. A suite of no pull request is left without a request; one of a
 * person's pull request costs the pull request's read. The App's own suite is left to
 * `check_run.completed` of its policy check.
 */
export function onCheckSuiteCompleted(deps: AutoMergeDeps) {
  return async (context: Context<"check_suite.completed">): Promise<void> => {
    const { check_suite: suite, repository } = context.payload;
    const pulls = suite.pull_requests.filter((p) => p.base.repo.id === repository.id && p.head.sha === suite.head_sha);
    if (pulls.length === 0) return void context.log.debug("ignored: the check suite belongs to no pull request of this repository");
    const app = await deps.appLogin();
    if (app !== null && `${suite.app?.slug ?? ""}[bot]` === app) return void context.log.debug("ignored: the App's own check suite");
    for (const pull of pulls) await runGate({ context, deps, number: pull.number });
  };
}

/**
 * `status` (a commit status from CI) that passed or failed: the merge gate of the bot's open pull
 * request whose head is that commit. A status names only a commit and the branches holding it, so
 * a commit that heads no branch but the default one (CI on the base branch, Argo CD) is left
 * without a request; otherwise one lookup of the commit's open pull requests finds the bot's, and
 * that read is the gate's first. Independent of the Argo CD handler of the same event.
 */
export function onCommitStatusForAutoMerge(deps: AutoMergeDeps) {
  return async (context: Context<"status">): Promise<void> => {
    const { payload } = context;
    if (payload.state === "pending") return void context.log.debug("ignored: a pending status merges nothing");
    const heads = payload.branches.filter((b) => b.commit.sha === payload.sha && b.name !== payload.repository.default_branch);
    if (heads.length === 0 && payload.branches.length < STATUS_BRANCHES_LISTED)
      return void context.log.debug("ignored: the status is for a commit that heads no pull request branch");
    const gateway = new GitHubGateway({
      octokit: context.octokit,
      owner: payload.repository.owner.login,
      repo: payload.repository.name,
      blobCache: deps.blobCache,
    });
    const pulls = (await new MergeGateway({ octokit: context.octokit, gateway }).openPullRequestsAt(payload.sha)).filter(
      (pr) =>
        whyNotBotRequestPull(
          { authorType: pr.author.type, headRepository: pr.headRepository, body: pr.body },
          payload.repository.full_name,
        ) === null,
    );
    if (pulls.length === 0) return void context.log.debug("ignored: the status's commit heads no open pull request of the bot");
    for (const pr of pulls) await runGate({ context, deps, number: pr.number, known: pr });
  };
}
