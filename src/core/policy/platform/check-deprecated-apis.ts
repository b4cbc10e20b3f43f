import type { Severity } from "../../problems.js";
import type { Finding } from "../types.js";
import { findDeprecatedApi } from "./deprecated-apis.js";
import type { PlatformContext } from "./platform-context.js";
import { platformFinding } from "./platform-finding.js";
import { identify } from "./workloads.js";

const RULE = "deprecated-api";

/**
 * Deprecated and removed API versions for the target Kubernetes version: an object the target no
 * longer serves gets the rule's severity (Argo CD would fail to sync it); one that is only
 * deprecated gets a warning, since it still works but will break on a later upgrade.
 */
export function checkDeprecatedApis(context: PlatformContext, params: { severity: Severity; kubernetesVersion: string }): Finding[] {
  const target = Number(params.kubernetesVersion.split(".")[1]);
  const findings: Finding[] = [];
  for (const manifest of context.manifests) {
    if (!context.isJudged(manifest.file)) continue;
    // Only two fields of every object: the identity is read for the few with a finding.
    const object = manifest.object;
    const entry = findDeprecatedApi(
      typeof object.apiVersion === "string" ? object.apiVersion : "",
      typeof object.kind === "string" ? object.kind : "",
    );
    if (!entry || target < entry.deprecatedIn) continue;
    const { apiVersion, kind, name } = identify(manifest);
    const removed = target >= entry.removedIn;
    const instead = entry.replacement ? `use ${entry.replacement}` : (entry.note ?? "remove it");
    const message = removed
      ? `${kind} "${name}" uses ${apiVersion}, which Kubernetes 1.${entry.removedIn} removed (target is ${params.kubernetesVersion}); ${instead}.`
      : `${kind} "${name}" uses ${apiVersion}, deprecated since Kubernetes 1.${entry.deprecatedIn} and removed in 1.${entry.removedIn}; ${instead}.`;
    findings.push(
      platformFinding({
        manifest,
        path: ["apiVersion"],
        rule: RULE,
        severity: removed ? params.severity : "warning",
        message,
        hint: entry.replacement
          ? `Change apiVersion to ${entry.replacement} and adapt the fields that changed (see the Kubernetes deprecation guide).`
          : "See the Kubernetes deprecation guide for the replacement.",
      }),
    );
  }
  return findings;
}
