import { problem, type Problem } from "../problems.js";
import { resolveYamlLimits } from "../yaml/default-yaml-limits.js";
import { parseYamlDocuments } from "../yaml/parse-yaml-documents.js";
import type { YamlLimits } from "../yaml/types.js";
import { isPolicyExceptionDocument, parsePolicyException, type KyvernoPolicyException } from "./kyverno/parse-policy-exception.js";
import { parseKyvernoPolicy } from "./kyverno/parse-policy.js";
import type { KyvernoPolicy } from "./kyverno/types.js";
import { parsePlatformConfig } from "./platform/parse-platform-config.js";
import { PLATFORM_CONFIG_KIND, type PlatformConfig } from "./platform/platform-config.schema.js";

/** A Kyverno policy ready for evaluation, with where it was read from. */
export interface LoadedPolicy {
  file: string;
  documentIndex: number;
  policy: KyvernoPolicy;
}

export interface LoadedPolicies {
  policies: LoadedPolicy[];
  /** The last PlatformConfig read, when any. */
  platform?: PlatformConfig;
  /** The file the platform configuration came from. */
  platformFile?: string;
  /** Kyverno PolicyExceptions kept next to the policies. */
  exceptions: KyvernoPolicyException[];
  problems: Problem[];
}

/**
 * Reads policy folders from a path -> text map (no disk access): every Kyverno ClusterPolicy and
 * Policy, the PolicyExceptions kept with them, and the PlatformConfig. Files are read in the order given, so a later set (the GitOps
 * repository's policies) overrides an earlier one (the built-in defaults): a policy with the same
 * kind, namespace and name replaces the earlier one, and a later PlatformConfig replaces the earlier
 * one as a whole. Kyverno test folders (`.kyverno-test/`, `.chainsaw-test/`) and files that are
 * not YAML are skipped; other hidden folders are the caller's to leave out, since only it knows
 * where the policy folder starts (an npx cache path is hidden too). Problems, unsupported Kyverno features included, keep their file,
 * line and column.
 */
export function loadPolicies(params: {
  files: readonly { path: string; text: string }[];
  limits?: Partial<YamlLimits>;
  /**
   * Files loaded before, by path, limits and text: the App checks many pull requests with the same
   * base policies, and a policy loaded once keeps its compiled rules (autogen, conditions, kind
   * plans) for the life of the process. Loading is a pure function of the key, so a hit is exact.
   */
  cache?: PolicyFileCache;
}): LoadedPolicies {
  const byKey = new Map<string, LoadedPolicy>();
  const problems: Problem[] = [];
  const exceptions: KyvernoPolicyException[] = [];
  let platform: { config: PlatformConfig; file: string } | undefined;
  const limitsKey = params.limits ? JSON.stringify(resolveYamlLimits(params.limits)) : "";

  for (const file of params.files) {
    if (!isPolicyPath(file.path)) continue;
    const key = `${file.path}\0${limitsKey}\0${file.text}`;
    let loaded = params.cache?.get(key);
    if (loaded === undefined) {
      loaded = loadPolicyFile(file, params.limits);
      params.cache?.set(key, loaded);
    }
    problems.push(...loaded.problems);
    exceptions.push(...loaded.exceptions);
    for (const policy of loaded.policies) {
      const id = `${policy.policy.kind}/${policy.policy.namespace ?? ""}/${policy.policy.name}`;
      // Re-inserting moves an overridden policy to the end, after the policies it now follows.
      byKey.delete(id);
      byKey.set(id, policy);
    }
    if (loaded.platform) platform = { config: loaded.platform, file: file.path };
  }
  return {
    policies: [...byKey.values()],
    ...(platform ? { platform: platform.config, platformFile: platform.file } : {}),
    exceptions,
    problems,
  };
}

/** What one policy file holds: its policies and exceptions in order, its last PlatformConfig, and its problems. */
export interface PolicyFileLoad {
  policies: LoadedPolicy[];
  exceptions: KyvernoPolicyException[];
  platform?: PlatformConfig;
  problems: Problem[];
  /** The file's length in characters, for a cache's weight. */
  chars: number;
}

/** Loaded policy files kept across checks (an LRU in the App). */
export interface PolicyFileCache {
  get(key: string): PolicyFileLoad | undefined;
  set(key: string, value: PolicyFileLoad): void;
}

function loadPolicyFile(file: { path: string; text: string }, limits: Partial<YamlLimits> | undefined): PolicyFileLoad {
  const parsed = parseYamlDocuments({ file: file.path, text: file.text, ...(limits ? { limits } : {}) });
  const load: PolicyFileLoad = { policies: [], exceptions: [], problems: [...parsed.problems], chars: file.text.length };
  for (const document of parsed.documents) {
    const value = document.value;
    if (value === null || value === undefined) continue;
    const record = typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
    const apiVersion = typeof record?.apiVersion === "string" ? record.apiVersion : "";
    const kind = typeof record?.kind === "string" ? record.kind : "";
    const group = apiVersion.split("/")[0] ?? "";

    if (group === "kyverno.io" && (kind === "ClusterPolicy" || kind === "Policy")) {
      const result = parseKyvernoPolicy({ file: file.path, document: value, positionOf: document.positionOf });
      load.problems.push(...result.problems);
      if (result.policy) load.policies.push({ file: file.path, documentIndex: document.index, policy: result.policy });
    } else if (isPolicyExceptionDocument(value)) {
      const result = parsePolicyException({ file: file.path, document: value, positionOf: document.positionOf });
      load.problems.push(...result.problems);
      if (result.exception) load.exceptions.push(result.exception);
    } else if (group === "gitops-bot.dev" && kind === PLATFORM_CONFIG_KIND) {
      const result = parsePlatformConfig({ file: file.path, document: value, positionOf: document.positionOf });
      load.problems.push(...result.problems);
      if (result.config) load.platform = result.config;
    } else if (!isToolingDocument(group, kind)) {
      const where = document.positionOf([]);
      load.problems.push(
        problem(
          "policy.not-a-policy",
          `Document ${document.index + 1} is neither a Kyverno ClusterPolicy, Policy or PolicyException nor a PlatformConfig, so it is ignored.`,
          {
            severity: "warning",
            file: file.path,
            line: where.line,
            column: where.column,
            hint: "Keep only policies (apiVersion kyverno.io/v1) and the PlatformConfig in the policies folder.",
          },
        ),
      );
    }
  }
  return load;
}

/** YAML files outside Kyverno's test folders, whose resources are bad on purpose. */
function isPolicyPath(path: string): boolean {
  if (!/\.ya?ml$/i.test(path)) return false;
  return !path.split("/").some((segment) => segment === ".kyverno-test" || segment === ".chainsaw-test");
}

/** Kyverno CLI test and values files and kustomizations may sit next to policies. */
function isToolingDocument(group: string, kind: string): boolean {
  return group === "cli.kyverno.io" || group === "kustomize.config.k8s.io" || kind === "Kustomization";
}
