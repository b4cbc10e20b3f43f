import type { Severity } from "../../problems.js";
import type { Finding } from "../types.js";
import { asRecord, listContainers, podRequests, type Workload } from "./workloads.js";
import type { PlatformContext } from "./platform-context.js";
import type { Size } from "./platform-config.schema.js";
import { platformFinding } from "./platform-finding.js";
import { formatCpu, formatMemory, parseQuantity } from "./quantity.js";

const RULE = "size-ceiling";
const HINT = "Choose a smaller size, or ask the platform team to allow a larger one for this environment.";

/**
 * Size ceilings: no workload may ask for more replicas, or more CPU or memory per container, than
 * the largest size its environment allows, and the workloads of one namespace together may not
 * request more than that size's namespace ceiling. Findings land on the offending field.
 */
export function checkSizeCeilings(context: PlatformContext, severity: Severity): Finding[] {
  const findings: Finding[] = [];
  const ceilingsOf = containerCeilings();
  for (const workload of context.workloads) {
    if (!context.isJudged(workload.manifest.file)) continue;
    const env = context.environmentOf(workload);
    if (!env) continue;
    const { size } = env;
    // Written only for a finding: most workloads have none.
    const where = () => `the largest size allowed in ${env.environment.name} ("${env.environment.maxSize}")`;
    if (size.replicas !== undefined && workload.hasReplicasField && workload.replicas > size.replicas) {
      findings.push(
        platformFinding({
          manifest: workload.manifest,
          path: workload.replicasPath,
          rule: RULE,
          severity,
          message: `${workload.kind} "${workload.name}" asks for ${workload.replicas} replicas; ${where()} allows ${size.replicas}.`,
          hint: HINT,
        }),
      );
    }
    const ceilings = ceilingsOf(size);
    if (ceilings.cpu === undefined && ceilings.memory === undefined) continue;
    for (const ref of listContainers(workload)) {
      for (const kind of AMOUNT_KINDS) {
        for (const resource of RESOURCES) {
          const value = ref[kind][resource.name];
          const ceiling = ceilings[resource.name];
          if (ceiling === undefined || value <= ceiling) continue;
          findings.push(
            platformFinding({
              manifest: workload.manifest,
              path: [...workload.podSpecPath, ref.field, ref.index, "resources", kind, resource.name],
              rule: RULE,
              severity,
              message: `Container "${ref.name}" ${kind} ${resource.format(value)} ${resource.name}; ${where()} allows ${resource.format(ceiling)} per container.`,
              hint: HINT,
            }),
          );
        }
      }
    }
  }
  findings.push(...checkHpaCeilings(context, severity), ...checkNamespaceCeilings(context, severity));
  return findings;
}

const AMOUNT_KINDS = ["requests", "limits"] as const;
const RESOURCES = [
  { name: "cpu", format: formatCpu },
  { name: "memory", format: formatMemory },
] as const;

/** Each size's per-container ceilings in base units, read once per check rather than once per workload. */
function containerCeilings(): (size: Size) => { cpu: number | undefined; memory: number | undefined } {
  const read = new Map<Size, { cpu: number | undefined; memory: number | undefined }>();
  return (size) => {
    let ceilings = read.get(size);
    if (!ceilings) read.set(size, (ceilings = { cpu: parseQuantity(size.container?.cpu), memory: parseQuantity(size.container?.memory) }));
    return ceilings;
  };
}

/** An HPA may not scale its target beyond the replica ceiling either. */
function checkHpaCeilings(context: PlatformContext, severity: Severity): Finding[] {
  const findings: Finding[] = [];
  for (const object of context.objectsOfKind("HorizontalPodAutoscaler")) {
    const { manifest, name } = object;
    if (!context.isJudged(manifest.file)) continue;
    const env = context.environmentOf(object);
    const maxReplicas = asRecord(manifest.object.spec)?.maxReplicas;
    if (!env || env.size.replicas === undefined || typeof maxReplicas !== "number" || maxReplicas <= env.size.replicas) continue;
    findings.push(
      platformFinding({
        manifest,
        path: ["spec", "maxReplicas"],
        rule: RULE,
        severity,
        message: `HorizontalPodAutoscaler "${name}" may scale to ${maxReplicas} replicas; the largest size allowed in ${env.environment.name} ("${env.environment.maxSize}") allows ${env.size.replicas}.`,
        hint: HINT,
      }),
    );
  }
  return findings;
}

/** Replicas that count for capacity: what an HPA may scale to when it is more than declared. */
export function effectiveReplicas(context: PlatformContext, workload: Workload): number {
  return Math.max(workload.replicas, context.hpaMaxReplicas(workload) ?? 0);
}

/** What workloads request together at their largest scale: CPU in cores, memory in bytes. */
export function totalRequests(context: PlatformContext, workloads: readonly Workload[]): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const workload of workloads) {
    const perPod = podRequests(workload);
    const replicas = effectiveReplicas(context, workload);
    cpu += perPod.cpu * replicas;
    memory += perPod.memory * replicas;
  }
  return { cpu, memory };
}

function checkNamespaceCeilings(context: PlatformContext, severity: Severity): Finding[] {
  const findings: Finding[] = [];
  for (const [namespace, workloads] of context.workloadsByNamespace) {
    const judged = workloads.find((w) => context.isJudged(w.manifest.file));
    if (!judged) continue;
    const env = firstEnvironment(context, workloads);
    const ceiling = env?.size.namespace;
    if (!env || !ceiling) continue;
    const { cpu, memory } = totalRequests(context, workloads);
    const checks = [
      { resource: "CPU", total: cpu, ceiling: parseQuantity(ceiling.cpu), format: formatCpu },
      { resource: "memory", total: memory, ceiling: parseQuantity(ceiling.memory), format: formatMemory },
    ];
    for (const check of checks) {
      if (check.ceiling === undefined || check.total <= check.ceiling) continue;
      findings.push(
        platformFinding({
          manifest: judged.manifest,
          path: ["metadata", "namespace"],
          rule: RULE,
          severity,
          message: `Namespace "${namespace}" would request ${check.format(check.total)} ${check.resource} across ${workloads.length} workload(s); the largest size allowed in ${env.environment.name} ("${env.environment.maxSize}") allows ${check.format(check.ceiling)} per namespace.`,
          hint: "Lower replicas or requests in this namespace, or ask the platform team for a larger size.",
        }),
      );
    }
  }
  return findings;
}

/** The environment of the first workload that has one (the namespace's environment). */
function firstEnvironment(context: PlatformContext, workloads: readonly Workload[]): ReturnType<PlatformContext["environmentOf"]> {
  for (const workload of workloads) {
    const env = context.environmentOf(workload);
    if (env) return env;
  }
  return undefined;
}
