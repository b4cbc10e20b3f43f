import { formatPath, problem, type Problem, type Severity } from "../problems.js";
import type { FieldPath } from "../yaml/types.js";
import {
  evaluateKyvernoPolicy,
  planPolicyForKind,
  type AdmissionRequest,
  type KyvernoPolicy,
  type PolicyKindPlan,
  type RuleOutcome,
} from "./kyverno/evaluate-policy.js";
import type { KyvernoPolicyException } from "./kyverno/parse-policy-exception.js";
import type { LoadedPolicy } from "./load-policies.js";
import { identify, policyResult, ResultLog, type Identity } from "./result-log.js";
import { evaluatePlatformRules } from "./platform/evaluate-platform-rules.js";
import type { PlatformConfig } from "./platform/platform-config.schema.js";
import { sortUniqueFindings } from "./sort-findings.js";
import type { Finding, Manifest, RuleStatus } from "./types.js";

export { sortFindings } from "./sort-findings.js";

/** What the policy check knows about the repository and the change besides the manifests. */
export interface RepoFacts {
  /** Every file path of the repository after the change (Argo CD Application paths resolve here). */
  files: readonly string[];
  /**
   * Paths the change adds, modifies or deletes. When given, only objects in these files are judged
   * (and get findings); every manifest still serves as context for quotas and references.
   */
  changedFiles?: readonly string[];
  /** GitHub team slugs of the change's author; namespace ownership is judged only when known. */
  authorTeams?: readonly string[];
}

/** One rule against one resource, as `kyverno test` scores it. */
export interface PolicyResult {
  policy: string;
  /** The engine's rule name, `autogen-` prefixes included, as Kyverno reports it. */
  rule: string;
  status: RuleStatus;
  severity: Severity;
  file: string;
  documentIndex: number;
  kind: string;
  name: string;
  namespace?: string;
  message: string;
  /** The PolicyExceptions that skipped the rule (status `skip`), by `namespace/name`. */
  exceptions?: string[];
}

/** The policy name under which problems that are not policy violations (bad YAML) are reported. */
export const BOT_POLICY = "gitops-bot";

/**
 * Policy annotation naming the field a rule's finding should point at when the engine gives no
 * path (a `deny` rule judges expressions, not fields): `rule-a=spec.rules,rule-b=metadata.labels`.
 */
export const FINDING_PATHS_ANNOTATION = "gitops-bot.dev/finding-paths";

/**
 * Evaluates Kyverno policies and the platform rules over the repository's manifests.
 *
 * Every failing (or erroring) Kyverno rule gives one finding per offending path, positioned at the
 * field in the source file, or at its parent when the field is missing. Autogen rule names are shown
 * under the rule the author wrote (`autogen-cronjob-x` -> `x`); {@link PolicyResult} keeps the
 * engine's names. Findings come sorted by file, line and column, without duplicates.
 */
export function evaluatePolicies(params: {
  policies: readonly LoadedPolicy[];
  manifests: readonly Manifest[];
  platform?: PlatformConfig;
  facts?: RepoFacts;
  /** PolicyExceptions in force: the rules they match are skipped, and what they except is shown as a notice. */
  exceptions?: readonly KyvernoPolicyException[];
}): { findings: Finding[]; results: PolicyResult[]; problems: Problem[] } {
  const changed = params.facts?.changedFiles ? new Set(params.facts.changedFiles) : undefined;
  const isJudged = (file: string) => changed === undefined || changed.has(file);
  const findings: Finding[] = [];
  const results = new ResultLog();
  const problems: Problem[] = [];
  const fallbacks = new Map(
    params.policies.map(({ policy }) => [policy, findingPaths(policy.annotations[FINDING_PATHS_ANNOTATION])] as const),
  );
  const policiesFor = policyIndex(params.policies);

  for (const manifest of params.manifests) {
    if (!isJudged(manifest.file)) continue;
    const object = manifest.object;
    const policies = policiesFor(object["apiVersion"], object["kind"]);
    if (policies.length === 0) continue;
    let identity: Identity | undefined;
    const request: AdmissionRequest = {
      object,
      oldObject: null,
      operation: "CREATE",
      ...(params.exceptions?.length ? { exceptions: params.exceptions } : {}),
    };
    for (const { policy, plan } of policies) {
      let outcomes: RuleOutcome[];
      try {
        outcomes = evaluateKyvernoPolicy(policy, request, plan);
      } catch (error) {
        // An engine fault on one object must not hide every other finding of the check.
        identity ??= identify(manifest);
        problems.push(engineFault({ policy, manifest, label: identity.label, error }));
        continue;
      }
      if (outcomes.length > 0) results.begin(manifest);
      for (const outcome of outcomes) {
        if (outcome.status === "pass") {
          results.pass(outcome);
          continue;
        }
        identity ??= identify(manifest);
        results.other(policyResult(manifest, identity, outcome));
        recordFindings({ manifest, identity, outcome, fallback: fallbacks.get(policy), findings });
      }
    }
  }

  if (params.platform) {
    findings.push(
      ...evaluatePlatformRules({
        config: params.platform,
        manifests: params.manifests,
        isJudged,
        ...(params.facts ? { files: params.facts.files } : {}),
        ...(params.facts?.changedFiles ? { changedFiles: params.facts.changedFiles } : {}),
        ...(params.facts?.authorTeams ? { authorTeams: params.facts.authorTeams } : {}),
      }),
    );
  }
  return {
    findings: sortUniqueFindings(findings),
    // Written out only when read: the check of a whole repository never reads them.
    get results() {
      return results.list();
    },
    problems,
  };
}

