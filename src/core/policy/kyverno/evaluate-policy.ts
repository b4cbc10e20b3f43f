/* eslint-disable max-lines -- grew past the limit with PolicyExceptions; the next file to split (README, design) */
import { computeRules } from "./autogen.js";
import { compileRule } from "./compile-rule.js";
import type { CompiledRule, CompiledValidation } from "./compile-rule.js";
import { evaluateConditions } from "./conditions.js";
import { isPlainObject } from "./go-format.js";
import { fieldPath } from "./field-path.js";
import { JmesPathError, JmesPathNotFoundError, searchJmesPath } from "./jmespath.js";
import { groupVersionKind } from "./kinds.js";
import type { GroupVersionKind } from "./kinds.js";
import { matchPattern } from "./match-pattern.js";
import { matchesPlan, matchesRule, planMatchForKind } from "./match-resource.js";
import type { KindMatchPlan, MatchSubject } from "./match-resource.js";
import { findMatchingExceptions, policyExceptionName } from "./match-policy-exception.js";
import type { KyvernoPolicyException } from "./parse-policy-exception.js";
import type { JsonObject, KyvernoPolicy } from "./types.js";
import { SubstitutionError, substituteVariables } from "./variables.js";
import type { VariableResolver } from "./variables.js";

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
  excepted?: { by: string[]; verdict: { status: "pass" | "fail" | "skip" | "error"; message: string; paths: (readonly (string | number)[])[] } };
}

type Status = RuleOutcome["status"];
interface Verdict {
  status: Status;
  message: string;
  paths: (readonly (string | number)[])[];
}

/** A rule that can apply to resources of one group, version and kind, with its match so planned. */
interface CandidateRule {
  rule: CompiledRule & { validate: CompiledValidation };
  plan: KindMatchPlan;
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
      if (plan) list.push({ rule: rule as CandidateRule["rule"], plan });
    }
    if (byVersion.size >= MAX_CANDIDATE_KINDS) byVersion.clear();
    byVersion.set(version, list);
  }
  return list;
}

/**
 * Whether any rule of the policy (autogen rules included) can match some resource with this
 * `apiVersion` and kind; false means {@link evaluateKyvernoPolicy} returns no outcome for them
 * whatever else the resource holds.
 */
export function mayApplyToKind(policy: KyvernoPolicy, apiVersion: string, kind: string): boolean {
  return candidatesFor(policy, groupVersionKind({ apiVersion, kind }), apiVersion).length > 0;
}

/** Bounds the per-policy cache when input names endless kinds. */
const MAX_CANDIDATE_KINDS = 1000;

function setDotted(target: JsonObject, key: string, value: unknown): void {
  const parts = key.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(node[part])) node[part] = {};
    node = node[part] as JsonObject;
  }
  node[parts[parts.length - 1] ?? key] = value;
}

/** Everything one rule evaluation reads: the JMESPath context and the resource being judged. */
interface Evaluation {
  policy: KyvernoPolicy;
  operation: string;
  resource: JsonObject;
  oldResource: JsonObject | null;
  gvk: GroupVersionKind;
  context: JsonObject;
  resolve: VariableResolver;
}

function resolverFor(context: JsonObject): VariableResolver {
  return (expression) => {
    const query = expression.trim();
    if (query === "") throw new SubstitutionError("invalid query (nil)");
    try {
      return searchJmesPath(query, context);
    } catch (error) {
      if (error instanceof JmesPathNotFoundError || error instanceof JmesPathError) {
        throw new SubstitutionError(`failed to resolve ${query}: ${error.message}`);
      }
      throw error;
    }
  };
}

function buildEvaluation(policy: KyvernoPolicy, request: AdmissionRequest, operation: string): Evaluation {
  const base = request.variables === undefined ? sharedBase(request, operation) : buildBase(request, operation);
  return {
    policy,
    operation: base.operation,
    resource: base.resource,
    oldResource: base.oldResource,
    gvk: base.gvk,
    context: base.context,
    resolve: base.resolve,
  };
}

type EvaluationBase = Omit<Evaluation, "policy">;

// One request is judged by every policy in turn; what depends only on the request is built once.
// Only for requests without values, whose context nothing but the request itself decides.
const bases = new WeakMap<AdmissionRequest, EvaluationBase>();

