import { DEFAULT_REQUEST_LABEL, type BotConfig } from "../config/bot-config.schema.js";
import type { ParsedTrigger } from "./derive-request.js";
import { parseIssueForm } from "./parse-issue-form.js";

/**
 * An issue opened, edited or labelled, read with the repository's config (null: none could be
 * read). Only issues carrying the form's label are requests: the form adds it, and headings alone
 * are easy to type by accident; a label event counts only when it added that label.
 */
export function parseIssueTrigger(params: {
  issue: { labels: readonly { name: string }[]; body: string | null };
  /** The label a `labeled` event added; absent for other actions. */
  addedLabel?: string | undefined;
  config: BotConfig | null;
}): ParsedTrigger {
  const { issue, config } = params;
  // A broken config cannot name its label: the default keeps every other issue quiet.
  const label = config?.issueForm.label ?? DEFAULT_REQUEST_LABEL;
  if (!issue.labels.some((l) => l.name === label)) return { skip: `no ${label} label` };
  if (params.addedLabel !== undefined && params.addedLabel !== label) return { skip: "another label was added" };
  if (config === null) return { trigger: { name: "form" }, problems: [], form: null };
  const form = parseIssueForm({ body: issue.body ?? "", fields: config.issueForm.fields, valuesField: config.issueForm.valuesField });
  return { trigger: { name: "form" }, problems: form.problems, form: form.request };
}
