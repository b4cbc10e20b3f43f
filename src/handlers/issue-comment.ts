import type { Context } from "probot";
import { parseCommand } from "../core/request/parse-command.js";
import { parseIssueForm } from "../core/request/parse-issue-form.js";
import type { AppDeps } from "./app-deps.js";
import { handleIssueRequest } from "./handle-issue-request.js";

/**
 * `issue_comment.created`: a slash command on a request issue; a comment on a pull request goes to
 * `onPullRequestComment` (`/approve-policy`), so one delivery is one handling.
 */
export function onIssueComment(deps: AppDeps, onPullRequestComment?: (context: Context<"issue_comment.created">) => Promise<void>) {
  return async (context: Context<"issue_comment.created">): Promise<void> => {
    const { comment, issue, sender } = context.payload;
    if (sender.type === "Bot") return void context.log.debug("ignored: comment by a bot");
    if (issue.pull_request) return onPullRequestComment ? onPullRequestComment(context) : void context.log.debug("ignored: comment on a pull request");
    const command = parseCommand(comment.body);
    if (!command.command && command.problems.length === 0) return void context.log.debug("ignored: no command");

    await handleIssueRequest({
      context,
      deps,
      issue,
      commentId: comment.id,
      parse: (config) => {
        // On an issue opened from the form, the form's answers are the request's starting point.
        const isForm = config !== null && issue.labels?.some((l) => l.name === config.issueForm.label) === true;
        const form = isForm && issue.body ? parseIssueForm({ body: issue.body, fields: config.issueForm.fields, valuesField: config.issueForm.valuesField }) : null;
        return { trigger: command.command, problems: [...command.problems, ...(form?.problems ?? [])], form: form?.request ?? null };
      },
    });
  };
}
