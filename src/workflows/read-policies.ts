import { loadPolicies, type LoadedPolicies, type PolicyFileCache } from "../core/policy/load-policies.js";
import { selectPolicyPaths } from "../core/policy/select-policy-paths.js";
import type { YamlLimits } from "../core/yaml/types.js";
import type { PolicySetCount, PolicySource } from "./check-files.js";
import { readTexts } from "./read-texts.js";

/** The policies in force, loaded once, with the sources they came from. */
export interface PolicySet extends LoadedPolicies {
  /** The sources read, in their order: a source's folder holds policies, never manifests to judge. */
  sources: readonly PolicySource[];
  /** The policies in force per source, in the sources' order (overridden ones count where they won). */
  policySets: PolicySetCount[];
  /** Every file found below the sources' folders, policy or not. */
  files: string[];
}

/**
 * Reads and loads the policy sources in order, later ones overriding earlier ones (the built-in
 * defaults first, then the repository's folder): the loading half of a check, done once and handed
 * to whatever judges with it.
 */
export async function readPolicies(params: {
  sources: readonly PolicySource[];
  limits?: Partial<YamlLimits>;
  /** Policy files loaded by earlier checks (the App): a policy is compiled once per process. */
  cache?: PolicyFileCache;
}): Promise<PolicySet> {
  const selected = await Promise.all(
    params.sources.map(async ({ source, folder }) => selectPolicyPaths({ paths: await source.listFiles(), folder })),
  );
  const read = await Promise.all(params.sources.map(({ source }, index) => readTexts(source, selected[index] ?? [])));
  const setOfFile = new Map<string, number>();
  read.forEach((files, index) => files.forEach((file) => setOfFile.set(file.path, index)));
  const files = read.flat();
  const loaded = loadPolicies({
    files,
    ...(params.limits ? { limits: params.limits } : {}),
    ...(params.cache ? { cache: params.cache } : {}),
  });
  return {
    ...loaded,
    sources: params.sources,
    policySets: params.sources.map((set, index) => ({
      label: set.label ?? set.folder,
      policies: loaded.policies.filter((p) => setOfFile.get(p.file) === index).length,
    })),
    files: selected.flat(),
  };
}