/** The problem reported when the engine fails on one object: a bug, said as one. */
function engineFault(params: { policy: KyvernoPolicy; manifest: Manifest; label: string; error: unknown }): Problem {
  const where = params.manifest.positionOf([]);
  return problem(
    "policy.evaluation-failed",
    `Policy ${params.policy.name} could not be evaluated on ${params.label}: ${describeError(params.error)}.`,
    {
      file: params.manifest.file,
      line: where.line,
      column: where.column,
      hint: "This is a bug in gitops-bot's policy engine; please report it with the policy and the manifest.",
    },
  );
}

/** Records a rule outcome on one manifest that did not pass: the failing ones (and what an exception excepts) as findings. */
function recordFindings(params: {
  manifest: Manifest;
  identity: Identity;
  outcome: RuleOutcome;
  fallback: ReadonlyMap<string, FieldPath> | undefined;
  findings: Finding[];
}): void {
  const { manifest, identity, outcome, findings } = params;
  const excepted = outcome.excepted;
  if (excepted && (excepted.verdict.status === "fail" || excepted.verdict.status === "error")) {
    const by = `PolicyException ${excepted.by.join(", ")}`;
    const shown = { ...outcome, ...excepted.verdict };
    const start = findings.length;
    pushOutcomeFindings({ manifest, label: identity.label, outcome: shown, fallback: params.fallback, findings });
    for (let index = start; index < findings.length; index++) findings[index] = exceptFinding(findings[index] as Finding, by);
  } else if (outcome.status === "fail" || outcome.status === "error") {
    pushOutcomeFindings({ manifest, label: identity.label, outcome, fallback: params.fallback, findings });
  }
}

/** Appends one finding per path of a failing (or erroring) outcome. */
function pushOutcomeFindings(params: {
  manifest: Manifest;
  label: string;
  outcome: RuleOutcome;
  fallback: ReadonlyMap<string, FieldPath> | undefined;
  findings: Finding[];
}): void {
  const { manifest, outcome, findings } = params;
  const rule = displayRuleName(outcome.rule);
  // A deny rule fails "at the root": the annotation, when present, names a better place.
  const named = outcome.paths.some((path) => path.length > 0);
  const paths: readonly FieldPath[] = named ? outcome.paths : [params.fallback?.get(rule) ?? []];
  const message =
    outcome.status === "error"
      ? `${params.label}: the rule could not be evaluated: ${outcome.message}`
      : `${params.label}: ${readableMessage(outcome.rule, outcome.message)}`;
  for (const path of paths) {
    const position = manifest.positionOf(path);
    findings.push({
      policy: outcome.policy,
      rule,
      severity: outcome.severity,
      file: manifest.file,
      line: position.line,
      column: position.column,
      path: formatPath(path),
      message,
    });
  }
}

/** The finding as excepted by `by` (a PolicyException, an owner's approval): a notice naming what excepts it. */
export function exceptFinding(finding: Finding, by: string): Finding {
  return { ...finding, severity: "notice", message: `Excepted by ${by}: ${finding.message}`, exception: by };
}

/** Turns a problem (bad YAML, a non-manifest, a bad policy) into a finding so it is reported like one. */
export function findingFromProblem(found: Problem): Finding {
  return {
    policy: BOT_POLICY,
    rule: found.code,
    severity: found.severity,
    file: found.file ?? "",
    line: found.line ?? 1,
    column: found.column ?? 1,
    path: found.path ?? "",
    message: found.message,
    ...(found.hint === undefined ? {} : { hint: found.hint }),
  };
}

