import { applicationSourcePaths } from "../core/manifests/application-source-paths.js";
import { findHelmChartFolders } from "../core/manifests/find-helm-chart-folders.js";
import { loadManifestFile, type ManifestFileLoad } from "../core/manifests/load-manifests.js";
import { DEFAULT_READ_LIMITS, planManifestReads, unreadableFile, type ReadLimits } from "../core/manifests/plan-manifest-reads.js";
import { selectManifestPaths } from "../core/manifests/select-manifest-paths.js";
import type { SkippedFile } from "../core/manifests/types.js";
import type { Problem } from "../core/problems.js";
import { resolveYamlLimits } from "../core/yaml/default-yaml-limits.js";
import { findingFromProblem, sortFindings, type PolicyResult } from "../core/policy/evaluate.js";
import type { LoadedPolicy } from "../core/policy/load-policies.js";
import type { KyvernoPolicyException } from "../core/policy/kyverno/parse-policy-exception.js";
import { globToRegExp } from "../core/policy/platform/glob.js";
import { PlatformRulesSchema, type PlatformConfig } from "../core/policy/platform/platform-config.schema.js";
import { PLATFORM_RULE_DESCRIPTIONS } from "../core/policy/platform/platform-finding.js";
import type { Finding, Manifest } from "../core/policy/types.js";
import { chooseSchemaSet } from "../core/validate/schema/choose-schema-set.js";
import { describeSchemaSet, type SchemaSet } from "../core/validate/schema/describe-schema-set.js";
import { VALIDATION_RULE_DESCRIPTIONS } from "../core/validate/validation-finding.js";
import { validateManifests } from "../core/validate/validate-manifests.js";
import type { YamlLimits } from "../core/yaml/types.js";
import type { FileSource, ManifestFileCache, SchemaLoader } from "../ports.js";
import { judgeWithPolicies } from "./judge-with-policies.js";
import type { PolicySet } from "./read-policies.js";
import { readTexts } from "./read-texts.js";
import { sortCheckFiles } from "./sort-check-files.js";

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
  /** Every rule result per resource, as `kyverno test` would score it: only when asked for (`results: true`). */
  results?: PolicyResult[];
  /** The manifest and dashboard files that were judged. */
  checkedFiles: string[];
  /** Candidates Argo CD could apply that were not judged, each with its reason (judged scope only). */
  skippedFiles: SkippedFile[];
  policies: LoadedPolicy[];
  /** The Kyverno PolicyExceptions honoured. */
  exceptions: KyvernoPolicyException[];
  /** Files holding a PolicyException that was not honoured for being in a changed file. */
  changedExceptionFiles: string[];
  /** The policies in force per source, in the sources' order (overridden ones count where they won). */
  policySets: PolicySetCount[];
  /** The platform configuration in force, when any. */
  platform?: PlatformConfig;
  /** `policy/rule` -> a one-line description, for SARIF rule metadata. */
  ruleDescriptions: Record<string, string>;
  /** The schemas the manifests were validated against; absent when schema validation did not run. */
  schemaSet?: SchemaSet;
}

/** A file the check read, or found parsed in the cache (then without its text). */
interface ReadFile {
  path: string;
  chars: number;
  text?: string;
  sha?: string;
  load?: ManifestFileLoad;
}

/** The manifests read so far, and what was said about the files. */
interface ReadState {
  files: ReadFile[];
  skipped: SkippedFile[];
  problems: Problem[];
}

/** How a check finds and keeps parsed manifest files: the cache, and the key of a file in it. */
interface ParsedFiles {
  cache: ManifestFileCache;
  key(path: string, sha: string): string;
}

/** What `checkFiles` checks, and how. */
export interface CheckFilesParams {
  source: FileSource;
  /** The policies in force, read once by the caller (`readPolicies`). */
  policies: PolicySet;
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
  /** YAML limits for the manifests (the policies were loaded with theirs). */
  limits?: Partial<YamlLimits>;
  /** Overrides the check's reading limits (tests). */
  readLimits?: Partial<ReadLimits>;
  /** Schemas for validating every judged manifest; without it, schema validation is not run. */
  schemas?: SchemaLoader;
  /**
   * Parsed files from earlier checks, used for files whose source names their blob SHA: the App
   * checks one repository again and again, and a one-file change then parses one file. What is
   * read, skipped and judged is decided before the cache is asked, so a hit changes no result.
   */
  cache?: ManifestFileCache;
  /**
   * Which PolicyExceptions among the manifests count: `fromChangedFiles: false` leaves out those in
   * `changedFiles` (a pull request cannot except itself); `namespace` is Kyverno's `--exceptionNamespace`.
   */
  exceptions?: { fromChangedFiles: boolean; namespace?: string };
  /** Keep every rule result of the judged manifests (see `evaluatePolicies`); default: no. */
  results?: boolean;
}

