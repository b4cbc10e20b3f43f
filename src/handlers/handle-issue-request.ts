import type { Context } from "probot";
import { GitHubGateway } from "../adapters/github/gateway.js";
import { faultOf } from "../adapters/github/gitops-octokit.js";
import type { BotConfig } from "../core/config/bot-config.schema.js";
import type { Problem } from "../core/problems.js";
import type { IssueFormRequest } from "../core/request/parse-issue-form.js";
import { requestOutcome } from "../core/metrics/request-outcome.js";
import { PortProblemError, type Telemetry } from "../ports.js";
import { handleRequest, reportFault, type HandledRequest, type RequestEvent } from "../workflows/handle-request.js";
import type { AppDeps } from "./app-deps.js";
import { gitOpsPorts, loadBotConfig, requestConversation } from "./github-ports.js";

type IssueEventName = "issue_comment.created" | "issues.opened" | "issues.edited" | "issues.labeled";

/** What a handler read from its payload, given the repository's configuration. */
export type ParsedTrigger = { trigger: RequestEvent["trigger"]; problems: readonly Problem[]; form: IssueFormRequest | null } | { skip: string };

/**
 * The shared path of issue and comment events: load the configuration, let the handler read its
 * payload with it, then run the request workflow with GitHub ports.
 */
export async function handleIssueRequest(params: {
  context: Context<IssueEventName>;
  deps: AppDeps;
  issue: { number: number; html_url: string };
  commentId?: number;
  parse: (config: BotConfig | null) => ParsedTrigger;
}): Promise<void> {
  const { context, deps } = params;
  const { repository, sender } = context.payload;
  const requests = new GitHubGateway({ octokit: context.octokit, owner: repository.owner.login, repo: repository.name, blobCache: deps.blobCache });
  const config = await loadBotConfig(requests).catch(async (error: unknown) => {
    // Unread configuration: only an event that is a request even without it hears of the fault.
    if (!(error instanceof PortProblemError) && !("skip" in params.parse(null))) {
      await reportFault({ conversation: requestConversation(requests, params.issue.number, params.commentId), fault: faultOf(error), retry: deps.retry });
    }
    throw error;
  });
  if (config.ok && config.value === null) return void context.log.debug("ignored: no .github/gitops-bot.yml");
  const parsed = params.parse(config.ok ? config.value : null);
  if ("skip" in parsed) return void context.log.debug(`ignored: ${parsed.skip}`);

  const result = await handleRequest({
    event: {
      trigger: parsed.trigger,
      parseProblems: parsed.problems,
      form: parsed.form,
      actor: { login: sender.login, type: sender.type },
      issue: { repository: repository.full_name, number: params.issue.number, url: params.issue.html_url },
    },
    config,
    catalog: await deps.catalog(),
    conversation: requestConversation(requests, params.issue.number, params.commentId),
    access: requests.accessReader(),
    openGitOps: (valid, options) => gitOpsPorts({ octokit: context.octokit, requestRepository: repository.full_name, blobCache: deps.blobCache, config: valid, ...options }),
    hashBlob: deps.hashBlob,
    serverUrl: new URL(repository.html_url).origin,
    describeFault: faultOf,
    retry: deps.retry,
}).catch((error: unknown) => {
    deps.telemetry.requestEnded("failed");
    throw error;
  });
  countRequest(deps.telemetry, result);
  // The repository and issue are bound to every line of the handling (instrumented-on.ts).
  context.log.info({ result: result.kind === "answered" ? result.view : result.reason }, "request handled");
}

/** The request's outcome and its pull request, for the metrics. */
function countRequest(telemetry: Telemetry, result: HandledRequest): void {
  if (result.kind !== "answered") return;
  const outcome = requestOutcome(result.view);
  if (outcome) telemetry.requestEnded(outcome);
  if (result.pullRequest) telemetry.pullRequest(result.pullRequest.created ? "opened" : "updated");
}
