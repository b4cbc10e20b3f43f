import { loadManifests } from "../core/manifests/load-manifests.js";
import { selectManifestPaths } from "../core/manifests/select-manifest-paths.js";
import { evaluatePolicies, findingFromProblem, sortFindings, type PolicyResult } from "../core/policy/evaluate.js";
import { loadPolicies, type LoadedPolicy } from "../core/policy/load-policies.js";
import { globToRegExp } from "../core/policy/platform/glob.js";
import { PlatformRulesSchema, type PlatformConfig } from "../core/policy/platform/platform-config.schema.js";
import { PLATFORM_RULE_DESCRIPTIONS } from "../core/policy/platform/platform-finding.js";
import type { Finding } from "../core/policy/types.js";
import { VALIDATION_RULE_DESCRIPTIONS } from "../core/validate/validation-finding.js";
import { validateManifests } from "../core/validate/validate-manifests.js";
import type { YamlLimits } from "../core/yaml/types.js";
import type { SchemaLoader } from "../ports.js";

/** Read access to a tree of files: a directory on disk, or a repository at a commit. */
export interface FileSource {
  /** Every file path, `/`-separated, relative to the source's root. */
  listFiles(): Promise<string[]>;
  /** The file's text, or null when it does not exist (any more). */
  readFile(path: string): Promise<string | null>;
}

/** A folder of policies: the built-in defaults, or the GitOps repository's own policy folder. */
export interface PolicySource {
  source: FileSource;
  /** Folder inside the source (`policies`), or "" for the whole source. */
  folder: string;
  /** How the output names this set ("built-in", "from platform/policies"); default: the folder. */
  label?: string;
}

/** How many of the policies in force came from one policy source. */
export interface PolicySetCount {
  label: string;
  policies: number;
}

export interface CheckFilesResult {
  /** Policy findings and problems (bad YAML, bad policies) as findings, sorted by file and line. */
  findings: Finding[];
  /** Every rule result per resource, as `kyverno test` would score it. */
  results: PolicyResult[];
  /** The manifest files that were judged. */
  checkedFiles: string[];
  policies: LoadedPolicy[];
  /** The policies in force per source, in the sources' order (overridden ones count where they won). */
  policySets: PolicySetCount[];
  /** The platform configuration in force, when any. */
  platform?: PlatformConfig;
  /** `policy/rule` -> a one-line description, for SARIF rule metadata. */
  ruleDescriptions: Record<string, string>;
}

/** Files are read a few at a time: enough to overlap I/O, few enough to stay polite to an API. */
const READ_CONCURRENCY = 16;

/**
 * Checks the manifests of a file tree against the policies: the one implementation behind
 * `gitops-bot check` and the GitHub App's pull request check.
 *
 * Policy sources are read in order, later ones overriding earlier ones (defaults first, then the
 * repository's folder). Manifests are the tree's YAML files (`selectManifestPaths`) outside the
 * policy folders and the platform configuration's `exclude` globs. With `changedFiles`, only those
 * files are judged, while every manifest still counts for quotas and references.
 */
