/** How the schema set was chosen from the configured Kubernetes version. */
export type SchemaSetSelection = "configured" | "nearest" | "newest";

export interface SchemaSetChoice {
  /** The Kubernetes minor version of the set to validate with, one of the shipped ones. */
  kubernetesVersion: string;
  /** `deprecatedApis.kubernetesVersion` as configured, or null. */
  configuredVersion: string | null;
  /**
   * `configured`: a set of the configured minor is shipped; `nearest`: none is, and this is the
   * closest; `newest`: no version is configured.
   */
  selection: SchemaSetSelection;
}

/** The minor number of a `1.N` version, or undefined for anything else. */
export function kubernetesMinor(version: string): number | undefined {
  const match = /^1\.(\d+)$/.exec(version);
  return match ? Number(match[1]) : undefined;
}

/**
 * Chooses which shipped schema set judges the manifests: the set of the configured Kubernetes minor
 * version when one is shipped, otherwise the nearest one (the newer of two equally near: an older
 * set would call fields the cluster knows unknown, and a check's errors must be believable), and the
 * newest set when no version is configured. Never a set other than what it returns and says.
 *
 * The configured version comes validated (`1.N`, the platform configuration's schema); `shipped`
 * is never empty.
 */
export function chooseSchemaSet(params: { shipped: readonly string[]; configuredVersion?: string | undefined }): SchemaSetChoice {
  const shipped = params.shipped
    .map((version) => ({ version, minor: kubernetesMinor(version) ?? Number.NaN }))
    .filter((set) => !Number.isNaN(set.minor))
    .sort((a, b) => a.minor - b.minor);
  const newest = shipped.at(-1);
  if (!newest) throw new Error(`no shipped schema set has a Kubernetes version: ${params.shipped.join(", ")}`);
  const configuredVersion = params.configuredVersion ?? null;
  if (configuredVersion === null) return { kubernetesVersion: newest.version, configuredVersion, selection: "newest" };
  const target = kubernetesMinor(configuredVersion);
  if (target === undefined) throw new Error(`not a Kubernetes minor version: ${configuredVersion}`);
  let best = newest;
  // Oldest first, and `<=`: of two equally near sets the newer wins.
  for (const set of shipped) if (Math.abs(set.minor - target) <= Math.abs(best.minor - target)) best = set;
  return { kubernetesVersion: best.version, configuredVersion, selection: best.minor === target ? "configured" : "nearest" };
}
