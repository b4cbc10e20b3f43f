import type { Context } from "probot";
import { createCommitFileReader } from "../adapters/github/commit-file-reader.js";
import { GitHubGateway } from "../adapters/github/gateway.js";
import { DELIVERY_FAILURE_LABEL } from "../core/delivery/delivery-state.js";
import { ARGO_CONTEXT_PREFIX, type ArgoStatusInput } from "../core/delivery/parse-argo-status.js";
import { STATUS_MARKER } from "../core/report/status-comment.js";
import { handleArgoStatus } from "../workflows/on-argo-status.js";
import type { AppDeps } from "./app-deps.js";
import { splitRepository } from "./github-ports.js";

async function run(params: {
  context: Context<"status"> | Context<"deployment_status.created">;
  deps: AppDeps;
  input: ArgoStatusInput;
}): Promise<void> {
  const { context, deps } = params;
  const repository = context.payload.repository.full_name;
  const gitops = new GitHubGateway({ octokit: context.octokit, ...splitRepository(repository), blobCache: deps.blobCache });
  const result = await handleArgoStatus({
    input: params.input,
    repository,
    gitops: createCommitFileReader({
      repository,
      readTextFile: (path, ref) => gitops.contents.readTextFile(path, ref),
      cache: deps.blobCache,
    }),
    openRequestIssue: (issue) => {
      const requests = new GitHubGateway({ octokit: context.octokit, ...splitRepository(issue.repository), blobCache: deps.blobCache });
      return requests.deliveryIssue({ issueNumber: issue.number, marker: STATUS_MARKER, label: DELIVERY_FAILURE_LABEL });
    },
  });
  if (result.kind === "ignored") context.log.debug({ repository, result: result.reason }, "Argo CD status ignored");
  else context.log.info({ repository, issue: `${result.issue.repository}#${result.issue.number}`, phase: result.phase }, "Argo CD status");
}

/** `status`: Argo CD Notifications' commit status `continuous-delivery/<Application>` on the GitOps repository. */
export function onCommitStatus(deps: AppDeps) {
  return async (context: Context<"status">): Promise<void> => {
    const { payload } = context;
    // Most statuses are CI's: decided from the payload, without a request.
    if (!payload.context.startsWith(ARGO_CONTEXT_PREFIX)) return void context.log.debug("ignored: not an Argo CD status");
    const input: ArgoStatusInput = {
      source: "status",
      context: payload.context,
      state: payload.state,
      sha: payload.sha,
      description: payload.description ?? null,
      targetUrl: payload.target_url ?? null,
      commitDate: payload.commit.commit.committer?.date ?? null,
      commitMessage: payload.commit.commit.message,
    };
    await run({ context, deps, input });
  };
}

/** `deployment_status.created`: a Deployment Argo CD Notifications made, its environment naming the Application. */
export function onDeploymentStatus(deps: AppDeps) {
  return async (context: Context<"deployment_status.created">): Promise<void> => {
    const { deployment, deployment_status: status } = context.payload;
    const input: ArgoStatusInput = {
      source: "deployment",
      environment: deployment.environment,
      state: status.state,
      sha: deployment.sha,
      description: status.description ?? null,
      targetUrl: status.log_url || status.target_url || null,
      createdAt: deployment.created_at,
    };
    await run({ context, deps, input });
  };
}
