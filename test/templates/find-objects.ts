import type { IApplication } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
import type { IPodMonitor, IPrometheusRule, IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";
import type { IDeployment } from "kubernetes-models/apps/v1";
import type { IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import type { ICronJob } from "kubernetes-models/batch/v1";
import type { IIngress, INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1";
import type { IRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import type { IConfigMap, ILimitRange, INamespace, IPodTemplateSpec, IResourceQuota, IService, IServiceAccount } from "kubernetes-models/v1";
import type { RenderedObject } from "./render-case.js";

/** Kinds the tests read into, typed by the same packages that validate them. */
interface KindMap {
  Application: IApplication;
  ConfigMap: IConfigMap;
  CronJob: ICronJob;
  Deployment: IDeployment;
  HorizontalPodAutoscaler: IHorizontalPodAutoscaler;
  Ingress: IIngress;
  LimitRange: ILimitRange;
  Namespace: INamespace;
  NetworkPolicy: INetworkPolicy;
  PodDisruptionBudget: IPodDisruptionBudget;
  PodMonitor: IPodMonitor;
  PrometheusRule: IPrometheusRule;
  ResourceQuota: IResourceQuota;
  RoleBinding: IRoleBinding;
  Service: IService;
  ServiceAccount: IServiceAccount;
  ServiceMonitor: IServiceMonitor;
}

/**
 * The rendered objects of one kind. The cast is sound only after schema validation, which the
 * render-every-size tests run on the very same renders.
 */
export function findObjects<K extends keyof KindMap>(objects: readonly RenderedObject[], kind: K): KindMap[K][] {
  return objects.filter((o) => o.object.kind === kind).map((o) => o.object as unknown as KindMap[K]);
}

/** Pod templates of every workload (Deployments and CronJobs), named by their workload. */
export function findPodTemplates(objects: readonly RenderedObject[]): { workload: string; template: IPodTemplateSpec }[] {
  const fromDeployments = findObjects(objects, "Deployment").map((d) => ({ workload: `Deployment ${d.metadata?.name}`, template: d.spec?.template }));
  const fromCronJobs = findObjects(objects, "CronJob").map((c) => ({ workload: `CronJob ${c.metadata?.name}`, template: c.spec?.jobTemplate.spec?.template }));
  return [...fromDeployments, ...fromCronJobs].flatMap((w) => (w.template ? [{ workload: w.workload, template: w.template }] : []));
}