function sharedBase(request: AdmissionRequest, operation: string): EvaluationBase {
  let base = bases.get(request);
  if (!base || base.operation !== operation) {
    base = buildBase(request, operation);
    bases.set(request, base);
  }
  return base;
}

function buildBase(request: AdmissionRequest, operation: string): EvaluationBase {
  const isDelete = operation === "DELETE";
  const resourceIn = isDelete ? (request.oldObject ?? request.object) : request.object;
  const requestContext: JsonObject = {};
  if (isDelete) requestContext["oldObject"] = resourceIn;
  else requestContext["object"] = resourceIn;
  const metadata = isPlainObject(resourceIn["metadata"]) ? resourceIn["metadata"] : {};
  requestContext["namespace"] = typeof metadata["namespace"] === "string" ? metadata["namespace"] : "";
  if (!isDelete && request.oldObject !== undefined) requestContext["oldObject"] = request.oldObject;
  requestContext["operation"] = operation;
  const context: JsonObject = { request: requestContext };
  if (request.variables) for (const [key, value] of Object.entries(request.variables)) setDotted(context, key, value);
  // Values may rewrite the object itself; Kyverno reads it back from the context.
  const fromContext = isDelete ? requestContext["oldObject"] : requestContext["object"];
  const resource = isPlainObject(fromContext) ? fromContext : resourceIn;
  const old = requestContext["oldObject"];
  return {
    operation,
    resource,
    oldResource: isPlainObject(old) ? old : null,
    gvk: groupVersionKind(resource),
    context,
    resolve: resolverFor(context),
  };
}

function substituteMessage(message: string, evaluation: Evaluation): string {
  const value = substituteVariables(message, evaluation.resolve, { isDelete: evaluation.operation === "DELETE" });
  return typeof value === "string" ? value : JSON.stringify(value);
}

function patternErrorMessage(rule: CompiledRule, validation: CompiledValidation, evaluation: Evaluation, error: string, path: string): string {
  if (validation.message === "") {
    return path !== "" ? `validation error: rule ${rule.name} failed at path ${path}` : `validation error: rule ${rule.name} execution error: ${error}`;
  }
  let message: string;
  try {
    message = substituteMessage(validation.message, evaluation);
  } catch {
    return `validation error: variables substitution error in rule ${rule.name} execution error: ${error}`;
  }
  if (!message.endsWith(".")) message += ".";
  return path !== ""
    ? `validation error: ${message} rule ${rule.name} failed at path ${path}`
    : `validation error: ${message} rule ${rule.name} execution error: ${error}`;
}

function anyPatternErrorMessage(rule: CompiledRule, validation: CompiledValidation, evaluation: Evaluation, errors: string[]): string {
  const joined = errors.join(" ");
  if (validation.message === "") return `validation error: ${joined}`;
  let message: string;
  try {
    message = substituteMessage(validation.message, evaluation);
  } catch {
    return `validation error: variables substitution error in rule ${rule.name} execution error: ${joined}`;
  }
  return message.endsWith(".") ? `validation error: ${message} ${joined}` : `validation error: ${message}. ${joined}`;
}

function substitutedPattern(pattern: unknown, validation: CompiledValidation, evaluation: Evaluation): unknown {
  if (validation.patternHasVariables) {
    return substituteVariables(pattern, evaluation.resolve, { isDelete: evaluation.operation === "DELETE" });
  }
  return validation.patternNeedsCopy ? structuredClone(pattern) : pattern;
}

