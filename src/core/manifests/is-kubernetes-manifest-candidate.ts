import { isManifestPath } from "./is-manifest-path.js";
import type { SkipReason } from "./types.js";

/** Kustomize's build file names, as Argo CD detects a Kustomize application. */
const KUSTOMIZATION = /^(kustomization\.ya?ml|Kustomization)$/;
const JSONNET = /\.(jsonnet|libsonnet)$/i;

/**
 * What one path is to the check, judged from the path alone:
 * - `"read"`: a file Argo CD's directory applications apply (`.yaml`, `.yml`, `.json`), read as
 *   manifests whatever its name or folder, hidden ones included (Argo CD skips neither);
 * - a {@link SkipReason} for candidates that are not read (Kustomize build files, Jsonnet);
 * - `null` for files that are no candidates at all (README.md, scripts).
 *
 * Whether a file is inside a Helm chart depends on the other paths and on the Applications, so
 * {@link selectManifestPaths} decides that; whether a file holds Kubernetes objects depends on its
 * content, so `loadManifests` decides that.
 */
export function isKubernetesManifestCandidate(path: string): "read" | Extract<SkipReason, "kustomization" | "jsonnet"> | null {
  const name = path.slice(path.lastIndexOf("/") + 1);
  if (KUSTOMIZATION.test(name)) return "kustomization";
  if (JSONNET.test(name)) return "jsonnet";
  return isManifestPath(path) ? "read" : null;
}
