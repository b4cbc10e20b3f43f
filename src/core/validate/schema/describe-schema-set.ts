import type { SchemaCatalog } from "./schema-catalog.js";

/** Which schemas judged the manifests, and whether they are those of the cluster the platform names. */
export interface SchemaSet {
  /** The schema packages and their versions. */
  source: string;
  /** The Kubernetes version the built-in kinds' schemas come from, as their package states it; null: not stated. */
  kubernetesVersion: string | null;
  /** `deprecatedApis.kubernetesVersion` of the platform configuration; null: not configured. */
  configuredVersion: string | null;
  /** True only when both versions are known and equal. */
  matchesConfigured: boolean;
  /** One sentence for people: the set, its version, and how it stands to the configured one. */
  note: string;
}

/**
 * Names the schema set a check used and says, when the platform configuration names a Kubernetes
 * version (`deprecatedApis.kubernetesVersion`), whether the set is of that version. The schema
 * packages ship one set per release, not one per Kubernetes version, so a check never claims to
 * judge by the configured version's schemas: the output says which it used instead (issue 11).
 */
export function describeSchemaSet(params: {
  catalog: Pick<SchemaCatalog, "description" | "kubernetesVersion">;
  configuredVersion?: string | undefined;
}): SchemaSet {
  const { description, kubernetesVersion } = params.catalog;
  const configuredVersion = params.configuredVersion ?? null;
  const matchesConfigured = kubernetesVersion !== null && configuredVersion !== null && kubernetesVersion === configuredVersion;
  const set = `Schemas: ${description}${kubernetesVersion === null ? " (no Kubernetes version stated)" : ` (Kubernetes ${kubernetesVersion} by its own account)`}`;
  let note: string;
  if (configuredVersion === null)
    note = `${set}; the platform configuration names no Kubernetes version (\`deprecatedApis.kubernetesVersion\`).`;
  else if (matchesConfigured) note = `${set}, the configured Kubernetes version.`;
  else
    note = `${set}, not the configured Kubernetes ${configuredVersion}'s: fields and kinds that changed in between are judged by this set.`;
  return { source: description, kubernetesVersion, configuredVersion, matchesConfigured, note };
}
