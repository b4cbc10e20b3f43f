import type { Severity } from "../../problems.js";
import type { Finding } from "../types.js";
import { effectiveReplicas } from "./check-size-ceilings.js";
import { compileSelector } from "./label-selector.js";
import { sameNamespace, type PlatformContext } from "./platform-context.js";
import { platformFinding } from "./platform-finding.js";
import { asRecord } from "./workloads.js";

const RULE = "require-pdb";
const LONG_RUNNING = new Set(["Deployment", "StatefulSet", "Rollout"]);

/**
 * No PDB: a replicated long-running workload in the configured environments should be covered by a
 * PodDisruptionBudget, or a node drain may take all its pods at once. Kyverno cannot express this
 * because it needs two objects. Single-replica workloads are left alone: a PDB would block drains,
 * and the single-replica policy already warns about them.
 */
export function checkPodDisruptionBudgets(
  context: PlatformContext,
  params: { severity: Severity; environments: readonly string[] },
): Finding[] {
  const pdbs = context.manifestsOfKind("PodDisruptionBudget").map((m) => ({
    namespace: context.identityOf(m).namespace,
    matches: compileSelector(asRecord(m.object.spec)?.selector, true),
  }));
  const findings: Finding[] = [];
  for (const workload of context.workloads) {
    if (!LONG_RUNNING.has(workload.kind) || !context.isJudged(workload.manifest.file)) continue;
    const env = context.environmentOf(workload.manifest);
    if (!env || !params.environments.includes(env.environment.name)) continue;
    if (effectiveReplicas(context, workload) <= 1) continue;
    const covered = pdbs.some(
      (pdb) => sameNamespace(pdb.namespace, workload.namespace) && pdb.matches(workload.podLabels),
    );
    if (covered) continue;
    findings.push(
      platformFinding({
        manifest: workload.manifest,
        path: ["metadata", "name"],
        rule: RULE,
        severity: params.severity,
        message: `${workload.kind} "${workload.name}" runs in ${env.environment.name} with several replicas but no PodDisruptionBudget selects its pods.`,
        hint: "Add a PodDisruptionBudget (policy/v1) whose selector matches the pod template labels, for example with maxUnavailable: 1.",
      }),
    );
  }
  return findings;
}
