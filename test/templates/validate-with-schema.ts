import { Application } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
import { PodMonitor, PrometheusRule, ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";
import { Deployment } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { CronJob } from "kubernetes-models/batch/v1";
import { Ingress, NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import { ConfigMap, LimitRange, Namespace, ResourceQuota, Service, ServiceAccount } from "kubernetes-models/v1";

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: never) => Validatable;

/**
 * Every kind a built-in template may render, keyed by `apiVersion/kind`, with the schema model that
 * checks it. A kind missing here fails validation: a new kind must bring its schema along.
 */
export const SCHEMA_MODELS: ReadonlyMap<string, ModelClass> = new Map<string, ModelClass>([
  ["v1/ConfigMap", ConfigMap],
  ["v1/LimitRange", LimitRange],
  ["v1/Namespace", Namespace],
  ["v1/ResourceQuota", ResourceQuota],
  ["v1/Service", Service],
  ["v1/ServiceAccount", ServiceAccount],
  ["apps/v1/Deployment", Deployment],
  ["autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler],
  ["batch/v1/CronJob", CronJob],
  ["networking.k8s.io/v1/Ingress", Ingress],
  ["networking.k8s.io/v1/NetworkPolicy", NetworkPolicy],
  ["policy/v1/PodDisruptionBudget", PodDisruptionBudget],
  ["rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding],
  ["argoproj.io/v1alpha1/Application", Application],
  ["monitoring.coreos.com/v1/PrometheusRule", PrometheusRule],
  ["monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor],
  ["monitoring.coreos.com/v1/PodMonitor", PodMonitor],
]);

/** `apiVersion/kind` of a parsed object, or a description of what is missing. */
export function typeKey(object: unknown): string {
  if (object === null || typeof object !== "object" || Array.isArray(object)) return `(not an object: ${JSON.stringify(object)})`;
  const { apiVersion, kind } = object as { apiVersion?: unknown; kind?: unknown };
  return `${String(apiVersion)}/${String(kind)}`;
}

/**
 * Validates one rendered object against the schema of its kind. Returns the schema's complaints,
 * or one complaint when no schema is known for the kind, never an empty list for an unknown kind.
 */
export function validateWithSchema(object: unknown): string[] {
  const key = typeKey(object);
  const Model = SCHEMA_MODELS.get(key);
  if (!Model) return [`no schema model for ${key}: add it to SCHEMA_MODELS`];
  try {
    // The model constructor fills apiVersion and kind from the class; the object's own win, so a
    // wrong apiVersion still reaches the schema, which checks it.
    new Model(object as never).validate();
    return [];
  } catch (error) {
    return [`${key}: ${error instanceof Error ? error.message : String(error)}`];
  }
}