function validatePatterns(rule: CompiledRule, validation: CompiledValidation, evaluation: Evaluation): Verdict | undefined {
  if (evaluation.operation === "DELETE") return undefined;
  const resource = evaluation.resource;
  if (validation.pattern !== undefined) {
    let pattern: unknown;
    try {
      pattern = substitutedPattern(validation.pattern, validation, evaluation);
    } catch (error) {
      return { status: "error", message: `variable substitution failed: ${(error as Error).message}`, paths: [] };
    }
    const result = matchPattern(resource, pattern);
    switch (result.status) {
      case "pass":
        return { status: "pass", message: rule.passMessage, paths: [] };
      case "skip":
        return { status: "skip", message: result.message, paths: [] };
      case "error":
        return { status: "error", message: patternErrorMessage(rule, validation, evaluation, result.message, ""), paths: [] };
      default:
        return {
          status: "fail",
          message: patternErrorMessage(rule, validation, evaluation, result.message, result.path),
          paths: [fieldPath(result.path, resource, pattern)],
        };
    }
  }
  const patterns = validation.anyPattern ?? [];
  let substituted: unknown;
  try {
    substituted = substitutedPattern(patterns, validation, evaluation);
  } catch (error) {
    return { status: "error", message: `variable substitution failed: ${(error as Error).message}`, paths: [] };
  }
  const skipped: string[] = [];
  const failed: string[] = [];
  const paths: (string | number)[][] = [];
  const list = Array.isArray(substituted) ? substituted : [];
  for (let index = 0; index < list.length; index++) {
    const result = matchPattern(resource, list[index], { numbersAreFloats: true });
    if (result.status === "pass") {
      return { status: "pass", message: `validation rule '${rule.name}' anyPattern[${index}] passed.`, paths: [] };
    }
    if (result.status === "skip") skipped.push(`rule ${rule.name}[${index}] skipped: ${result.message}`);
    else if (result.status === "fail" && result.path !== "") {
      failed.push(`rule ${rule.name}[${index}] failed at path ${result.path}`);
      paths.push(fieldPath(result.path, resource, list[index]));
    } else failed.push(`rule ${rule.name}[${index}] failed: ${result.message}`);
  }
  if (skipped.length > 0 && failed.length === 0) return { status: "skip", message: skipped.join(" "), paths: [] };
  if (failed.length > 0) return { status: "fail", message: anyPatternErrorMessage(rule, validation, evaluation, failed), paths };
  return { status: "pass", message: validation.message, paths: [] };
}

function denyMessage(rule: CompiledRule, validation: CompiledValidation, evaluation: Evaluation, conditionMessage: string): string {
  if (validation.message === "" && conditionMessage === "") return `validation error: rule ${rule.name} failed`;
  const text = [validation.message, conditionMessage].filter((s) => s !== "").join("; ");
  try {
    return substituteMessage(text, evaluation);
  } catch {
    return conditionMessage;
  }
}

function validateDeny(rule: CompiledRule, validation: CompiledValidation, evaluation: Evaluation): Verdict {
  let outcome: { result: boolean; message: string };
  try {
    outcome = evaluateConditions(validation.deny?.conditions, evaluation.resolve);
  } catch (error) {
    return { status: "error", message: `failed to check deny conditions: ${(error as Error).message}`, paths: [] };
  }
  if (!outcome.result) return { status: "pass", message: rule.passMessage, paths: [] };
  return { status: "fail", message: denyMessage(rule, validation, evaluation, outcome.message), paths: [[]] };
}

function checkPreconditions(rule: CompiledRule, evaluation: Evaluation): Verdict | undefined {
  let outcome: { result: boolean; message: string };
  try {
    outcome = evaluateConditions(rule.preconditions, evaluation.resolve);
  } catch (error) {
    return { status: "error", message: `failed to evaluate preconditions: ${(error as Error).message}`, paths: [] };
  }
  if (outcome.result) return undefined;
  const message = ["preconditions not met", outcome.message].filter((s) => s !== "").join("; ");
  return { status: "skip", message, paths: [] };
}

function isEnforce(action: string | undefined): boolean {
  return action !== undefined && action.toLowerCase() === "enforce";
}

/** The validator proper: preconditions, then deny or pattern/anyPattern. */
function validateRule(rule: CompiledRule, validation: CompiledValidation, evaluation: Evaluation, nested: boolean): Verdict | undefined {
  const gate = checkPreconditions(rule, evaluation);
  if (gate) return gate;
  const verdict = validation.deny ? validateDeny(rule, validation, evaluation) : validatePatterns(rule, validation, evaluation);
  const action = validation.failureAction ?? evaluation.policy.failureAction;
  if (!nested && isEnforce(action) && evaluation.operation === "UPDATE" && validation.allowExistingViolations) {
    // Enforce on UPDATE lets a change through when the old object already violated the rule.
    const prior = validateOldObject(rule, validation, evaluation);
    if (prior === "error") return { status: "skip", message: "failed to validate old object", paths: [] };
    if (prior?.status === "fail" && verdict?.status === "fail") {
      return { status: "skip", message: "skipping the rule evaluation as pre-existing violations are allowed", paths: [] };
    }
  }
  return verdict;
}

