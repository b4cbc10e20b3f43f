import { isManifestPath } from "./is-manifest-path.js";

/**
 * YAML files that are known not to be Kubernetes objects, by file name (compared case-insensitively).
 * - Kustomize: `kustomization.yaml` (its `resources` are checked, not the file itself).
 * - Helm: `Chart.yaml`, `Chart.lock`, `values.yaml` and environment variants such as
 *   `values-prod.yaml` or `values.prod.yaml`.
 * - Other tools often kept next to manifests: `docker-compose.yml`, `compose.yaml`, `skaffold.yaml`,
 *   `.pre-commit-config.yaml`, `.gitlab-ci.yml`, `.yamllint.yaml`, `mkdocs.yml`, `catalog-info.yaml`
 *   (Backstage).
 */
const NOT_MANIFEST_NAMES: readonly RegExp[] = [
  /^kustomization\.ya?ml$/i,
  /^chart\.(ya?ml|lock)$/i,
  /^values([._-][^/]*)?\.ya?ml$/i,
  /^(docker-)?compose(\.[^/]*)?\.ya?ml$/i,
  /^skaffold\.ya?ml$/i,
  /^mkdocs\.ya?ml$/i,
  /^catalog-info\.ya?ml$/i,
];

/**
 * True when a file should be read as Kubernetes manifests: a YAML file ({@link isManifestPath})
 * that is neither in the list above nor inside a hidden folder or named like a hidden file.
 *
 * Hidden paths are skipped as a whole: `.github/` holds workflows, issue forms and the bot's own
 * `gitops-bot.yml`; `.kyverno-test/` holds deliberately bad test resources; `.gitlab-ci.yml` and
 * `.pre-commit-config.yaml` are tool configuration. Folders the bot's configuration names (the
 * catalog, the policies) are the caller's to exclude; `selectManifestPaths` also drops Helm chart
 * folders, which a single path cannot reveal.
 */
export function isKubernetesManifestCandidate(path: string): boolean {
  if (!isManifestPath(path)) return false;
  const segments = path.split("/").filter((segment) => segment !== "" && segment !== ".");
  if (segments.some((segment) => segment.startsWith("."))) return false;
  const name = segments[segments.length - 1] ?? "";
  return !NOT_MANIFEST_NAMES.some((pattern) => pattern.test(name));
}
