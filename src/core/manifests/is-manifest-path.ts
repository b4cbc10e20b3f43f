/**
 * True for files read as YAML manifests: `.yaml` and `.yml`, in any letter case.
 *
 * JSON is left out on purpose: Kubernetes accepts JSON manifests, but GitOps repositories hold far
 * more JSON that is not (Grafana dashboards, renovate.json, package.json), and a finding on each
 * would be noise. A JSON manifest can be renamed to `.yaml`, since JSON is valid YAML.
 */
export function isManifestPath(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}
