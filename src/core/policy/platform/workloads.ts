import type { FieldPath } from "../../yaml/types.js";
import type { Manifest } from "../types.js";
import { parseQuantity } from "./quantity.js";

/** A manifest that runs pods, with where its pod template lives and how many copies it asks for. */
export interface Workload {
  manifest: Manifest;
  kind: string;
  name: string;
  /** `undefined` when the manifest leaves the namespace to the deployer (Argo CD's destination). */
  namespace: string | undefined;
  podSpecPath: FieldPath;
  podSpec: Record<string, unknown>;
  /** Labels the pods get: what Services, PDBs and quotas select on. */
  podLabels: Record<string, string>;
  /** Declared copies: replicas, Job parallelism, 1 for a Pod or DaemonSet (per node, unknown here). */
  replicas: number;
  /** Where replicas are declared, or the spec when they default. */
  replicasPath: FieldPath;
  hasReplicasField: boolean;
}

export interface ContainerRef {
  path: FieldPath;
  container: Record<string, unknown>;
  isInit: boolean;
}

/** Kinds whose `spec.replicas` scales a `spec.template` (Argo Rollouts behave like Deployments). */
const REPLICATED_KINDS = new Set(["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "Rollout"]);

/** Reads the workload facts of a manifest, or undefined when it runs no pods. */
export function describeWorkload(manifest: Manifest): Workload | undefined {
  const object = manifest.object;
  const kind = typeof object.kind === "string" ? object.kind : "";
  const metadata = asRecord(object.metadata);
  const spec = asRecord(object.spec);
  const name = typeof metadata?.name === "string" ? metadata.name : "";
  const namespace = typeof metadata?.namespace === "string" && metadata.namespace !== "" ? metadata.namespace : undefined;
  if (!spec) return undefined;
  const base = { manifest, kind, name, namespace };

  if (kind === "Pod") {
    return {
      ...base,
      podSpecPath: ["spec"],
      podSpec: spec,
      podLabels: stringRecord(metadata?.labels),
      replicas: 1,
      replicasPath: ["spec"],
      hasReplicasField: false,
    };
  }
  if (kind === "CronJob") {
    const jobSpec = asRecord(asRecord(spec.jobTemplate)?.spec);
    const template = asRecord(jobSpec?.template);
    const podSpec = asRecord(template?.spec);
    if (!jobSpec || !template || !podSpec) return undefined;
    return {
      ...base,
      podSpecPath: ["spec", "jobTemplate", "spec", "template", "spec"],
      podSpec,
      podLabels: stringRecord(asRecord(template.metadata)?.labels),
      ...countField(jobSpec.parallelism, ["spec", "jobTemplate", "spec", "parallelism"], ["spec", "jobTemplate", "spec"]),
    };
  }
  const template = asRecord(spec.template);
  const podSpec = asRecord(template?.spec);
  if (!template || !podSpec) return undefined;
  const common = {
    ...base,
    podSpecPath: ["spec", "template", "spec"],
    podSpec,
    podLabels: stringRecord(asRecord(template.metadata)?.labels),
  };
  if (REPLICATED_KINDS.has(kind)) return { ...common, ...countField(spec.replicas, ["spec", "replicas"], ["spec"]) };
  if (kind === "Job") return { ...common, ...countField(spec.parallelism, ["spec", "parallelism"], ["spec"]) };
  if (kind === "DaemonSet") return { ...common, replicas: 1, replicasPath: ["spec"], hasReplicasField: false };
  return undefined;
}

function countField(
  value: unknown,
  path: FieldPath,
  parent: FieldPath,
): { replicas: number; replicasPath: FieldPath; hasReplicasField: boolean } {
  if (typeof value === "number" && Number.isFinite(value)) return { replicas: value, replicasPath: path, hasReplicasField: true };
  return { replicas: 1, replicasPath: parent, hasReplicasField: false };
}

/** The containers and init containers of a workload, with their paths. */
export function listContainers(workload: Workload): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const field of ["initContainers", "containers"] as const) {
    const list = workload.podSpec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((item, index) => {
      const container = asRecord(item);
      if (container) out.push({ path: [...workload.podSpecPath, field, index], container, isInit: field === "initContainers" });
    });
  }
  return out;
}

/** One container's CPU (cores) and memory (bytes) for `requests` or `limits`; 0 when unset. */
export function containerResources(container: Record<string, unknown>, kind: "requests" | "limits"): { cpu: number; memory: number } {
  const amounts = asRecord(asRecord(container.resources)?.[kind]);
  return { cpu: parseQuantity(amounts?.cpu) ?? 0, memory: parseQuantity(amounts?.memory) ?? 0 };
}

/**
 * What one pod of the workload reserves, as the scheduler computes it: the larger of the sum over
 * regular containers and the largest init container (init containers run one at a time, before).
 */
export function podRequests(workload: Workload): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  let initCpu = 0;
  let initMemory = 0;
  for (const ref of listContainers(workload)) {
    const requests = containerResources(ref.container, "requests");
    if (ref.isInit) {
      initCpu = Math.max(initCpu, requests.cpu);
      initMemory = Math.max(initMemory, requests.memory);
    } else {
      cpu += requests.cpu;
      memory += requests.memory;
    }
  }
  return { cpu: Math.max(cpu, initCpu), memory: Math.max(memory, initMemory) };
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(asRecord(value) ?? {})) {
    if (typeof item === "string" || typeof item === "number" || typeof item === "boolean") out[key] = String(item);
  }
  return out;
}

/** The object's kind, name and namespace, for messages and lookups. */
export function identify(manifest: Manifest): { apiVersion: string; kind: string; name: string; namespace: string | undefined } {
  const metadata = asRecord(manifest.object.metadata);
  return {
    apiVersion: typeof manifest.object.apiVersion === "string" ? manifest.object.apiVersion : "",
    kind: typeof manifest.object.kind === "string" ? manifest.object.kind : "",
    name: typeof metadata?.name === "string" ? metadata.name : "",
    namespace: typeof metadata?.namespace === "string" && metadata.namespace !== "" ? metadata.namespace : undefined,
  };
}
