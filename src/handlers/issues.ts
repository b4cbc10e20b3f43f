import type { Context } from "probot";
import { parseIssueTrigger } from "../core/request/parse-issue-trigger.js";
import type { AppDeps } from "./app-deps.js";
import { loadRequestConfig, requestGateway, runIssueRequest, type RequestIssue } from "./handle-issue-request.js";

/**
 * `issues.opened`, `issues.edited`, `issues.labeled`: an issue from the request form (it carries
 * the form's label). Editing the body re-runs the request, so the pull request follows the issue.
 */
export function onIssue(deps: AppDeps) {
  return async (context: Context<"issues.opened" | "issues.edited" | "issues.labeled">): Promise<void> => {
    const { issue, sender } = context.payload;
    if (sender.type === "Bot") return void context.log.debug("ignored: change by a bot");
    if (issue.state === "closed") return void context.log.debug("ignored: closed issue");
    if (context.payload.action === "edited" && context.payload.changes.body === undefined)
      return void context.log.debug("ignored: body unchanged");

    const read = {
      issue: { labels: issue.labels ?? [], body: issue.body },
      ...(context.payload.action === "labeled" ? { addedLabel: context.payload.label?.name ?? "" } : {}),
    };
    const at: RequestIssue = { gateway: requestGateway(context, deps), issue };
    // Without configuration only an issue with the default label is a request, and hears of a fault.
    const config = await loadRequestConfig({ at, deps, isRequest: !("skip" in parseIssueTrigger({ ...read, config: null })) });
    if (config === null) return void context.log.debug("ignored: no .github/gitops-bot.yml");
    const parsed = parseIssueTrigger({ ...read, config: config.ok ? config.value : null });
    if ("skip" in parsed) return void context.log.debug(`ignored: ${parsed.skip}`);
    await runIssueRequest({ context, deps, at, config, parsed });
  };
}
