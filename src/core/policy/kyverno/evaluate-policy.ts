import { computeRules } from "./autogen.js";
import { compileRule } from "./compile-rule.js";
import type { CompiledRule, CompiledValidation } from "./compile-rule.js";
import { isPlainObject } from "./go-format.js";
import { groupVersionKind } from "./kinds.js";
import type { GroupVersionKind } from "./kinds.js";
import { matchesPlan, planMatchForKind } from "./match-resource.js";
import type { KindMatchPlan } from "./match-resource.js";
import { findMatchingExceptions, policyExceptionName } from "./match-policy-exception.js";
import type { KyvernoPolicyException } from "./parse-policy-exception.js";
import type { JsonObject, KyvernoPolicy } from "./types.js";
import { buildEvaluation, checkPreconditions, isEnforce, validateRule, type Evaluation, type Verdict } from "./validate-rule.js";

export type { KyvernoPolicy } from "./types.js";

/** The admission request a policy judges, as Kubernetes would send it. */
export interface AdmissionRequest {
  object: Record<string, unknown>;
  /** The previous version on UPDATE (the Kyverno CLI uses a copy of the object); null on CREATE. */
  oldObject?: Record<string, unknown> | null;
  operation?: "CREATE" | "UPDATE" | "DELETE" | "CONNECT";
  /**
   * Extra context values by dotted key (`request.operation`, `request.object.metadata.name`),
   * as a `kyverno test` values file sets them.
   */
  variables?: Readonly<Record<string, unknown>>;
  /** PolicyExceptions in force (the cluster's): a rule one of them matches is skipped, as Kyverno skips it. */
  exceptions?: readonly KyvernoPolicyException[];
}

/** The verdict of one rule (including autogen rules) on one resource. */
export interface RuleOutcome {
  policy: string;
  /** Engine rule name, e.g. `check-x`, `autogen-check-x`, `autogen-cronjob-check-x`. */
  rule: string;
  status: "pass" | "fail" | "skip" | "error";
  /** Kyverno-like message with `{{ }}` variables substituted. */
  message: string;
  /** Enforce gives error, Audit (the default) warning. */
  severity: "error" | "warning";
  /** Where validation failed: the offending field, or its parent when a required field is missing. */
  paths: (readonly (string | number)[])[];
  /**
   * Set when PolicyExceptions skipped the rule (status `skip`, as Kyverno reports it): their keys,
   * and what the rule would have said without them, so an excepted violation is still shown.
   */
  excepted?: {
    by: string[];
    verdict: { status: "pass" | "fail" | "skip" | "error"; message: string; paths: (readonly (string | number)[])[] };
  };
}

/** A rule that can apply to resources of one group, version and kind, with its match so planned. */
interface CandidateRule {
  rule: CompiledRule & { validate: CompiledValidation };
  plan: KindMatchPlan;
  /** The rule's outcome when it passes, made on the first pass and shared, frozen, by every resource that passes. */
  passOutcome: RuleOutcome | undefined;
  /** Its outcomes' severity: the rule's failure action, or its policy's. */
  severity: RuleOutcome["severity"];
}

interface PolicyRules {
  /** Rules after autogen, by resource kind. */
  byKind: Map<string, { sourceName: string; rule: CompiledRule }[]>;
  /** Rules that can apply at all, by kind and then `apiVersion`. */
  candidates: Map<string, Map<string, CandidateRule[]>>;
}

const compiledRules = new WeakMap<KyvernoPolicy, PolicyRules>();

function policyRules(policy: KyvernoPolicy): PolicyRules {
  let rules = compiledRules.get(policy);
  if (!rules) {
    rules = { byKind: new Map(), candidates: new Map() };
    compiledRules.set(policy, rules);
  }
  return rules;
}

function rulesFor(policy: KyvernoPolicy, kind: string): { sourceName: string; rule: CompiledRule }[] {
  const byKind = policyRules(policy).byKind;
  let rules = byKind.get(kind);
  if (!rules) {
    rules = computeRules(policy, kind).map((r) => ({ sourceName: r.sourceName, rule: compileRule(r.rule) }));
    byKind.set(kind, rules);
  }
  return rules;
}

/**
 * The rules worth trying on a resource of this group, version and kind, in policy order: skipped
 * and non-validate rules are left out, and so are rules whose match or exclude settle by kind
 * alone that the resource is not theirs. Most of a policy set targets a few kinds, so most
 * resources meet no rule of most policies and cost one map lookup.
 */
function candidatesFor(policy: KyvernoPolicy, gvk: GroupVersionKind, apiVersion: unknown): CandidateRule[] {
  const byKind = policyRules(policy).candidates;
  const version = typeof apiVersion === "string" ? apiVersion : "";
  let byVersion = byKind.get(gvk.kind);
  if (!byVersion) {
    if (byKind.size >= MAX_CANDIDATE_KINDS) byKind.clear();
    byKind.set(gvk.kind, (byVersion = new Map<string, CandidateRule[]>()));
  }
  let list = byVersion.get(version);
  if (!list) {
    list = [];
    for (const { sourceName, rule } of rulesFor(policy, gvk.kind)) {
      if (policy.skippedRules.has(sourceName) || !rule.validate) continue;
      const plan = planMatchForKind(rule.raw, gvk);
      if (!plan) continue;
      const severity = isEnforce(rule.validate.failureAction ?? policy.failureAction) ? "error" : "warning";
      // Every field set here, the pass outcome too, so candidates keep one shape.
      list.push({ rule: rule as CandidateRule["rule"], plan, severity, passOutcome: undefined });
    }
    if (byVersion.size >= MAX_CANDIDATE_KINDS) byVersion.clear();
    byVersion.set(version, list);
  }
  return list;
}

