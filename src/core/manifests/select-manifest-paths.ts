import { isKubernetesManifestCandidate } from "./is-kubernetes-manifest-candidate.js";

/**
 * Picks the files to read as Kubernetes manifests from a list of repository paths (a tree listing,
 * or the files of a directory given to `gitops-bot check`), in their original order.
 *
 * Besides {@link isKubernetesManifestCandidate}, it drops everything inside a Helm chart, that is
 * under a folder holding a `Chart.yaml`: chart templates are Go templates, not YAML, until Helm
 * renders them, so reading them would only produce syntax findings.
 */
export function selectManifestPaths(paths: readonly string[]): string[] {
  const chartFolders = new Set<string>();
  for (const path of paths) {
    const match = /^(.*\/)?chart\.ya?ml$/i.exec(path);
    if (match) chartFolders.add(match[1] ?? "");
  }
  return paths.filter((path) => isKubernetesManifestCandidate(path) && !isInsideAny(path, chartFolders));
}

function isInsideAny(path: string, folders: ReadonlySet<string>): boolean {
  if (folders.size === 0) return false;
  // Check each ancestor folder of the path ("" is the repository root).
  if (folders.has("")) return true;
  for (let slash = path.indexOf("/"); slash !== -1; slash = path.indexOf("/", slash + 1)) {
    if (folders.has(path.slice(0, slash + 1))) return true;
  }
  return false;
}
