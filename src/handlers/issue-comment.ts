import type { Context } from "probot";
import { parseCommand } from "../core/request/parse-command.js";
import { parseCommentTrigger } from "../core/request/parse-comment-trigger.js";
import type { AppDeps } from "./app-deps.js";
import { loadRequestConfig, requestGateway, runIssueRequest, type RequestIssue } from "./handle-issue-request.js";

/**
 * `issue_comment.created`: a slash command on a request issue; a comment on a pull request goes to
 * `onPullRequestComment` (`/approve-policy`), so one delivery is one handling.
 */
export function onIssueComment(deps: AppDeps, onPullRequestComment?: (context: Context<"issue_comment.created">) => Promise<void>) {
  return async (context: Context<"issue_comment.created">): Promise<void> => {
    const { comment, issue, sender } = context.payload;
    if (sender.type === "Bot") return void context.log.debug("ignored: comment by a bot");
    if (issue.pull_request)
      return onPullRequestComment ? onPullRequestComment(context) : void context.log.debug("ignored: comment on a pull request");
    const command = parseCommand(comment.body);
    if (!command.command && command.problems.length === 0) return void context.log.debug("ignored: no command");

    const at: RequestIssue = { gateway: requestGateway(context, deps), issue, commentId: comment.id };
    // A command is a request even when the configuration cannot be read: it hears of the fault.
    const config = await loadRequestConfig({ at, deps, isRequest: true });
    if (config === null) return void context.log.debug("ignored: no .github/gitops-bot.yml");
    const parsed = parseCommentTrigger({
      command,
      issue: { labels: issue.labels ?? [], body: issue.body },
      config: config.ok ? config.value : null,
    });
    if ("skip" in parsed) return void context.log.debug(`ignored: ${parsed.skip}`);
    await runIssueRequest({ context, deps, at, config, parsed });
  };
}
