import type { Manifest } from "../policy/types.js";

/**
 * The repository folders Argo CD Applications deploy from: `spec.source.path` and every
 * `spec.sources[].path` of each `argoproj.io` Application, normalised (`./apps/web/` is
 * `apps/web`, `.` is "" for the root). Sources that name a `chart` come from a Helm repository,
 * not from this one, and are left out. Returns null when the manifests hold no Application with a
 * path at all: then nothing says which folders Argo CD deploys, and callers fall back.
 */
export function applicationSourcePaths(manifests: readonly Manifest[]): Set<string> | null {
  const paths = new Set<string>();
  let found = false;
  for (const { object } of manifests) {
    if (object.kind !== "Application" || typeof object.apiVersion !== "string" || !object.apiVersion.startsWith("argoproj.io/")) continue;
    const spec = isRecord(object.spec) ? object.spec : {};
    const sources = [spec.source, ...(Array.isArray(spec.sources) ? (spec.sources as unknown[]) : [])];
    for (const source of sources) {
      if (!isRecord(source) || typeof source.path !== "string" || source.chart !== undefined) continue;
      found = true;
      paths.add(normalise(source.path));
    }
  }
  return found ? paths : null;
}

function normalise(path: string): string {
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return parts.join("/");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
