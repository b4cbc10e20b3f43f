import type { Probot } from "probot";
import { gitBlobSha } from "../adapters/git-blob-sha.js";
import { BlobCache } from "../adapters/github/gateway.js";
import { readBuiltinCatalog } from "../adapters/local/read-builtin-catalog.js";
import { readBuiltinPolicies } from "../adapters/local/read-builtin-policies.js";
import type { Catalog } from "../core/catalog/load-catalog.js";
import type { FileSource } from "../workflows/check-files.js";
import { DeliveryMemory } from "../workflows/redeliver-failed.js";
import type { AppDeps } from "./app-deps.js";
import { onCommitStatus, onDeploymentStatus } from "./argo-status.js";
import { onCheckRerequested } from "./check-rerun.js";
import { onIssueComment } from "./issue-comment.js";
import { onIssue } from "./issues.js";
import { onPullRequestClosed } from "./pull-request.js";
import { onPullRequestCheck } from "./pull-request-check.js";
import type { PolicyCheckDeps } from "./run-policy-check.js";

/** Process-wide dependencies: the built-in catalog (read once, lazily), the blob cache, and whether failed deliveries come back. */
export function createAppDeps(log: Probot["log"], retry: AppDeps["retry"] = null): AppDeps {
  let catalog: Promise<Catalog> | null = null;
  return {
    catalog: () =>
      (catalog ??= readBuiltinCatalog().then(({ catalog: loaded, problems }) => {
        // A broken built-in template is a packaging bug: log it, serve the rest.
        if (problems.length > 0) log.error({ problems }, "built-in catalog has problems");
        return loaded;
      })),
    blobCache: new BlobCache(),
    hashBlob: gitBlobSha,
    retry,
    deliveries: new DeliveryMemory(),
  };
}

/**
 * A handler whose failure is remembered by delivery id: Probot answers GitHub 202 after 9 s and
 * goes on, so GitHub records a handling that fails later as delivered. Redelivery asks for it.
 */
function tracked<C extends { id: string }>(memory: DeliveryMemory, handler: (context: C) => Promise<void>): (context: C) => Promise<void> {
  return async (context) => {
    const receivedAt = Date.now();
    try {
      await handler(context);
      memory.handlingSucceeded(context.id);
    } catch (error) {
      memory.handlingFailed({ guid: context.id, receivedAt, failedAt: Date.now() });
      throw error;
    }
  };
}

/** Subscribes the handlers to exactly the events app.yml asks for. */
export function registerHandlers(probot: Probot, deps: AppDeps): void {
  const memory = deps.deliveries;
  probot.on("issue_comment.created", tracked(memory, onIssueComment(deps)));
  probot.on(["issues.opened", "issues.edited", "issues.labeled"], tracked(memory, onIssue(deps)));
  probot.on("pull_request.closed", tracked(memory, onPullRequestClosed(deps)));
  probot.on("status", tracked(memory, onCommitStatus(deps)));
  probot.on("deployment_status.created", tracked(memory, onDeploymentStatus(deps)));
  let policies: Promise<FileSource> | null = null;
  const checkDeps: PolicyCheckDeps = { ...deps, builtinPolicies: () => (policies ??= readBuiltinPolicies()) };
  probot.on(["pull_request.opened", "pull_request.synchronize", "pull_request.reopened", "pull_request.edited"], tracked(memory, onPullRequestCheck(checkDeps)));
  probot.on(["check_suite.rerequested", "check_run.rerequested"], tracked(memory, onCheckRerequested(checkDeps)));
}