/**
 * Checks the manifests of a file tree against the policies: the one implementation behind
 * `gitops-bot check` and the GitHub App's pull request check.
 *
 * The policies come loaded (`readPolicies`): loading and judging are separate, so a caller that
 * needs the policies for more (the App's template samples) loads them once. Manifests are the
 * tree's YAML files (`selectManifestPaths`) outside the policy folders and the platform
 * configuration's `exclude` globs. With `changedFiles`, only those
 * files are judged, while every manifest still counts for quotas and references.
 */
export async function checkFiles(params: CheckFilesParams & { results: true }): Promise<CheckFilesResult & { results: PolicyResult[] }>;
export async function checkFiles(params: CheckFilesParams): Promise<CheckFilesResult>;
export async function checkFiles(params: CheckFilesParams): Promise<CheckFilesResult> {
  const loaded = params.policies;
  const platform = params.platform ?? loaded.platform;

  const allFiles = await params.source.listFiles();
  // Without a platform config the validation checks still run, with their defaults.
  const rules = platform?.rules ?? PlatformRulesSchema.parse(undefined);
  const { dashboardPaths, dashboardSet, named, candidates } = sortCheckFiles({
    allFiles,
    otherFolders: [...loaded.sources.filter((p) => p.source === params.source).map((p) => p.folder), ...(params.excludeFolders ?? [])],
    rules,
    alwaysRead: params.alwaysRead ?? [],
  });
  const changed = params.changedFiles ? new Set(params.changedFiles) : undefined;
  const isJudged = (file: string) => changed === undefined || changed.has(file);
  const { manifestLimits, readLimits, exclude, parsed } = readingRules(params, platform);

  const state: ReadState = { files: [], skipped: [], problems: [] };
  const { manifests, skipped } = await readManifestsAsArgoCd({
    state,
    source: params.source,
    allFiles,
    candidates,
    named: [...named],
    isJudged,
    readLimits,
    manifestLimits,
    exclude,
    ...(parsed ? { parsed } : {}),
  });
  const manifestFiles = [...state.files];
  const skippedPaths = new Set(skipped.map((s) => s.path));

  // Schema modules load (file reads, then compiling) while the policies are evaluated.
  const judged = manifests.manifests.filter((m) => isJudged(m.file));
  const configuredVersion = rules.deprecatedApis.kubernetesVersion;
  const catalogLoading =
    params.schemas && rules.schema.severity !== "off"
      ? params.schemas.load(
          judged.map((m) => ({ apiVersion: String(m.object.apiVersion), kind: String(m.object.kind) })),
          chooseSchemaSet({ shipped: params.schemas.kubernetesVersions, configuredVersion }).kubernetesVersion,
        )
      : Promise.resolve(undefined);
  const { exceptions, evaluation } = judgeWithPolicies({ ...params, platform, manifests: manifests.manifests, allFiles, isJudged });

  const catalog = await catalogLoading;
  // Dashboards are held to the same reading limits: a 10 MB JSON file is not downloaded either.
  await readInto({ state, source: params.source, paths: dashboardPaths, isJudged, limits: remaining(readLimits, state) });
  const dashboardFiles = state.files.flatMap((f) =>
    dashboardSet.has(f.path) && f.text !== undefined ? [{ path: f.path, text: f.text }] : [],
  );
  const validation = validateManifests({
    manifests: manifests.manifests,
    rules,
    ...(catalog ? { catalog } : {}),
    dashboardFiles,
    isJudged,
  });

  // Problems in unchanged files are not the author's to fix; problems in policies always matter.
  const problems = [
    ...loaded.problems,
    ...state.problems,
    ...manifests.problems.filter((p) => p.file === undefined || isJudged(p.file)),
    ...exceptions.problems,
    ...evaluation.problems,
  ];
  const result: CheckFilesResult = {
    findings: withSorted(evaluation.findings, [...validation, ...problems.map(findingFromProblem)]),
    checkedFiles: [
      ...manifestFiles.map((f) => f.path).filter((path) => isJudged(path) && !skippedPaths.has(path)),
      ...dashboardFiles.map((f) => f.path).filter(isJudged),
    ],
    skippedFiles: judgedSkips([...skipped, ...state.skipped.filter((s) => dashboardSet.has(s.path))], isJudged),
    policies: loaded.policies,
    exceptions: exceptions.exceptions,
    changedExceptionFiles: exceptions.untrustedFiles,
    policySets: loaded.policySets,
    ...(platform ? { platform } : {}),
    ruleDescriptions: describeRules(loaded.policies),
    ...(catalog && params.schemas && judged.length > 0
      ? { schemaSet: describeSchemaSet({ catalog, shipped: params.schemas.kubernetesVersions, configuredVersion }) }
      : {}),
  };
  if (!params.results) return result;
  // Passed on unread: writing the passes out is not free.
  return Object.defineProperty(result, "results", { enumerable: true, get: () => evaluation.results });
}

