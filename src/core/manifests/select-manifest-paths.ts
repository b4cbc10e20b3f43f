import { isKubernetesManifestCandidate } from "./is-kubernetes-manifest-candidate.js";
import type { ManifestSelection, SkippedFile } from "./types.js";

/**
 * Picks the files to read as Kubernetes manifests from a list of repository paths (a tree listing,
 * or the files of a folder given to `gitops-bot check`), following Argo CD's rules, and says why
 * every other candidate was left out:
 *
 * - `.yaml`, `.yml` and `.json` files are read, in any folder (hidden ones too);
 * - Kustomize build files and Jsonnet are skipped ({@link isKubernetesManifestCandidate});
 * - everything below a folder of `helmCharts` is skipped: Helm renders it, so its templates are not
 *   YAML. Pass only the chart folders Argo CD renders with Helm (an exact `Chart.yaml` at an
 *   Application's source path: `findHelmChartFolders` and `applicationSourcePaths`);
 * - `exclude` names paths the caller leaves out, with the reason shown for each (the policy folder).
 *
 * Files that are no candidates at all (README.md) appear in neither list. Whether a read file
 * holds Kubernetes objects is for `loadManifests` to say, from its content.
 */
export function selectManifestPaths(params: {
  paths: readonly string[];
  helmCharts?: readonly string[];
  /** Why a path is left out by configuration, or undefined to keep it. */
  exclude?: (path: string) => string | undefined;
}): ManifestSelection {
  const charts = [...new Set(params.helmCharts ?? [])];
  const read: string[] = [];
  const skipped: SkippedFile[] = [];
  for (const path of params.paths) {
    const kind = isKubernetesManifestCandidate(path);
    if (kind === null) continue;
    const excluded = params.exclude?.(path);
    if (excluded !== undefined) {
      skipped.push({ path, reason: "excluded", detail: excluded });
      continue;
    }
    const chart = charts.find((folder) => folder === "" || path.startsWith(`${folder}/`));
    if (chart !== undefined) {
      skipped.push({
        path,
        reason: "helm-chart",
        detail: chart === "" ? "the repository root is a Helm chart" : `inside the Helm chart ${chart}/`,
      });
      continue;
    }
    if (kind === "read") read.push(path);
    else skipped.push({ path, reason: kind });
  }
  return { read, skipped };
}
