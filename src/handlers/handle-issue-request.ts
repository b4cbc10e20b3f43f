import type { Context } from "probot";
import { GitHubGateway } from "../adapters/github/gateway.js";
import { faultOf } from "../adapters/github/gitops-octokit.js";
import type { BotConfig } from "../core/config/bot-config.schema.js";
import type { Result } from "../core/problems.js";
import type { ParsedTrigger } from "../core/request/derive-request.js";
import { requestOutcome } from "../core/metrics/request-outcome.js";
import { PortProblemError, type Telemetry } from "../ports.js";
import { handleRequest, reportFault, type HandledRequest } from "../workflows/handle-request.js";
import type { AppDeps } from "./app-deps.js";
import { gitOpsPorts, loadBotConfig, requestConversation } from "./github-ports.js";

type IssueEventName = "issue_comment.created" | "issues.opened" | "issues.edited" | "issues.labeled";

/** Where a request event happened: the gateway of its repository, the issue, and the comment that asked. */
export interface RequestIssue {
  gateway: GitHubGateway;
  issue: { number: number; html_url: string };
  commentId?: number;
}

/** The gateway of the repository an issue event came from. */
export function requestGateway(context: Context<IssueEventName>, deps: AppDeps): GitHubGateway {
  const { repository } = context.payload;
  return new GitHubGateway({
    octokit: context.octokit,
    owner: repository.owner.login,
    repo: repository.name,
    blobCache: deps.blobCache,
    ...(deps.appLogin ? { appLogin: deps.appLogin } : {}),
  });
}

/**
 * The request repository's `.github/gitops-bot.yml`, or null when it has none (not a request
 * repository: its events are ignored). When it cannot be read, an event that is a request even
 * without it (`isRequest`) hears of the fault on its issue before the fault is thrown.
 */
export async function loadRequestConfig(params: {
  at: RequestIssue;
  deps: AppDeps;
  isRequest: boolean;
}): Promise<Result<BotConfig> | null> {
  const { at } = params;
  const config = await loadBotConfig(at.gateway).catch(async (error: unknown) => {
    if (!(error instanceof PortProblemError) && params.isRequest) {
      await reportFault({
        conversation: requestConversation(at.gateway, at.issue.number, at.commentId),
        fault: faultOf(error),
        retry: params.deps.retry,
      });
    }
    throw error;
  });
  if (!config.ok) return config;
  return config.value === null ? null : { ...config, value: config.value };
}

/** Runs the request workflow with GitHub ports for an event its handler has read, and counts the outcome. */
export async function runIssueRequest(params: {
  context: Context<IssueEventName>;
  deps: AppDeps;
  at: RequestIssue;
  config: Result<BotConfig>;
  parsed: Exclude<ParsedTrigger, { skip: string }>;
}): Promise<void> {
  const { context, deps, at, parsed } = params;
  const { repository, sender } = context.payload;
  const result = await handleRequest({
    event: {
      trigger: parsed.trigger,
      parseProblems: parsed.problems,
      form: parsed.form,
      actor: { login: sender.login, type: sender.type },
      issue: { repository: repository.full_name, number: at.issue.number, url: at.issue.html_url },
    },
    config: params.config,
    catalog: await deps.catalog(),
    conversation: requestConversation(at.gateway, at.issue.number, at.commentId),
    access: at.gateway.accessReader(),
    openGitOps: (valid, options) =>
      gitOpsPorts({
        octokit: context.octokit,
        requestRepository: repository.full_name,
        blobCache: deps.blobCache,
        config: valid,
        ...options,
      }),
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