/** What a policy has for resources of one `apiVersion` and kind: see {@link planPolicyForKind}. */
export interface PolicyKindPlan {
  gvk: GroupVersionKind;
  /** Opaque: the rules worth trying, in policy order. */
  candidates: readonly CandidateRule[];
}

/**
 * The rules of the policy (autogen rules included) that can match some resource with this
 * `apiVersion` and kind, worked out once: no candidate means {@link evaluateKyvernoPolicy} returns
 * no outcome for such resources whatever else they hold. A caller judging many resources of one
 * kind passes the plan back to {@link evaluateKyvernoPolicy} so nothing is looked up again.
 */
export function planPolicyForKind(policy: KyvernoPolicy, apiVersion: string, kind: string): PolicyKindPlan {
  const gvk = groupVersionKind({ apiVersion, kind });
  return { gvk, candidates: candidatesFor(policy, gvk, apiVersion) };
}

/** Bounds the per-policy cache when input names endless kinds. */
const MAX_CANDIDATE_KINDS = 1000;

function policyAppliesTo(policy: KyvernoPolicy, resource: JsonObject): boolean {
  if (policy.kind !== "Policy" || !policy.namespace) return true;
  const metadata = isPlainObject(resource["metadata"]) ? resource["metadata"] : {};
  return metadata["namespace"] === policy.namespace;
}

/**
 * Evaluates a Kyverno policy's validate rules (with pod controller autogen) against one admission
 * request, as the Kyverno engine and `kyverno test` do. Returns one outcome per rule that matches
 * the resource; rules that do not match, and rules skipped for unsupported features, give none.
 * `plan`, when given, is {@link planPolicyForKind}'s for the judged resource's `apiVersion` and kind.
 */
export function evaluateKyvernoPolicy(policy: KyvernoPolicy, request: AdmissionRequest, plan?: PolicyKindPlan): RuleOutcome[] {
  const operation = request.operation ?? "CREATE";
  // Values files may rewrite the object itself, so only then is the context built before matching.
  const evaluation = request.variables === undefined ? undefined : buildEvaluation(request, operation);
  const resource = evaluation ? evaluation.resource : operation === "DELETE" ? (request.oldObject ?? request.object) : request.object;
  if (!policyAppliesTo(policy, resource)) return [];
  // A plan serves when nothing (values) can have rewritten the resource it was made for.
  const planned = evaluation ? undefined : plan;
  const gvk = evaluation ? evaluation.gvk : planned ? planned.gvk : groupVersionKind(resource);
  const candidates = planned ? planned.candidates : candidatesFor(policy, gvk, resource["apiVersion"]);
  if (candidates.length === 0) return [];
  // Without values, the evaluation is the request's, shared by every policy: it is the subject matched too.
  const subject: Evaluation = evaluation ?? buildEvaluation(request, operation);
  const outcomes: RuleOutcome[] = [];
  for (const candidate of candidates) {
    const { rule, plan } = candidate;
    if (!matchesPlan(plan, subject)) continue;
    const evaluation = subject;
    let verdict: Verdict | undefined;
    try {
      verdict = validateRule(rule, rule.validate, evaluation, policy);
    } catch (error) {
      // Hostile input (say, nesting deep enough to exhaust the stack) ends the rule, not the run.
      verdict = { status: "error", message: `rule evaluation failed: ${(error as Error).message}`, paths: [] };
    }
    // Kyverno looks for exceptions after the preconditions: a rule whose preconditions fail stays a plain skip.
    const excepted =
      request.exceptions?.length && !(verdict?.status === "skip" && checkPreconditions(rule, evaluation) !== undefined)
        ? findMatchingExceptions({
            exceptions: request.exceptions,
            policyName: policyExceptionName(policy),
            rule: rule.name,
            subject,
            resolve: () => evaluation.resolve,
          })
        : undefined;
    const severity = candidate.severity;
    if (excepted !== undefined && excepted.length > 0) {
      // Kyverno skips the rule before validating; it is still validated here so a violation it excepts is shown.
      outcomes.push({
        policy: policy.name,
        rule: rule.name,
        status: "skip",
        message: `rule is skipped due to policy exception ${excepted.join(", ")}`,
        severity,
        paths: [],
        excepted: { by: excepted, verdict: verdict ?? { status: "skip", message: "", paths: [] } },
      });
      continue;
    }
    if (!verdict) continue;
    // A pass says the same for every resource: the candidate keeps one (policy and action are its policy's).
    outcomes.push(
      verdict === rule.passVerdict
        ? (candidate.passOutcome ??= Object.freeze(outcomeOf(policy, rule.name, verdict, severity)))
        : outcomeOf(policy, rule.name, verdict, severity),
    );
    if (policy.applyRules === "One" && (verdict.status === "pass" || verdict.status === "fail")) break;
  }
  return outcomes;
}

function outcomeOf(policy: KyvernoPolicy, rule: string, verdict: Verdict, severity: RuleOutcome["severity"]): RuleOutcome {
  return { policy: policy.name, rule, status: verdict.status, message: verdict.message, severity, paths: verdict.paths };
}
