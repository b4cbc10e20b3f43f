import { kubernetesMinor, type SchemaSetSelection } from "./choose-schema-set.js";
import type { SchemaCatalog } from "./schema-catalog.js";

/** Which schemas judged the manifests, and how they stand to the cluster version the platform names. */
export interface SchemaSet {
  /** The schema packages and their versions. */
  source: string;
  /** The Kubernetes minor version of the set used. */
  kubernetesVersion: string;
  /** `deprecatedApis.kubernetesVersion` of the platform configuration; null: not configured. */
  configuredVersion: string | null;
  /** How the set was chosen: the configured version's own, the nearest shipped one, or the newest (none configured). */
  selection: SchemaSetSelection;
  /** The Kubernetes versions a schema set is shipped for, oldest first. */
  shipped: string[];
  /** True only when the set is of the configured version. */
  matchesConfigured: boolean;
  /** One sentence for people: the set, how it was chosen, and its packages. */
  note: string;
}

/**
 * Names the schema set a check used and how it came to be chosen (see chooseSchemaSet): the set of
 * the configured `deprecatedApis.kubernetesVersion`, the nearest shipped one, or the newest when no
 * version is configured. The output never leaves a reader to assume the configured version's
 * schemas judged when another set did.
 */
export function describeSchemaSet(params: {
  catalog: Pick<SchemaCatalog, "description" | "kubernetesVersion">;
  shipped: readonly string[];
  configuredVersion?: string | undefined;
}): SchemaSet {
  const { description, kubernetesVersion } = params.catalog;
  const configuredVersion = params.configuredVersion ?? null;
  const shipped = [...params.shipped].sort((a, b) => (kubernetesMinor(a) ?? 0) - (kubernetesMinor(b) ?? 0));
  const matchesConfigured = configuredVersion !== null && kubernetesMinor(configuredVersion) === kubernetesMinor(kubernetesVersion);
  const selection: SchemaSetSelection = configuredVersion === null ? "newest" : matchesConfigured ? "configured" : "nearest";
  const how =
    selection === "newest"
      ? "newest shipped; no `deprecatedApis.kubernetesVersion` is configured"
      : selection === "configured"
        ? `configured ${configuredVersion}`
        : `configured ${configuredVersion}, nearest shipped of ${shipped.join(", ")}`;
  const between =
    selection === "nearest"
      ? ` Fields and kinds that changed between ${configuredVersion} and ${kubernetesVersion} are judged as ${kubernetesVersion} has them.`
      : "";
  const note = `Schemas: Kubernetes ${kubernetesVersion} (${how}), from ${description}.${between}`;
  return { source: description, kubernetesVersion, configuredVersion, selection, shipped, matchesConfigured, note };
}
