import type { Context } from "probot";
import { GitHubGateway } from "../adapters/github/gateway.js";
import { parseApprovePolicy } from "../core/policy/approvals/parse-approve-policy.js";
import type { ApprovePolicyPorts } from "../ports.js";
import { approvePolicy } from "../workflows/approve-policy.js";
import { findExceptionRecord } from "./exception-record.js";
import { loadBotConfig } from "./github-ports.js";
import type { PolicyCheckDeps } from "./run-policy-check.js";

/**
 * `issue_comment.created` on a pull request: `/approve-policy <policy>[/<rule>] <reason>` by a policy
 * owner excepts that policy's findings on the pull request's head commit. Only in a GitOps
 * repository (one with `.github/gitops-bot.yml` that names no other GitOps repository).
 */
export function onApprovePolicy(deps: PolicyCheckDeps) {
  return async (context: Context<"issue_comment.created">): Promise<void> => {
    const { comment, issue, sender, repository } = context.payload;
    if (!issue.pull_request) return void context.log.debug("ignored: /approve-policy is for pull requests");
    if (sender.type === "Bot") return void context.log.debug("ignored: comment by a bot");
    const command = parseApprovePolicy(comment.body);
    if (command === null) return void context.log.debug("ignored: no /approve-policy");
    const gateway = new GitHubGateway({
      octokit: context.octokit,
      owner: repository.owner.login,
      repo: repository.name,
      blobCache: deps.blobCache,
    });
    const config = await loadBotConfig(gateway);
    if (config.ok && config.value === null) return void context.log.debug(`ignored: ${repository.full_name} has no .github/gitops-bot.yml`);
    const reply = (body: string) => gateway.issues.createComment(issue.number, body).then(() => undefined);
    if (!config.ok)
      return void (await reply(
        `@${sender.login} \`.github/gitops-bot.yml\` has problems, so policy owners cannot be looked up; the pull request's policy check lists them.`,
      ));
    const botConfig = config.value;
    if (!botConfig) return;
    const gitops = botConfig.gitops;
    if (gitops.repository && gitops.repository.toLowerCase() !== repository.full_name.toLowerCase())
      return void context.log.debug("ignored: not the GitOps repository");

    const ports: ApprovePolicyPorts = {
      isTeamMember: repository.owner.type === "Organization" ? (team, login) => gateway.people.isTeamMember(team, login) : null,
      getPullRequest: () => gateway.pullRequests.getPullRequest(issue.number),
      findCheckRecord: (headSha) => findExceptionRecord({ gateway, commit: headSha, appLogin: deps.appLogin }),
      concludeCheckRun: (id, output) =>
        gateway.checkRuns.update(id, {
          output: { title: output.title, summary: output.summary, annotations: [] },
          conclusion: output.conclusion,
        }),
      reply,
      acknowledge: () => gateway.issues.react({ issueNumber: issue.number, commentId: comment.id }, "+1"),
      appendToBranch: async ({ branch, parent, message, files }) =>
        gateway.branches.appendCommit({ base: await gateway.contents.readCommit(parent), branch, message, changes: files }),
    };
    const outcome = await approvePolicy({
      command: "problem" in command ? command : command.command,
      commenter: sender.login,
      config: botConfig,
      baseBranch: gitops.baseBranch ?? repository.default_branch,
      ports,
    });
    context.log.info({ pullRequest: issue.number, outcome }, "/approve-policy");
  };
}