/** Sorted findings and others, sorted together: sorting 20,000 sorted findings again is not free, and most checks add none. */
function withSorted(sorted: Finding[], others: Finding[]): Finding[] {
  return others.length === 0 ? sorted : sortFindings([...sorted, ...others]);
}

/** The skipped files of the judged scope, by path. */
function judgedSkips(skipped: SkippedFile[], isJudged: (file: string) => boolean): SkippedFile[] {
  return skipped.filter((s) => isJudged(s.path)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** How files are read: the limits, the platform's exclusions and the cache of parsed files (keyed by the limits they were parsed with). */
function readingRules(params: CheckFilesParams, platform: PlatformConfig | undefined) {
  // The platform team sets the limits on what people commit; an explicit caller's limits win.
  const manifestLimits = { ...platform?.yamlLimits, ...params.limits };
  const readLimits: ReadLimits = { ...DEFAULT_READ_LIMITS, maxFileBytes: resolveYamlLimits(manifestLimits).maxBytes, ...params.readLimits };
  const exclude = excluder(platform?.exclude ?? []);
  const limitsKey = JSON.stringify(resolveYamlLimits(manifestLimits));
  const parsed: ParsedFiles | undefined = params.cache
    ? { cache: params.cache, key: (path, sha) => `${sha}\0${path}\0${limitsKey}` }
    : undefined;
  return { manifestLimits, readLimits, exclude, parsed };
}

/**
 * Reads the candidates Argo CD would apply. Helm charts are folders with an exact Chart.yaml that
 * an Application deploys, and the Applications are among the manifests: everything outside chart
 * candidates is read first, then the candidates no Application deploys (Argo CD reads those as
 * plain folders). With no Application in the tree at all, nothing tells, and every candidate is
 * taken as a chart, which the summary says.
 */
async function readManifestsAsArgoCd(params: {
  state: ReadState;
  source: FileSource;
  allFiles: readonly string[];
  candidates: readonly string[];
  named: readonly string[];
  isJudged: (path: string) => boolean;
  readLimits: ReadLimits;
  manifestLimits: Partial<YamlLimits>;
  exclude: (path: string) => string | undefined;
  parsed?: ParsedFiles;
}): Promise<{ manifests: LoadedManifests; skipped: SkippedFile[] }> {
  const { state, source, candidates, isJudged, exclude, parsed } = params;
  const chartFolders = findHelmChartFolders(params.allFiles);
  const first = selectManifestPaths({ paths: candidates, helmCharts: chartFolders, exclude });
  await readInto({
    state,
    source,
    paths: [...params.named, ...first.read],
    isJudged,
    limits: params.readLimits,
    ...(parsed ? { parsed } : {}),
  });
  const manifests = loadRead({ files: state.files, limits: params.manifestLimits, ...(parsed ? { parsed } : {}) });
  const deployed = applicationSourcePaths(manifests.manifests);
  let selection = first;
  if (deployed !== null && chartFolders.some((folder) => !deployed.has(folder))) {
    selection = selectManifestPaths({ paths: candidates, helmCharts: chartFolders.filter((folder) => deployed.has(folder)), exclude });
    const already = new Set(first.read);
    const before = state.files.length;
    await readInto({
      state,
      source,
      paths: selection.read.filter((path) => !already.has(path)),
      isJudged,
      limits: remaining(params.readLimits, state),
      ...(parsed ? { parsed } : {}),
    });
    // Files load independently: only the new ones are parsed.
    const more = loadRead({ files: state.files.slice(before), limits: params.manifestLimits, ...(parsed ? { parsed } : {}) });
    manifests.manifests.push(...more.manifests);
    manifests.problems.push(...more.problems);
    manifests.skipped.push(...more.skipped);
  }
  const chartNote =
    deployed === null
      ? " (no Argo CD Application in the checked files names its source path, so every folder with a Chart.yaml is taken as a chart)"
      : "";
  const skipped = [
    ...selection.skipped.map((s) => (s.reason === "helm-chart" ? { ...s, detail: `${s.detail ?? ""}${chartNote}` } : s)),
    ...state.skipped,
    ...manifests.skipped,
  ];
  return { manifests, skipped };
}

/** What is left of the reading limits after the files read so far. */
function remaining(limits: ReadLimits, state: ReadState): ReadLimits {
  const bytes = state.files.reduce((sum, f) => sum + f.chars, 0);
  return { ...limits, maxFiles: Math.max(0, limits.maxFiles - state.files.length), maxBytes: Math.max(0, limits.maxBytes - bytes) };
}

/**
 * Plans the reads within the limits, reads, and records what was not read and why. A file whose
 * source names its blob SHA and whose parse is cached is not read at all: the plan was made first,
 * so the cache changes what is fetched, never what is judged.
 */
async function readInto(params: {
  state: ReadState;
  source: FileSource;
  paths: readonly string[];
  isJudged: (path: string) => boolean;
  limits: ReadLimits;
  parsed?: ParsedFiles;
}): Promise<void> {
  const { state, source, isJudged, parsed } = params;
  const describe = source.describeFile?.bind(source);
  const facts = describe ? await Promise.all(params.paths.map((path) => describe(path))) : [];
  const plan = planManifestReads({ paths: params.paths, facts, isJudged, limits: params.limits });
  state.skipped.push(...plan.skipped);
  state.problems.push(...plan.problems);
  const shaOf = new Map(params.paths.map((path, index) => [path, facts[index]?.sha] as const));
  const planned: ReadFile[] = plan.read.map((path) => {
    const sha = shaOf.get(path);
    const load = sha === undefined ? undefined : parsed?.cache.get(parsed.key(path, sha));
    return { path, chars: load?.chars ?? 0, ...(sha === undefined ? {} : { sha }), ...(load ? { load } : {}) };
  });
  const toRead = planned.filter((f) => f.load === undefined).map((f) => f.path);
  if (toRead.length > 0) await source.prefetch?.(toRead);
  const texts = new Map((await readTexts(source, toRead)).map((f) => [f.path, f.text] as const));
  for (const file of planned) {
    if (file.load) {
      state.files.push(file);
      continue;
    }
    const text = texts.get(file.path);
    if (text !== undefined) {
      state.files.push({ ...file, text, chars: text.length });
      continue;
    }
    state.skipped.push({ path: file.path, reason: "unreadable", detail: "the file could not be read" });
    if (isJudged(file.path)) state.problems.push(unreadableFile(file.path));
  }
}

type LoadedManifests = { manifests: Manifest[]; problems: Problem[]; skipped: SkippedFile[] };

/** Parses the files read (or takes their cached parse), keeping each new parse that has a blob SHA. */
function loadRead(params: { files: readonly ReadFile[]; limits: Partial<YamlLimits>; parsed?: ParsedFiles }): LoadedManifests {
  const out: LoadedManifests = { manifests: [], problems: [], skipped: [] };
  for (const file of params.files) {
    let load = file.load;
    if (load === undefined) {
      if (file.text === undefined) continue;
      load = loadManifestFile({ file: { path: file.path, text: file.text }, limits: params.limits });
      if (file.sha !== undefined) params.parsed?.cache.set(params.parsed.key(file.path, file.sha), load);
    }
    // Cached loads are shared across checks: copied into this check's arrays, never added to.
    out.manifests.push(...load.manifests);
    out.problems.push(...load.problems);
    if (load.skipped) out.skipped.push(load.skipped);
  }
  return out;
}

/** Why a path is excluded by the platform configuration's `exclude` globs, or undefined. */
function excluder(globs: readonly string[]): (path: string) => string | undefined {
  const patterns = globs.map((glob) => ({ glob, pattern: globToRegExp(glob) }));
  return (path) => {
    const found = patterns.find((g) => g.pattern.test(path));
    return found ? `matches the platform configuration's exclude glob ${found.glob}` : undefined;
  };
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
