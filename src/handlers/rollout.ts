import type { Context } from "probot";
import { GitHubGateway } from "../adapters/github/gateway.js";
import { RolloutGateway } from "../adapters/github/rollout-gateway.js";
import type { BotConfig } from "../core/config/bot-config.schema.js";
import { ROLLOUT_ISSUE_TITLE, ROLLOUT_LABEL, ROLLOUT_MARKER } from "../core/report/rollout-summary.js";
import { isUpgradeBranch } from "../core/rollout/plan-rollout.js";
import { rollOutTemplates, type RolloutTrigger } from "../workflows/roll-out-templates.js";
import type { AppDeps } from "./app-deps.js";
import { loadBotConfig, requestConversation, splitRepository } from "./github-ports.js";
import type { RolloutPorts } from "../ports.js";

type RolloutContext = Context<"push"> | Context<"pull_request.closed">;

/** The rollout's ports over the GitOps repository of the event (and its installation's request issues). */
function rolloutPorts(params: {
  context: RolloutContext;
  deps: AppDeps;
  gateway: GitHubGateway;
  config: BotConfig;
  htmlUrl: string;
  log: (message: string) => void;
}): RolloutPorts {
  const { context, deps, gateway, config } = params;
  const rollout = new RolloutGateway({ octokit: context.octokit, gateway });
  const base = rollout.baseReader(config.gitops.baseBranch);
  let issue: ReturnType<RolloutGateway["findIssue"]> | null = null;
  const findIssue = () => (issue ??= rollout.findIssue(ROLLOUT_LABEL, ROLLOUT_MARKER));
  return {
    base,
    at: (commit) => gateway.commitReader(commit),
    publish: ({ branchMayExist, ...request }) => gateway.publisher({ reader: base, branchMayExist }).publish(request),
    listOpenUpgradeBranches: async () =>
      new Set([...(await rollout.listOpenPullRequestHeads(config.gitops.baseBranch))].filter((b) => isUpgradeBranch(config, b))),
    rolloutIssue: {
      read: async () => (await findIssue())?.body ?? null,
      write: async (body, open) => {
        const written = await rollout.ensureIssue({
          existing: await findIssue(),
          title: ROLLOUT_ISSUE_TITLE,
          label: ROLLOUT_LABEL,
          body,
          open,
        });
        if (!written) params.log(`${gateway.fullName} has issues turned off: the rollout summary was not written`);
      },
    },
    requestIssue: (ref) =>
      requestConversation(
        new GitHubGateway({ octokit: context.octokit, ...splitRepository(ref.repository), blobCache: deps.blobCache }),
        ref.number,
      ),
    commitUrl: (commit) => `${params.htmlUrl}/commit/${commit}`,
  };
}

/** Reads the repository's configuration; only the GitOps repository itself (its own config) rolls out. */
async function gitOpsConfig(context: RolloutContext, gateway: GitHubGateway): Promise<BotConfig | null> {
  const config = await loadBotConfig(gateway);
  if (!config.ok || config.value === null) return null;
  const target = config.value.gitops.repository;
  return target && target.toLowerCase() !== gateway.fullName.toLowerCase() ? null : config.value;
}

async function run(params: {
  context: RolloutContext;
  deps: AppDeps;
  gateway: GitHubGateway;
  config: BotConfig;
  trigger: RolloutTrigger;
}): Promise<void> {
  const { context, config } = params;
  const { repository } = context.payload;
  const htmlUrl = repository.html_url;
  const serverUrl = new URL(htmlUrl).origin;
  const ports = rolloutPorts({ ...params, htmlUrl, log: (m) => context.log.warn(m) });
  const result = await rollOutTemplates({
    trigger: params.trigger,
    config,
    builtin: await params.deps.catalog(),
    ports,
    hashBlob: params.deps.hashBlob,
    repository: repository.full_name,
    repoURL: config.argocd.repoURL ?? `${serverUrl}/${repository.full_name}.git`,
    serverUrl,
  });
  if (result.kind === "nothing") return void context.log.debug(`rollout: ${result.reason}`);
  const { report } = result;
  context.log.info(
    {
      repository: repository.full_name,
      published: report.published.length,
      pending: report.pending.length,
      failed: report.failed.length,
      unchanged: report.unchanged,
      notes: result.notes,
    },
    "template rollout",
  );
}

/**
 * `push`: a push to the GitOps base branch that changes a template under `gitops.catalogPath`
 * starts a rollout. Branch deletions, tags, other branches and the bot's own branch writes are
 * ignored before anything is read.
 */
export function onPush(deps: AppDeps) {
  return async (context: Context<"push">): Promise<void> => {
    const { ref, before, deleted, repository, sender } = context.payload;
    if (!ref.startsWith("refs/heads/")) return void context.log.debug("ignored: not a branch push");
    if (deleted || /^0+$/.test(before)) return void context.log.debug("ignored: branch created or deleted");
    const branch = ref.slice("refs/heads/".length);
    // The App's own branch writes are pushes too; a merge to the default branch by a bot is not skipped.
    if (sender?.type === "Bot" && branch !== repository.default_branch)
      return void context.log.debug("ignored: a bot's push to a side branch");
    const gateway = new GitHubGateway({
      octokit: context.octokit,
      owner: repository.owner?.login ?? splitRepository(repository.full_name).owner,
      repo: repository.name,
      blobCache: deps.blobCache,
    });
    const config = await gitOpsConfig(context, gateway);
    if (!config) return void context.log.debug("ignored: not a GitOps repository of this App");
    if (branch !== config.gitops.baseBranch)
      return void context.log.debug(`ignored: push to ${branch}, not the base branch ${config.gitops.baseBranch}`);
    await run({ context, deps, gateway, config, trigger: { kind: "push", before } });
  };
}

/** `pull_request.closed` of an upgrade pull request: a slot is free, so waiting upgrades follow. */
export function onUpgradeClosed(deps: AppDeps) {
  return async (context: Context<"pull_request.closed">): Promise<void> => {
    const { pull_request: pr, repository } = context.payload;
    if (pr.user.type !== "Bot" || !pr.head.ref.includes("/upgrade/")) return void context.log.debug("ignored: not an upgrade pull request");
    if (pr.head.repo?.full_name !== repository.full_name) return void context.log.debug("ignored: pull request from a fork");
    const gateway = new GitHubGateway({
      octokit: context.octokit,
      owner: repository.owner.login,
      repo: repository.name,
      blobCache: deps.blobCache,
    });
    const config = await gitOpsConfig(context, gateway);
    if (!config || !isUpgradeBranch(config, pr.head.ref) || pr.base.ref !== config.gitops.baseBranch)
      return void context.log.debug("ignored: not an upgrade pull request of this GitOps repository");
    await run({ context, deps, gateway, config, trigger: { kind: "slot-freed" } });
  };
}
