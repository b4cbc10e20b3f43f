import type { Severity } from "../../problems.js";
import type { FieldPath } from "../../yaml/types.js";
import type { Finding, Manifest } from "../types.js";
import { describeSelector } from "./label-selector.js";
import type { PlatformContext } from "./platform-context.js";
import { platformFinding } from "./platform-finding.js";
import { asRecord, identify, type PlatformObject } from "./workloads.js";

/**
 * References between objects: a Service selects some workload, an Ingress points at an existing
 * Service and port, an HPA and a PDB target an existing workload, and an Argo CD Application points
 * at a folder that exists in the repository. Only objects in the change are judged, against the
 * whole repository after the change.
 */
export function checkReferences(
  context: PlatformContext,
  params: { severity: Severity; files?: readonly string[]; argoCdRepoURLs: readonly string[] },
): Finding[] {
  const findings: Finding[] = [];
  const files = params.files;
  let folders: ReadonlySet<string> | undefined;
  // Only the kinds that refer to others, from the index by kind: findings are sorted afterwards.
  for (const kind of REFERRING_KINDS) {
    for (const object of context.objectsOfKind(kind)) {
      const manifest = object.manifest;
      if (!context.isJudged(manifest.file)) continue;
      const report = (rule: string, path: FieldPath, message: string, hint: string) =>
        findings.push(platformFinding({ manifest, path, rule, severity: params.severity, message, hint }));
      if (kind === "Service") checkService(context, object, report);
      else if (kind === "Ingress") checkIngress(context, object, report);
      else if (kind === "HorizontalPodAutoscaler") checkScaleTarget(context, object, report);
      else if (kind === "PodDisruptionBudget") checkPdbTarget(context, object, report);
      else if (object.apiVersion.startsWith("argoproj.io/") && files) {
        checkApplication({ manifest, folders: (folders ??= foldersOf(files)), repoURLs: params.argoCdRepoURLs, report });
      }
    }
  }
  return findings;
}

type Report = (rule: string, path: FieldPath, message: string, hint: string) => void;

/** The kinds whose references this rule follows. */
const REFERRING_KINDS = ["Service", "Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Application"] as const;

function checkService(context: PlatformContext, object: PlatformObject, report: Report): void {
  const { manifest, name, namespace } = object;
  const spec = asRecord(manifest.object.spec);
  if (!spec || spec.type === "ExternalName") return;
  const selector = asRecord(spec.selector);
  // No selector means manually managed endpoints: nothing to resolve.
  if (!selector || !hasOwnKeys(selector)) return;
  if (context.selectsWorkload({ namespace, selector, emptySelects: false })) return;
  report(
    "service-selector",
    ["spec", "selector"],
    `Service "${name}" selects no workload: no pod template in its namespace has the labels ${describeSelector(selector)}.`,
    "Make the selector match the labels of the workload's pod template (spec.template.metadata.labels).",
  );
}

/** `Object.keys(record).length > 0`, without building the list. */
function hasOwnKeys(record: Record<string, unknown>): boolean {
  for (const key in record) if (Object.hasOwn(record, key)) return true;
  return false;
}

function checkIngress(context: PlatformContext, object: PlatformObject, report: Report): void {
  const { manifest, name: ingress, namespace } = object;
  const spec = asRecord(manifest.object.spec);
  if (!spec) return;
  const defaultKey = "defaultBackend" in spec ? "defaultBackend" : "backend";
  // Paths are written only for a finding: `rule` -1 is the default backend.
  const check = (backend: Record<string, unknown>, rule: number, entry: number) => {
    const target = readBackend(backend);
    if (!target) return;
    const at = (...tail: FieldPath): FieldPath =>
      rule < 0 ? ["spec", defaultKey, ...tail] : ["spec", "rules", rule, "http", "paths", entry, "backend", ...tail];
    const service = context.findObject("Service", target.name, namespace);
    if (!service) {
      report(
        "ingress-backend",
        at(...target.nameKeys),
        `Ingress "${ingress}" routes to Service "${target.name}", which does not exist in its namespace.`,
        "Point the backend at an existing Service, or add the Service in this change.",
      );
      return;
    }
    if (target.port === undefined) return;
    const ports = asRecord(service.manifest.object.spec)?.ports;
    const known = Array.isArray(ports) ? ports : [];
    if (known.some((p) => servesPort(asRecord(p), target.port))) return;
    const offered = known
      .map(asRecord)
      .filter((p) => p !== undefined)
      .map((p) => (typeof p.name === "string" ? `${String(p.port)} (${p.name})` : String(p.port)))
      .join(", ");
    report(
      "ingress-backend",
      at(...target.portKeys),
      `Ingress "${ingress}" uses port ${String(target.port)} of Service "${target.name}", which exposes ${offered || "no ports"}.`,
      "Use one of the Service's port numbers or names.",
    );
  };
  const defaultBackend = asRecord(spec[defaultKey]);
  if (defaultBackend) check(defaultBackend, -1, -1);
  if (!Array.isArray(spec.rules)) return;
  spec.rules.forEach((rule: unknown, r) => {
    const paths = asRecord(asRecord(rule)?.http)?.paths;
    if (!Array.isArray(paths)) return;
    paths.forEach((entry: unknown, p) => {
      const backend = asRecord(asRecord(entry)?.backend);
      if (backend) check(backend, r, p);
    });
  });
}

