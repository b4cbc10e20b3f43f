import { own } from "../../own.js";
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
  podLabels: Readonly<Record<string, string>>;
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
  /** Where the container sits in the pod spec: its path is the workload's `podSpecPath`, `field`, `index`. */
  field: (typeof CONTAINER_FIELDS)[number];
  index: number;
  container: Record<string, unknown>;
  name: string;
  isInit: boolean;
  requests: Amounts;
  limits: Amounts;
}

/** Kinds that run pods, and where their pod template and copy count live. */
const POD_TEMPLATES: Readonly<Record<string, { template: FieldPath; count?: FieldPath }>> = {
  Pod: { template: [] },
  Deployment: { template: ["spec", "template"], count: ["spec", "replicas"] },
  StatefulSet: { template: ["spec", "template"], count: ["spec", "replicas"] },
  ReplicaSet: { template: ["spec", "template"], count: ["spec", "replicas"] },
  ReplicationController: { template: ["spec", "template"], count: ["spec", "replicas"] },
  // Argo Rollouts scale a pod template like Deployments.
  Rollout: { template: ["spec", "template"], count: ["spec", "replicas"] },
  // One pod per node: the node count is not in the repository, so it counts as one.
  DaemonSet: { template: ["spec", "template"] },
  Job: { template: ["spec", "template"], count: ["spec", "parallelism"] },
  CronJob: { template: ["spec", "jobTemplate", "spec", "template"], count: ["spec", "jobTemplate", "spec", "parallelism"] },
};

/**
 * Reads the workload facts of a manifest, or undefined when it runs no pods. `identity` is the
 * manifest's own {@link identify} result when the caller already has it (read once, not twice).
 */
export function describeWorkload(manifest: Manifest, identity: Identity = identify(manifest)): Workload | undefined {
  const object = manifest.object;
  const kind = identity.kind;
  const layout = own(POD_TEMPLATES, kind);
  if (!layout) return undefined;
  const template = asRecord(valueAt(object, layout.template));
  const podSpec = asRecord(template?.spec);
  if (!template || !podSpec) return undefined;
  const podSpecPath = podSpecPathOf(kind, layout.template);
  const count = layout.count ? valueAt(object, layout.count) : undefined;
  const hasReplicasField = typeof count === "number" && Number.isFinite(count);
  const containers = readContainers(podSpec);
  return {
    manifest,
    kind,
    name: identity.name,
    namespace: identity.namespace,
    podSpecPath,
    podSpec,
    // A Pod's own labels are its pods' labels; controllers label pods from their template.
    podLabels: stringRecord(asRecord(kind === "Pod" ? object.metadata : template.metadata)?.labels),
    replicas: hasReplicasField ? count : 1,
    replicasPath: hasReplicasField || !layout.count ? (layout.count ?? ["spec"]) : layout.count.slice(0, -1),
    hasReplicasField,
    containers,
    perPod: podRequestsOf(containers),
  };
}

// One pod spec path per kind, shared by its workloads (paths are never changed).
const POD_SPEC_PATHS = new Map<string, FieldPath>();
function podSpecPathOf(kind: string, template: FieldPath): FieldPath {
  let path = POD_SPEC_PATHS.get(kind);
  if (!path) POD_SPEC_PATHS.set(kind, (path = [...template, "spec"]));
  return path;
}

function valueAt(object: Record<string, unknown>, path: FieldPath): unknown {
  let node: unknown = object;
  for (const key of path) node = asRecord(node)?.[key];
  return node;
}

const CONTAINER_FIELDS = ["initContainers", "containers"] as const;

function readContainers(podSpec: Record<string, unknown>): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const field of CONTAINER_FIELDS) {
    const list = podSpec[field];
    if (!Array.isArray(list)) continue;
    for (let index = 0; index < list.length; index++) {
      const container = asRecord(list[index]);
      if (!container) continue;
      const resources = asRecord(container.resources);
      out.push({
        field,
        index,
        container,
        name: typeof container.name === "string" ? container.name : "?",
        isInit: field === "initContainers",
        requests: amountsOf(resources?.requests),
        limits: amountsOf(resources?.limits),
      });
    }
  }
  return out;
}

/** Shared by every container that sets no amounts (never changed). */
const NO_AMOUNTS: Amounts = Object.freeze({ cpu: 0, memory: 0 });

function amountsOf(value: unknown): Amounts {
  const amounts = asRecord(value);
  if (!amounts) return NO_AMOUNTS;
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

/** Shared by everything that has no mapping to read (frozen: never changed). */
const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * The string entries of a mapping, numbers and booleans as text (labels written `version: 2`). The
 * mapping itself when every value already is a string, as labels nearly always are: values are
 * never changed after parsing, and thousands of workloads need not each copy their labels.
 */
export function stringRecord(value: unknown): Readonly<Record<string, string>> {
  const record = asRecord(value);
  if (!record) return NO_LABELS;
  let allStrings = true;
  for (const key in record) {
    if (Object.hasOwn(record, key) && typeof record[key] !== "string") {
      allStrings = false;
      break;
    }
  }
  if (allStrings) return record as Record<string, string>;
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(record)) {
    if (typeof item === "string" || typeof item === "number" || typeof item === "boolean") out[key] = String(item);
  }
  return out;
}

/** A manifest's apiVersion, kind, name and namespace. */
export interface Identity {
  apiVersion: string;
  kind: string;
  name: string;
  /** `undefined` when unset or empty: the deployer fills it in. */
  namespace: string | undefined;
}

/** A manifest and its identity, read once per evaluation and shared by every rule. */
export interface PlatformObject extends Identity {
  manifest: Manifest;
}

/** The object's kind, name and namespace, for messages and lookups. */
export function identify(manifest: Manifest): Identity {
  return identifyObject(manifest);
}

/** {@link identify}, with the manifest: each field of the (parsed, many-shaped) object read once. */
export function identifyObject(manifest: Manifest): PlatformObject {
  const object = manifest.object;
  const apiVersion = object.apiVersion;
  const kind = object.kind;
  const metadata = asRecord(object.metadata);
  const name = metadata?.name;
  const namespace = metadata?.namespace;
  return {
    manifest,
    apiVersion: typeof apiVersion === "string" ? apiVersion : "",
    kind: typeof kind === "string" ? kind : "",
    name: typeof name === "string" ? name : "",
    namespace: typeof namespace === "string" && namespace !== "" ? namespace : undefined,
  };
}
