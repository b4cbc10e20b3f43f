/**
 * Well-known Kubernetes API versions that were deprecated and then removed, from the upstream
 * deprecation guide (https://kubernetes.io/docs/reference/using-api/deprecation-guide/).
 * Versions are minor numbers of 1.x. Small on purpose: these are the removals people still hit.
 */
export interface DeprecatedApi {
  apiVersion: string;
  kinds: readonly string[];
  /** First minor version that warns about it. */
  deprecatedIn: number;
  /** First minor version that no longer serves it. */
  removedIn: number;
  /** The API version to use instead, or undefined when the feature is gone. */
  replacement: string | undefined;
  note?: string;
}

export const DEPRECATED_APIS: readonly DeprecatedApi[] = [
  {
    apiVersion: "extensions/v1beta1",
    kinds: ["Deployment", "DaemonSet", "ReplicaSet"],
    deprecatedIn: 9,
    removedIn: 16,
    replacement: "apps/v1",
  },
  { apiVersion: "extensions/v1beta1", kinds: ["NetworkPolicy"], deprecatedIn: 9, removedIn: 16, replacement: "networking.k8s.io/v1" },
  {
    apiVersion: "extensions/v1beta1",
    kinds: ["PodSecurityPolicy"],
    deprecatedIn: 10,
    removedIn: 16,
    replacement: undefined,
    note: "PodSecurityPolicy is gone since 1.25; use Pod Security Admission",
  },
  { apiVersion: "extensions/v1beta1", kinds: ["Ingress"], deprecatedIn: 14, removedIn: 22, replacement: "networking.k8s.io/v1" },
  {
    apiVersion: "apps/v1beta1",
    kinds: ["Deployment", "StatefulSet", "ReplicaSet", "DaemonSet", "ControllerRevision"],
    deprecatedIn: 9,
    removedIn: 16,
    replacement: "apps/v1",
  },
  {
    apiVersion: "apps/v1beta2",
    kinds: ["Deployment", "StatefulSet", "ReplicaSet", "DaemonSet", "ControllerRevision"],
    deprecatedIn: 9,
    removedIn: 16,
    replacement: "apps/v1",
  },
  {
    apiVersion: "networking.k8s.io/v1beta1",
    kinds: ["Ingress", "IngressClass"],
    deprecatedIn: 19,
    removedIn: 22,
    replacement: "networking.k8s.io/v1",
  },
  {
    apiVersion: "rbac.authorization.k8s.io/v1beta1",
    kinds: ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"],
    deprecatedIn: 17,
    removedIn: 22,
    replacement: "rbac.authorization.k8s.io/v1",
  },
  {
    apiVersion: "admissionregistration.k8s.io/v1beta1",
    kinds: ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"],
    deprecatedIn: 16,
    removedIn: 22,
    replacement: "admissionregistration.k8s.io/v1",
  },
  {
    apiVersion: "apiextensions.k8s.io/v1beta1",
    kinds: ["CustomResourceDefinition"],
    deprecatedIn: 16,
    removedIn: 22,
    replacement: "apiextensions.k8s.io/v1",
  },
  {
    apiVersion: "apiregistration.k8s.io/v1beta1",
    kinds: ["APIService"],
    deprecatedIn: 19,
    removedIn: 22,
    replacement: "apiregistration.k8s.io/v1",
  },
  {
    apiVersion: "certificates.k8s.io/v1beta1",
    kinds: ["CertificateSigningRequest"],
    deprecatedIn: 19,
    removedIn: 22,
    replacement: "certificates.k8s.io/v1",
  },
  { apiVersion: "coordination.k8s.io/v1beta1", kinds: ["Lease"], deprecatedIn: 14, removedIn: 22, replacement: "coordination.k8s.io/v1" },
  {
    apiVersion: "storage.k8s.io/v1beta1",
    kinds: ["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"],
    deprecatedIn: 19,
    removedIn: 22,
    replacement: "storage.k8s.io/v1",
  },
  { apiVersion: "batch/v1beta1", kinds: ["CronJob"], deprecatedIn: 21, removedIn: 25, replacement: "batch/v1" },
  { apiVersion: "discovery.k8s.io/v1beta1", kinds: ["EndpointSlice"], deprecatedIn: 21, removedIn: 25, replacement: "discovery.k8s.io/v1" },
  { apiVersion: "events.k8s.io/v1beta1", kinds: ["Event"], deprecatedIn: 19, removedIn: 25, replacement: "events.k8s.io/v1" },
  { apiVersion: "autoscaling/v2beta1", kinds: ["HorizontalPodAutoscaler"], deprecatedIn: 22, removedIn: 25, replacement: "autoscaling/v2" },
  { apiVersion: "autoscaling/v2beta2", kinds: ["HorizontalPodAutoscaler"], deprecatedIn: 23, removedIn: 26, replacement: "autoscaling/v2" },
  { apiVersion: "policy/v1beta1", kinds: ["PodDisruptionBudget"], deprecatedIn: 21, removedIn: 25, replacement: "policy/v1" },
  {
    apiVersion: "policy/v1beta1",
    kinds: ["PodSecurityPolicy"],
    deprecatedIn: 21,
    removedIn: 25,
    replacement: undefined,
    note: "use Pod Security Admission",
  },
  { apiVersion: "node.k8s.io/v1beta1", kinds: ["RuntimeClass"], deprecatedIn: 20, removedIn: 25, replacement: "node.k8s.io/v1" },
  {
    apiVersion: "flowcontrol.apiserver.k8s.io/v1beta1",
    kinds: ["FlowSchema", "PriorityLevelConfiguration"],
    deprecatedIn: 23,
    removedIn: 26,
    replacement: "flowcontrol.apiserver.k8s.io/v1",
  },
  {
    apiVersion: "storage.k8s.io/v1beta1",
    kinds: ["CSIStorageCapacity"],
    deprecatedIn: 24,
    removedIn: 27,
    replacement: "storage.k8s.io/v1",
  },
  {
    apiVersion: "flowcontrol.apiserver.k8s.io/v1beta2",
    kinds: ["FlowSchema", "PriorityLevelConfiguration"],
    deprecatedIn: 26,
    removedIn: 29,
    replacement: "flowcontrol.apiserver.k8s.io/v1",
  },
  {
    apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3",
    kinds: ["FlowSchema", "PriorityLevelConfiguration"],
    deprecatedIn: 29,
    removedIn: 32,
    replacement: "flowcontrol.apiserver.k8s.io/v1",
  },
];

const BY_API_VERSION = new Map<string, DeprecatedApi[]>();
for (const entry of DEPRECATED_APIS) BY_API_VERSION.set(entry.apiVersion, [...(BY_API_VERSION.get(entry.apiVersion) ?? []), entry]);

/** Finds the table entry for an object's apiVersion and kind. */
export function findDeprecatedApi(apiVersion: string, kind: string): DeprecatedApi | undefined {
  return BY_API_VERSION.get(apiVersion)?.find((entry) => entry.kinds.includes(kind));
}
