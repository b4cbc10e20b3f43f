import type { Probot } from "probot";
import { gitBlobSha } from "../adapters/git-blob-sha.js";
import { BlobCache } from "../adapters/github/blob-cache.js";
import { readBuiltinCatalog } from "../adapters/local/read-builtin-catalog.js";
import { readBuiltinPolicies } from "../adapters/local/read-builtin-policies.js";
import { checkAppAuthentication } from "../adapters/github/check-app-authentication.js";
import type { Catalog } from "../core/catalog/load-catalog.js";
import { DeliveryMemory } from "../workflows/redeliver-failed.js";
import { createCheckCaches } from "../workflows/check-caches.js";
import { DEFAULT_MANIFEST_CACHE_MB } from "../core/config/parse-manifest-cache-size.js";
import { type FileSource, NO_TELEMETRY, SOLE_REPLICA } from "../ports.js";
import type { AppDeps } from "./app-deps.js";
import { instrumentedOn } from "./instrumented-on.js";
import { onCommitStatus, onDeploymentStatus } from "./argo-status.js";
import { onCheckSuiteCompleted, onCommitStatusForAutoMerge, onPolicyCheckCompleted, onPullRequestReview } from "./auto-merge.js";
import { onApprovePolicy } from "./approve-policy.js";
import { onCheckRerequested } from "./check-rerun.js";
import { onIssueComment } from "./issue-comment.js";
import { onIssue } from "./issues.js";
import { onPullRequestClosed } from "./pull-request-closed.js";
import { onPullRequestCheck } from "./pull-request-check.js";
import { onPush, onUpgradeClosed } from "./rollout.js";
import type { PolicyCheckDeps } from "./run-policy-check.js";

/**
 * Process-wide dependencies: the built-in catalog (read once, lazily), the blob cache, the policy
 * check's caches of loaded policies and parsed manifests (`manifestCacheBytes`), whether
 * failed deliveries come back, and the metrics and delivery claims of the running App (none by
 * default: tests and one replica).
 */
export function createAppDeps(
  log: Probot["log"],
  runtime: Partial<Pick<AppDeps, "telemetry" | "claims" | "retry" | "deliveries">> & { manifestCacheBytes?: number } = {},
): AppDeps {
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
    telemetry: runtime.telemetry ?? NO_TELEMETRY,
    claims: runtime.claims ?? SOLE_REPLICA,
    retry: runtime.retry ?? null,
    deliveries: runtime.deliveries ?? new DeliveryMemory(),
    checkCaches: createCheckCaches({ manifestBytes: runtime.manifestCacheBytes ?? DEFAULT_MANIFEST_CACHE_MB * 1024 * 1024 }),
  };
}

/** Subscribes the handlers to exactly the events app.yml asks for. */
export function registerHandlers(probot: Probot, shared: AppDeps): void {
  let appLogin: Promise<string | null> | null = null;
  const askAppLogin = async () => {
    const { slug } = await checkAppAuthentication(await probot.auth());
    return slug === "" ? null : `${slug}[bot]`;
  };
  // A failed answer is not kept: the next handling asks again.
  const ownLogin = () => (appLogin ??= askAppLogin().catch((error: unknown) => ((appLogin = null), Promise.reject(error))));
  const deps: AppDeps & { appLogin: () => Promise<string | null> } = { ...shared, appLogin: shared.appLogin ?? ownLogin };
  const on = instrumentedOn(probot, deps);
  on(["issues.opened", "issues.edited", "issues.labeled"], onIssue(deps));
  on("pull_request.closed", onPullRequestClosed(deps));
  on("status", onCommitStatus(deps));
  on("deployment_status.created", onDeploymentStatus(deps));
  // Template rollouts: a push to the GitOps base branch, and a closed upgrade pull request that frees a slot.
  on("push", onPush(deps));
  on("pull_request.closed", onUpgradeClosed(deps));
  let policies: Promise<FileSource> | null = null;
  const checkDeps: PolicyCheckDeps = { ...deps, builtinPolicies: () => (policies ??= readBuiltinPolicies()) };
  on(["pull_request.opened", "pull_request.synchronize", "pull_request.reopened", "pull_request.edited"], onPullRequestCheck(checkDeps));
  on(["check_suite.rerequested", "check_run.rerequested"], onCheckRerequested(checkDeps));
  on("issue_comment.created", onIssueComment(deps, onApprovePolicy(checkDeps)));
  // The merge gate of the bot's pull requests (`autoMerge`): an approval, or the policy check's conclusion.
  on(["pull_request_review.submitted", "pull_request_review.dismissed"], onPullRequestReview(checkDeps));
  on("check_run.completed", onPolicyCheckCompleted(checkDeps));
  // Another required check (CI) finishing after the last approval: a check suite of another App, or a commit status.
  on("check_suite.completed", onCheckSuiteCompleted(checkDeps));
  on("status", onCommitStatusForAutoMerge(checkDeps));
}
