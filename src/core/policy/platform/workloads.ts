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
  /** Containers and init containers, their amounts read once. */
  containers: readonly ContainerRef[];
  /** What one pod reserves (see {@link podRequests}). */
  perPod: Amounts;
}

/** CPU in cores and memory in bytes; 0 when unset or unreadable. */
export interface Amounts {
  cpu: number;
  memory: number;
}

export interface ContainerRef {
  path: FieldPath;
  container: Record<string, unknown>;
  name: string;
  isInit: boolean;
  requests: Amounts;
  limits: Amounts;
}

/** Kinds whose `spec.replicas` scales a `spec.template` (Argo Rollouts behave like Deployments). */
const REPLICATED_KINDS = new Set(["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "Rollout"]);

/** Reads the workload facts of a manifest, or undefined when it runs no pods. */
export function describeWorkload(manifest: Manifest): Workload | undefined {
  const shape = describeShape(manifest);
  if (!shape) return undefined;
  const containers = readContainers(shape.podSpec, shape.podSpecPath);
  return { ...shape, containers, perPod: podRequestsOf(containers) };
}

function describeShape(manifest: Manifest): Omit<Workload, "containers" | "perPod"> | undefined {
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

function readContainers(podSpec: Record<string, unknown>, podSpecPath: FieldPath): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const field of ["initContainers", "containers"] as const) {
    const list = podSpec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((item, index) => {
      const container = asRecord(item);
      if (!container) return;
      const resources = asRecord(container.resources);
      out.push({
        path: [...podSpecPath, field, index],
        container,
        name: typeof container.name === "string" ? container.name : "?",
        isInit: field === "initContainers",
        requests: amountsOf(resources?.requests),
        limits: amountsOf(resources?.limits),
      });
    });
  }
  return out;
}

function amountsOf(value: unknown): Amounts {
  const amounts = asRecord(value);
  return { cpu: parseQuantity(amounts?.cpu) ?? 0, memory: parseQuantity(amounts?.memory) ?? 0 };
}

/** The containers and init containers of a workload, with their paths and amounts. */
export function listContainers(workload: Workload): readonly ContainerRef[] {
  return workload.containers;
}

/**
 * What one pod of the workload reserves, as the scheduler computes it: the larger of the sum over
 * regular containers and the largest init container (init containers run one at a time, before).
 */
export function podRequests(workload: Workload): Amounts {
  return workload.perPod;
}

function podRequestsOf(containers: readonly ContainerRef[]): Amounts {
  let cpu = 0;
  let memory = 0;
  let initCpu = 0;
  let initMemory = 0;
  for (const ref of containers) {
    if (ref.isInit) {
      initCpu = Math.max(initCpu, ref.requests.cpu);
      initMemory = Math.max(initMemory, ref.requests.memory);
    } else {
      cpu += ref.requests.cpu;
      memory += ref.requests.memory;
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
