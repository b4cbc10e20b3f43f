import type { BotConfig } from "../config/bot-config.schema.js";
import type { ParsedTrigger } from "./derive-request.js";
import type { ParsedCommand } from "./parse-command.js";
import { parseIssueForm } from "./parse-issue-form.js";

/**
 * A slash command on a request issue, read with the repository's config (null: none could be
 * read). On an issue opened from the form (it carries the form's label), the form's answers are the
 * request's starting point, and their problems are the command's too.
 */
export function parseCommentTrigger(params: {
  command: ParsedCommand;
  issue: { labels: readonly { name: string }[]; body: string | null };
  config: BotConfig | null;
}): ParsedTrigger {
  const { command, issue, config } = params;
  const isForm = config !== null && issue.labels.some((l) => l.name === config.issueForm.label);
  const form =
    isForm && issue.body
      ? parseIssueForm({ body: issue.body, fields: config.issueForm.fields, valuesField: config.issueForm.valuesField })
      : null;
  return { trigger: command.command, problems: [...command.problems, ...(form?.problems ?? [])], form: form?.request ?? null };
}
