import type { Severity } from "../../problems.js";
import type { Finding } from "../types.js";
import { effectiveReplicas } from "./check-size-ceilings.js";
import { compileSelector, type LabelMatcher } from "./label-selector.js";
import type { PlatformContext } from "./platform-context.js";
import { platformFinding } from "./platform-finding.js";
import { asRecord, type PlatformObject } from "./workloads.js";

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
  // By namespace, so each workload is compared with the PDBs that can select it, not all of them;
  // a namespace's selectors are compiled when one of its workloads first needs them.
  const pdbsByNamespace = new Map<string | undefined, PlatformObject[]>();
  for (const pdb of context.objectsOfKind("PodDisruptionBudget")) {
    const list = pdbsByNamespace.get(pdb.namespace);
    if (list) list.push(pdb);
    else pdbsByNamespace.set(pdb.namespace, [pdb]);
  }
  const compiled = new Map<string | undefined, LabelMatcher[]>();
  const matchersIn = (namespace: string | undefined): LabelMatcher[] => {
    let matchers = compiled.get(namespace);
    if (!matchers) {
      matchers = (pdbsByNamespace.get(namespace) ?? []).map(({ manifest }) =>
        compileSelector(asRecord(manifest.object.spec)?.selector, true),
      );
      compiled.set(namespace, matchers);
    }
    return matchers;
  };
  const selects = (matchers: readonly LabelMatcher[], labels: Readonly<Record<string, string>>) => matchers.some((m) => m(labels));
  // A workload that names no namespace may meet a PDB of any namespace; otherwise its own and the unplaced ones.
  const covers = (namespace: string | undefined, labels: Readonly<Record<string, string>>): boolean =>
    namespace === undefined
      ? [...pdbsByNamespace.keys()].some((key) => selects(matchersIn(key), labels))
      : selects(matchersIn(namespace), labels) || selects(matchersIn(undefined), labels);
  const findings: Finding[] = [];
  for (const workload of context.workloads) {
    if (!LONG_RUNNING.has(workload.kind) || !context.isJudged(workload.manifest.file)) continue;
    const env = context.environmentOf(workload);
    if (!env || !params.environments.includes(env.environment.name)) continue;
    if (effectiveReplicas(context, workload) <= 1) continue;
    if (covers(workload.namespace, workload.podLabels)) continue;
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