export async function checkFiles(params: {
  source: FileSource;
  policySources: readonly PolicySource[];
  /** Replaces any PlatformConfig found in the policy folders. */
  platform?: PlatformConfig;
  changedFiles?: readonly string[];
  authorTeams?: readonly string[];
  /** Folders (or single files) of the source that hold no manifests (policy folders of another source, for example). */
  excludeFolders?: readonly string[];
  /**
   * Files read as manifests whatever their folder, name or extension, and whatever the exclusions:
   * those a person named on the command line. Not named to be checked is the only way to be skipped.
   */
  alwaysRead?: readonly string[];
  limits?: Partial<YamlLimits>;
  /** Schemas for validating every judged manifest; without it, schema validation is not run. */
  schemas?: SchemaLoader;
}): Promise<CheckFilesResult> {
  const policyFiles: { path: string; text: string }[] = [];
  const setOfFile = new Map<string, number>();
  for (const [index, { source, folder }] of params.policySources.entries()) {
    const prefix = folder === "" ? "" : `${folder}/`;
    // Hidden folders below the policy folder (test resources, editor state) hold no policies.
    const paths = (await source.listFiles())
      .filter((path) => path.startsWith(prefix) && !path.slice(prefix.length).split("/").some((s) => s.startsWith(".")))
      .sort();
    const files = await readAll(source, paths);
    for (const file of files) setOfFile.set(file.path, index);
    policyFiles.push(...files);
  }
  const loaded = loadPolicies({ files: policyFiles, ...(params.limits ? { limits: params.limits } : {}) });
  const platform = params.platform ?? loaded.platform;

  const allFiles = await params.source.listFiles();
  const policyFolders = [
    ...params.policySources.filter((p) => p.source === params.source).map((p) => p.folder),
    ...(params.excludeFolders ?? []),
  ].map((folder) => (folder === "" ? "" : `${folder}/`));
  const excluded = (platform?.exclude ?? []).map(globToRegExp);
  const manifestPaths = selectManifestPaths(allFiles).filter(
    (path) => !policyFolders.some((folder) => path.startsWith(folder) || `${path}/` === folder) && !excluded.some((glob) => glob.test(path)),
  );
  const selected = new Set(manifestPaths);
  const named = (params.alwaysRead ?? []).filter((path) => !selected.has(path));
  const manifestFiles = await readAll(params.source, [...manifestPaths, ...named]);
  // The platform team sets the limits on what people commit; an explicit caller's limits win.
  const manifestLimits = { ...platform?.yamlLimits, ...params.limits };
  const manifests = loadManifests({ files: manifestFiles, limits: manifestLimits });

  const changed = params.changedFiles ? new Set(params.changedFiles) : undefined;
  const isJudged = (file: string) => changed === undefined || changed.has(file);
  const evaluation = evaluatePolicies({
    policies: loaded.policies,
    manifests: manifests.manifests,
    ...(platform ? { platform } : {}),
    facts: {
      files: allFiles,
      ...(params.changedFiles ? { changedFiles: params.changedFiles } : {}),
      ...(params.authorTeams ? { authorTeams: params.authorTeams } : {}),
    },
  });

  // Without a platform config the validation checks still run, with their defaults.
  const rules = platform?.rules ?? PlatformRulesSchema.parse(undefined);
  const judged = manifests.manifests.filter((m) => isJudged(m.file));
  const catalog =
    params.schemas && rules.schema.severity !== "off"
      ? await params.schemas.load(judged.map((m) => ({ apiVersion: String(m.object.apiVersion), kind: String(m.object.kind) })))
      : undefined;
  const validation = validateManifests({ manifests: manifests.manifests, rules, ...(catalog ? { catalog } : {}), isJudged });

  // Problems in unchanged files are not the author's to fix; problems in policies always matter.
  const problems = [...loaded.problems, ...manifests.problems.filter((p) => p.file === undefined || isJudged(p.file)), ...evaluation.problems];
  return {
    findings: sortFindings([...evaluation.findings, ...validation, ...problems.map(findingFromProblem)]),
    results: evaluation.results,
    checkedFiles: manifestFiles.map((f) => f.path).filter(isJudged),
    policies: loaded.policies,
    policySets: params.policySources.map((set, index) => ({
      label: set.label ?? set.folder,
      policies: loaded.policies.filter((p) => setOfFile.get(p.file) === index).length,
    })),
    ...(platform ? { platform } : {}),
    ruleDescriptions: describeRules(loaded.policies),
  };
}

async function readAll(source: FileSource, paths: readonly string[]): Promise<{ path: string; text: string }[]> {
  const texts: (string | null)[] = new Array<string | null>(paths.length).fill(null);
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const index = next++;
      texts[index] = await source.readFile(paths[index] ?? "");
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, paths.length) }, worker));
  return paths.flatMap((path, index) => {
    const text = texts[index];
    return text === null || text === undefined ? [] : [{ path, text }];
  });
}

function describeRules(policies: readonly LoadedPolicy[]): Record<string, string> {
  const descriptions: Record<string, string> = { ...PLATFORM_RULE_DESCRIPTIONS, ...VALIDATION_RULE_DESCRIPTIONS };
  for (const { policy } of policies) {
    const title = policy.annotations["policies.kyverno.io/title"] ?? policy.name;
    for (const rule of policy.rules) {
      if (typeof rule.name === "string") descriptions[`${policy.name}/${rule.name}`] = `${title} (${rule.name})`;
    }
  }
  return descriptions;
}