/**
 * Kyverno wraps the policy's message as `validation error: <message> rule <name> failed at path
 * /a/b/`. A finding already carries its rule and points at the field, so only the author's
 * message is kept.
 */
function readableMessage(rule: string, message: string): string {
  // Most failures of a rule repeat its last message: comparing with it is cheaper than hashing it.
  const last = lastReadable.get(rule);
  if (last !== undefined && last.message === message) return last.readable;
  // Variables can make a message long (they are input): a long one is cleaned, not kept.
  if (message.length > MAX_KEPT_MESSAGE) return cleanMessage(message);
  let readable = readableMessages.get(message);
  if (readable === undefined) {
    readable = cleanMessage(message);
    if (readableMessages.size >= MAX_READABLE_MESSAGES) readableMessages.clear();
    readableMessages.set(message, readable);
  }
  if (lastReadable.size >= MAX_READABLE_MESSAGES) lastReadable.clear();
  lastReadable.set(rule, { message, readable });
  return readable;
}

// Most failures of a rule share one message (variables aside): it is cleaned once, not per finding.
const readableMessages = new Map<string, string>();
const lastReadable = new Map<string, { message: string; readable: string }>();
const MAX_READABLE_MESSAGES = 10_000;
const MAX_KEPT_MESSAGE = 2_000;

function cleanMessage(message: string): string {
  const cleaned = message
    .replace(/^validation error:\s*/, "")
    .replace(/\s*rule \S+ failed at path \S*/g, "")
    .trim();
  return cleaned === "" ? message : cleaned;
}

/** Reads the {@link FINDING_PATHS_ANNOTATION} value; digits become sequence indexes. */
function findingPaths(annotation: string | undefined): Map<string, FieldPath> | undefined {
  if (annotation === undefined) return undefined;
  const parsed = new Map<string, FieldPath>();
  for (const entry of annotation.split(",")) {
    const [rule, path] = entry.split("=").map((part) => part.trim());
    if (!rule || !path) continue;
    parsed.set(
      rule,
      path.split(".").map((key) => (/^\d+$/.test(key) ? Number(key) : key)),
    );
  }
  return parsed;
}

function displayRuleName(rule: string): string {
  if (!rule.startsWith("autogen-")) return rule;
  // Named once per rule, not per failure: the rule's name is the policy's own text.
  let shown = displayNames.get(rule);
  if (shown === undefined) {
    if (displayNames.size >= MAX_READABLE_MESSAGES) displayNames.clear();
    displayNames.set(rule, (shown = rule.replace(/^autogen-(cronjob-)?/, "")));
  }
  return shown;
}

const displayNames = new Map<string, string>();

/** A policy that may have a rule for one `apiVersion` and kind, with its plan for them (none when planning failed). */
interface PlannedPolicy {
  policy: KyvernoPolicy;
  plan: PolicyKindPlan | undefined;
}

/**
 * The policies that may have a rule for an `apiVersion` and kind, in their order, worked out once
 * per kind: most policies target a few kinds, so most objects meet few policies.
 */
function policyIndex(loaded: readonly LoadedPolicy[]): (apiVersion: unknown, kind: unknown) => readonly PlannedPolicy[] {
  const byKind = new Map<string, Map<string, PlannedPolicy[]>>();
  return (apiVersion, kind) => {
    const kindText = typeof kind === "string" ? kind : "";
    const versionText = typeof apiVersion === "string" ? apiVersion : "";
    let byVersion = byKind.get(kindText);
    if (!byVersion) byKind.set(kindText, (byVersion = new Map<string, PlannedPolicy[]>()));
    let policies = byVersion.get(versionText);
    if (!policies) {
      policies = loaded.flatMap(({ policy }) => plannedPolicy(policy, versionText, kindText));
      byVersion.set(versionText, policies);
    }
    return policies;
  };
}

function plannedPolicy(policy: KyvernoPolicy, apiVersion: string, kind: string): PlannedPolicy[] {
  try {
    const plan = planPolicyForKind(policy, apiVersion, kind);
    return plan.candidates.length > 0 ? [{ policy, plan }] : [];
  } catch {
    // Kept, so the evaluation proper fails again and reports it as a problem on each object.
    return [{ policy, plan: undefined }];
  }
}

function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
