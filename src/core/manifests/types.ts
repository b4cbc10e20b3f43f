/**
 * Why a file Argo CD could read was not judged as manifests. Every such file is counted in the
 * check's summary with its reason: nothing Argo CD might apply is left out without a word.
 *
 * - `helm-chart`: inside a Helm chart (a folder with an exact `Chart.yaml` that an Application
 *   deploys); Argo CD renders it with Helm, so its templates are not YAML manifests.
 * - `kustomization`: a Kustomize build file (`kustomization.yaml`, `kustomization.yml`,
 *   `Kustomization`); the files it lists are read as they are, its patches are not applied.
 * - `jsonnet`: `.jsonnet` and `.libsonnet`, which Argo CD evaluates and the bot does not.
 * - `no-kubernetes-object`: YAML or JSON holding no Kubernetes object and not trying to (no
 *   `apiVersion`, `kind` and `metadata`); Argo CD ignores such YAML too.
 * * - `excluded`: left out by the platform configuration's `exclude` globs (policy and template
 *   folders are judged as policies and templates, so they are no candidates at all).
 * - `too-large`: larger than the `maxBytes` YAML limit; not downloaded nor parsed.
 * - `over-limit`: past the most files or bytes one check reads.
 * - `unreadable`: listed but not readable (a symbolic link the bot will not follow, a read error).
 */
export type SkipReason =
  "helm-chart" | "kustomization" | "jsonnet" | "no-kubernetes-object" | "excluded" | "too-large" | "over-limit" | "unreadable";

/** A file that was not judged as manifests, and why. */
export interface SkippedFile {
  path: string;
  reason: SkipReason;
  /** Specifics for people, such as which chart (`inside the Helm chart charts/web/`). */
  detail?: string;
}

/** The outcome of picking files to read: the paths to read, in their order, and everything left out. */
export interface ManifestSelection {
  read: string[];
  skipped: SkippedFile[];
}