function validateOldObject(rule: CompiledRule, validation: CompiledValidation, evaluation: Evaluation): Verdict | undefined | "error" {
  const old = evaluation.oldResource;
  if (!old) return "error";
  const requestContext: JsonObject = { ...(evaluation.context["request"] as JsonObject), object: old, oldObject: null, operation: "CREATE" };
  const context: JsonObject = { ...evaluation.context, request: requestContext };
  const priorEvaluation: Evaluation = {
    ...evaluation,
    operation: "CREATE",
    resource: old,
    oldResource: null,
    gvk: groupVersionKind(old),
    context,
    resolve: resolverFor(context),
  };
  if (rule.preconditions !== undefined) {
    try {
      if (!evaluateConditions(rule.preconditions, priorEvaluation.resolve).result) return { status: "skip", message: "resource not matched", paths: [] };
    } catch {
      return { status: "skip", message: "resource not matched", paths: [] };
    }
  }
  if (!matchesRule(rule.raw, { resource: old, gvk: priorEvaluation.gvk, operation: "CREATE" })) {
    return { status: "skip", message: "resource not matched", paths: [] };
  }
  return validateRule(rule, validation, priorEvaluation, true);
}

function policyAppliesTo(policy: KyvernoPolicy, resource: JsonObject): boolean {
  if (policy.kind !== "Policy" || !policy.namespace) return true;
  const metadata = isPlainObject(resource["metadata"]) ? resource["metadata"] : {};
  return metadata["namespace"] === policy.namespace;
}

/**
 * Evaluates a Kyverno policy's validate rules (with pod controller autogen) against one admission
 * request, as the Kyverno engine and `kyverno test` do. Returns one outcome per rule that matches
 * the resource; rules that do not match, and rules skipped for unsupported features, give none.
 */
export function evaluateKyvernoPolicy(policy: KyvernoPolicy, request: AdmissionRequest): RuleOutcome[] {
  const operation = request.operation ?? "CREATE";
  // Values files may rewrite the object itself, so only then is the context built before matching.
  const evaluation = request.variables === undefined ? undefined : buildEvaluation(policy, request, operation);
  const resource = evaluation ? evaluation.resource : operation === "DELETE" ? (request.oldObject ?? request.object) : request.object;
  if (!policyAppliesTo(policy, resource)) return [];
  const gvk = evaluation ? evaluation.gvk : groupVersionKind(resource);
  const candidates = candidatesFor(policy, gvk, resource["apiVersion"]);
  if (candidates.length === 0) return [];
  const subject: MatchSubject = { resource, gvk, operation };
  let context = evaluation;
  const outcomes: RuleOutcome[] = [];
  for (const { rule, plan } of candidates) {
    if (!matchesPlan(plan, subject)) continue;
    const evaluation = (context ??= buildEvaluation(policy, request, operation));
    let verdict: Verdict | undefined;
    try {
      verdict = validateRule(rule, rule.validate, evaluation, false);
    } catch (error) {
      // Hostile input (say, nesting deep enough to exhaust the stack) ends the rule, not the run.
      verdict = { status: "error", message: `rule evaluation failed: ${(error as Error).message}`, paths: [] };
    }
    const action = rule.validate.failureAction ?? policy.failureAction;
    // Kyverno looks for exceptions after the preconditions: a rule whose preconditions fail stays a plain skip.
    const gated = verdict?.status === "skip" && checkPreconditions(rule, evaluation) !== undefined;
    const excepted = request.exceptions?.length && !gated
      ? findMatchingExceptions({ exceptions: request.exceptions, policyName: policyExceptionName(policy), rule: rule.name, subject, resolve: () => evaluation.resolve })
      : [];
    if (excepted.length > 0) {
      // Kyverno skips the rule before validating; it is still validated here so a violation it excepts is shown.
      outcomes.push({
        policy: policy.name,
        rule: rule.name,
        status: "skip",
        message: `rule is skipped due to policy exception ${excepted.join(", ")}`,
        severity: isEnforce(action) ? "error" : "warning",
        paths: [],
        excepted: { by: excepted, verdict: verdict ?? { status: "skip", message: "", paths: [] } },
      });
      continue;
    }
    if (!verdict) continue;
    outcomes.push({
      policy: policy.name,
      rule: rule.name,
      status: verdict.status,
      message: verdict.message,
      severity: isEnforce(action) ? "error" : "warning",
      paths: verdict.paths,
    });
    if (policy.applyRules === "One" && (verdict.status === "pass" || verdict.status === "fail")) break;
  }
  return outcomes;
}
