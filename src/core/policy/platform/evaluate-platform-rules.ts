import type { Finding, Manifest } from "../types.js";
import { checkDeprecatedApis } from "./check-deprecated-apis.js";
import { checkNamespaceOwnership } from "./check-namespace-ownership.js";
import { checkPodDisruptionBudgets } from "./check-pod-disruption-budgets.js";
import { checkReferences } from "./check-references.js";
import { checkSizeCeilings } from "./check-size-ceilings.js";
import { checkTeamQuota } from "./check-team-quota.js";
import type { PlatformConfig } from "./platform-config.schema.js";
import { createPlatformContext } from "./platform-context.js";

/**
 * Runs every enabled platform rule: the checks that need more than one object or facts about the
 * change (who changed which files), which Kyverno cannot express. Pure: the caller supplies every
 * manifest of the repository after the change and says which files are being judged.
 */
export function evaluatePlatformRules(params: {
  config: PlatformConfig;
  /** Every manifest of the repository after the change. */
  manifests: readonly Manifest[];
  /** Files whose objects may get findings; every file when absent. */
  isJudged?: (file: string) => boolean;
  /** Every file path of the repository after the change (Argo CD Application paths). */
  files?: readonly string[];
  /** Paths the change adds, modifies or deletes (ownership). */
  changedFiles?: readonly string[];
  /** The author's teams; ownership is only judged when this is known. */
  authorTeams?: readonly string[];
}): Finding[] {
  const { config } = params;
  const rules = config.rules;
  const context = createPlatformContext({ config, manifests: params.manifests, isJudged: params.isJudged ?? (() => true) });
  const findings: Finding[] = [];
  if (rules.sizeCeilings.severity !== "off") findings.push(...checkSizeCeilings(context, rules.sizeCeilings.severity));
  if (rules.teamQuota.severity !== "off") findings.push(...checkTeamQuota(context, rules.teamQuota.severity));
  if (rules.namespaceOwnership.severity !== "off" && params.changedFiles && params.authorTeams) {
    findings.push(
      ...checkNamespaceOwnership(context, {
        severity: rules.namespaceOwnership.severity,
        changedFiles: params.changedFiles,
        authorTeams: params.authorTeams,
      }),
    );
  }
  if (rules.references.severity !== "off") {
    findings.push(
      ...checkReferences(context, {
        severity: rules.references.severity,
        ...(params.files ? { files: params.files } : {}),
        argoCdRepoURLs: rules.references.argoCdRepoURLs,
      }),
    );
  }
  const kubernetesVersion = rules.deprecatedApis.kubernetesVersion;
  if (rules.deprecatedApis.severity !== "off" && kubernetesVersion !== undefined) {
    findings.push(...checkDeprecatedApis(context, { severity: rules.deprecatedApis.severity, kubernetesVersion }));
  }
  if (rules.podDisruptionBudget.severity !== "off") {
    findings.push(
      ...checkPodDisruptionBudgets(context, {
        severity: rules.podDisruptionBudget.severity,
        environments: rules.podDisruptionBudget.environments,
      }),
    );
  }
  return findings;
}
