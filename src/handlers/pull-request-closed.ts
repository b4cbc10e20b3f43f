import type { Context } from "probot";
import { GitHubGateway } from "../adapters/github/gateway.js";
import { MergeGateway } from "../adapters/github/merge-gateway.js";
import { AUTO_MERGE_MARKER } from "../core/report/auto-merge-comment.js";
import { handlePullRequestClosed } from "../workflows/handle-pull-request-closed.js";
import type { AppDeps } from "./app-deps.js";
import { loadBotConfig, requestConversation, splitRepository } from "./github-ports.js";

/** `pull_request.closed`: a pull request of the bot merged or closed; tell its request issue. */
export function onPullRequestClosed(deps: AppDeps) {
  return async (context: Context<"pull_request.closed">): Promise<void> => {
    const { pull_request: pr, repository } = context.payload;
    if (pr.user.type !== "Bot") return void context.log.debug("ignored: pull request not opened by a bot");
    if (pr.head.repo?.full_name !== repository.full_name) return void context.log.debug("ignored: pull request from a fork");

    const gitops = new GitHubGateway({ octokit: context.octokit, ...splitRepository(repository.full_name), blobCache: deps.blobCache });
    const result = await handlePullRequestClosed({
      pullRequest: {
        number: pr.number,
        url: pr.html_url,
        merged: pr.merged === true,
        mergedAt: pr.merged_at,
        body: pr.body,
        headRef: pr.head.ref,
      },
      repository: repository.full_name,
      readMergedFile: async (path) => {
        if (!pr.merge_commit_sha) return null;
        return gitops.contents.readTextFile(path, pr.merge_commit_sha);
      },
      openRequestIssue: (issue) => {
        const gateway = new GitHubGateway({ octokit: context.octokit, ...splitRepository(issue.repository), blobCache: deps.blobCache });
        return { readConfig: () => loadBotConfig(gateway), conversation: requestConversation(gateway, issue.number) };
      },
      autoMergeComment: new MergeGateway({ octokit: context.octokit, gateway: gitops }).reportComment(pr.number, AUTO_MERGE_MARKER),
    });
    context.log.info({ result: result.kind === "answered" ? result.view : result.reason }, "pull request closed");
  };
}
