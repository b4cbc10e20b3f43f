import { problem, type Problem, type Severity } from "../problems.js";
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
import { findingPaths, recordFindings } from "./outcome-findings.js";
import type { Finding, Manifest, RuleStatus } from "./types.js";

export { sortFindings } from "./sort-findings.js";
export { exceptFinding } from "./outcome-findings.js";

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

/** What {@link evaluatePolicies} judges, and how. */
export interface EvaluatePoliciesParams {
  policies: readonly LoadedPolicy[];
  manifests: readonly Manifest[];
  platform?: PlatformConfig;
  facts?: RepoFacts;
  /** PolicyExceptions in force: the rules they match are skipped, and what they except is shown as a notice. */
  exceptions?: readonly KyvernoPolicyException[];
  /**
   * Keep every rule result, as `kyverno test` scores them (default: no). Findings do not need them,
   * and keeping them costs: for 5,000 manifests and 95 policies, about 87,000 results held to the
   * end of the check took a fifth of the policy stage's CPU, most of it in garbage collection.
   */
  results?: boolean;
}

/** Findings (sorted, without duplicates), problems, and the rule results when they were asked for. */
export interface PolicyEvaluation {
  findings: Finding[];
  problems: Problem[];
  results?: PolicyResult[];
}

/**
 * Evaluates Kyverno policies and the platform rules over the repository's manifests.
 *
 * Every failing (or erroring) Kyverno rule gives one finding per offending path, positioned at the
 * field in the source file, or at its parent when the field is missing. Autogen rule names are shown
 * under the rule the author wrote (`autogen-cronjob-x` -> `x`); {@link PolicyResult} keeps the
 * engine's names. Findings come sorted by file, line and column, without duplicates. With
 * `results: true`, every rule result is kept too, in manifest order.
 */
export function evaluatePolicies(params: EvaluatePoliciesParams & { results: true }): PolicyEvaluation & { results: PolicyResult[] };
export function evaluatePolicies(params: EvaluatePoliciesParams): PolicyEvaluation;
export function evaluatePolicies(params: EvaluatePoliciesParams): PolicyEvaluation {
  const changed = params.facts?.changedFiles ? new Set(params.facts.changedFiles) : undefined;
  const isJudged = (file: string) => changed === undefined || changed.has(file);
  const findings: Finding[] = [];
  const results = params.results ? new ResultLog() : undefined;
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
      if (results && outcomes.length > 0) results.begin(manifest);
      for (const outcome of outcomes) {
        if (outcome.status === "pass") {
          results?.pass(outcome);
          continue;
        }
        identity ??= identify(manifest);
        results?.other(policyResult(manifest, identity, outcome));
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
  const evaluation: PolicyEvaluation = { findings: sortUniqueFindings(findings), problems };
  if (!results) return evaluation;
  return {
    ...evaluation,
    // Passes are written out only when read.
    get results() {
      return results.list();
    },
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