/** True when a Service port entry is the one a backend names: by number, or by name. */
function servesPort(port: Record<string, unknown> | undefined, wanted: number | string | undefined): boolean {
  return port !== undefined && (typeof wanted === "number" ? port.port === wanted : port.name === wanted);
}

/** A backend's Service and port, and the keys under the backend where each is written. */
interface BackendTarget {
  name: string;
  nameKeys: FieldPath;
  port: number | string | undefined;
  portKeys: FieldPath;
}

const SERVICE_NAME: FieldPath = ["service", "name"];
const SERVICE_PORT_NUMBER: FieldPath = ["service", "port", "number"];
const SERVICE_PORT_NAME: FieldPath = ["service", "port", "name"];
const LEGACY_NAME: FieldPath = ["serviceName"];
const LEGACY_PORT: FieldPath = ["servicePort"];

/** Reads `service.name/port` (networking.k8s.io/v1) or `serviceName/servicePort` (older APIs). */
function readBackend(backend: Record<string, unknown>): BackendTarget | undefined {
  const service = asRecord(backend.service);
  if (service && typeof service.name === "string") {
    const port = asRecord(service.port);
    const byNumber = port !== undefined && "number" in port;
    const value = byNumber ? port.number : port?.name;
    return {
      name: service.name,
      nameKeys: SERVICE_NAME,
      port: typeof value === "number" || typeof value === "string" ? value : undefined,
      portKeys: byNumber ? SERVICE_PORT_NUMBER : SERVICE_PORT_NAME,
    };
  }
  if (typeof backend.serviceName === "string") {
    const value = backend.servicePort;
    return {
      name: backend.serviceName,
      nameKeys: LEGACY_NAME,
      port: typeof value === "number" || typeof value === "string" ? value : undefined,
      portKeys: LEGACY_PORT,
    };
  }
  return undefined;
}

function checkScaleTarget(context: PlatformContext, object: PlatformObject, report: Report): void {
  const { manifest, name, namespace } = object;
  const target = asRecord(asRecord(manifest.object.spec)?.scaleTargetRef);
  if (typeof target?.kind !== "string" || typeof target.name !== "string") return;
  if (context.findObject(target.kind, target.name, namespace)) return;
  report(
    "hpa-target",
    ["spec", "scaleTargetRef", "name"],
    `HorizontalPodAutoscaler "${name}" scales ${target.kind} "${target.name}", which does not exist in its namespace.`,
    "Point scaleTargetRef at an existing workload, or add the workload in this change.",
  );
}

function checkPdbTarget(context: PlatformContext, object: PlatformObject, report: Report): void {
  const { manifest, name, namespace } = object;
  const selector = asRecord(manifest.object.spec)?.selector;
  if (context.selectsWorkload({ namespace, selector, emptySelects: true })) return;
  report(
    "pdb-target",
    ["spec", "selector"],
    `PodDisruptionBudget "${name}" protects no workload: no pod template in its namespace matches ${describeSelector(selector)}.`,
    "Make the selector match the labels of the workload's pod template (spec.template.metadata.labels).",
  );
}

/**
 * Every folder that holds a file, at any depth: `a/b/c.yaml` gives `a` and `a/b`. Each is a text
 * that some file starts with, followed by `/`, so a lookup answers what testing every file would.
 */
export function foldersOf(files: readonly string[]): ReadonlySet<string> {
  const folders = new Set<string>();
  for (const file of files) {
    for (let slash = file.indexOf("/"); slash !== -1; slash = file.indexOf("/", slash + 1)) folders.add(file.slice(0, slash));
  }
  return folders;
}

function checkApplication(params: { manifest: Manifest; folders: ReadonlySet<string>; repoURLs: readonly string[]; report: Report }): void {
  const { manifest, folders, repoURLs, report } = params;
  const { name } = identify(manifest);
  const spec = asRecord(manifest.object.spec);
  if (!spec) return;
  const sources: { source: Record<string, unknown>; path: FieldPath }[] = [];
  const single = asRecord(spec.source);
  if (single) sources.push({ source: single, path: ["spec", "source"] });
  if (Array.isArray(spec.sources)) {
    spec.sources.forEach((item, index) => {
      const source = asRecord(item);
      if (source) sources.push({ source, path: ["spec", "sources", index] });
    });
  }
  const ours = new Set(repoURLs.map(normalizeRepoURL));
  for (const { source, path } of sources) {
    if (typeof source.path !== "string" || source.chart !== undefined) continue;
    if (ours.size > 0 && !(typeof source.repoURL === "string" && ours.has(normalizeRepoURL(source.repoURL)))) continue;
    const folder = source.path.replace(/^\.\/+/, "").replace(/\/+$/, "");
    if (folder === "" || folder === ".") continue;
    if (folders.has(folder)) continue;
    report(
      "argocd-path",
      [...path, "path"],
      `Application "${name}" syncs path "${source.path}", which does not exist in this repository.`,
      "Point the source at an existing folder, or add the folder in this change.",
    );
  }
}

/** `https://github.com/Org/Repo.git/` and `https://github.com/org/repo` are the same repository. */
function normalizeRepoURL(url: string): string {
  return url
    .trim()
    .toLowerCase()
    .replace(/\/+$/, "")
    .replace(/\.git$/, "");
}
