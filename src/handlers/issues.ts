import type { Context } from "probot";
import { DEFAULT_REQUEST_LABEL } from "../core/config/bot-config.schema.js";
import { parseIssueForm } from "../core/request/parse-issue-form.js";
import type { AppDeps } from "./app-deps.js";
import { handleIssueRequest } from "./handle-issue-request.js";

/**
 * `issues.opened`, `issues.edited`, `issues.labeled`: an issue from the request form. Only issues
 * carrying the form's label are requests: the form adds it, and headings alone are easy to type
 * by accident. Editing the body re-runs the request, so the pull request follows the issue.
 */
export function onIssue(deps: AppDeps) {
  return async (context: Context<"issues.opened" | "issues.edited" | "issues.labeled">): Promise<void> => {
    const { issue, sender } = context.payload;
    if (sender.type === "Bot") return void context.log.debug("ignored: change by a bot");
    if (issue.state === "closed") return void context.log.debug("ignored: closed issue");
    if (context.payload.action === "edited" && context.payload.changes.body === undefined) return void context.log.debug("ignored: body unchanged");

    await handleIssueRequest({
      context,
      deps,
      issue,
      parse: (config) => {
        // A broken config cannot name its label: the default keeps every other issue quiet.
        const label = config?.issueForm.label ?? DEFAULT_REQUEST_LABEL;
        if (!issue.labels?.some((l) => l.name === label)) return { skip: `no ${label} label` };
        if (context.payload.action === "labeled" && context.payload.label?.name !== label) return { skip: "another label was added" };
        if (config === null) return { trigger: { name: "form" }, problems: [], form: null };
        const form = parseIssueForm({ body: issue.body ?? "", fields: config.issueForm.fields, valuesField: config.issueForm.valuesField });
        return { trigger: { name: "form" }, problems: form.problems, form: form.request };
      },
    });
  };
}
