import type { CompiledRule, CompiledValidation } from "./compile-rule.js";
import { conditionsProgram, evaluateConditions } from "./conditions.js";
import type { AdmissionRequest, RuleOutcome } from "./evaluate-policy.js";
import { isPlainObject } from "./go-format.js";
import { resolveQuery } from "./jmespath.js";
import { groupVersionKind, type GroupVersionKind } from "./kinds.js";
import { copyPattern } from "./copy-pattern.js";
import { matchPattern, matchPlan, type PatternResult } from "./match-pattern.js";
import { matchesRule } from "./match-resource.js";
import { LIST, PatternPlan, patternExpands, staticPlan } from "./pattern-plan.js";
import { anyPatternPass, anyPatternVerdict, patternErrorMessage, substituteMessage } from "./pattern-messages.js";
import type { JsonObject, KyvernoPolicy } from "./types.js";
import type { ValueOptions } from "./validate-value.js";
import { substituteVariables, type VariableResolver } from "./variables.js";

/**
 * One validate rule on one resource, after it matched: preconditions, then `deny` conditions or
 * `pattern`/`anyPattern`, with Kyverno's messages and, for Enforce on UPDATE, the old object's
 * verdict (Kyverno `pkg/engine/handlers/validation/validate_resource.go`). The evaluation context
 * (`request.object`, `request.oldObject`, `request.operation`, values) is built here too.
 */

/** A rule's verdict before it becomes an outcome: its status, message and the paths that failed. */
export interface Verdict {
  status: RuleOutcome["status"];
  message: string;
  paths: (readonly (string | number)[])[];
}

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
export interface Evaluation {
  operation: string;
  resource: JsonObject;
  oldResource: JsonObject | null;
  gvk: GroupVersionKind;
  context: JsonObject;
  resolve: VariableResolver;
}

function resolverFor(context: JsonObject): VariableResolver {
  // One resource meets many rules that ask the same questions (`request.operation`, its
  // apiVersion): scalar answers are kept per context. Lists and maps are not, so no rule can see
  // another rule's copy.
  const scalars = new Map<string, string | number | boolean | null>();
  return (expression) => {
    const known = scalars.get(expression);
    if (known !== undefined) return known;
    const value = resolveQuery(expression, context);
    if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean")
      scalars.set(expression, value);
    return value;
  };
}

/**
 * The evaluation of a request, the same for every policy and rule that judges it. A request without
 * values is judged by every policy in turn: its evaluation is built once and shared.
 */
export function buildEvaluation(request: AdmissionRequest, operation: string): Evaluation {
  return request.variables === undefined ? sharedBase(request, operation) : buildBase(request, operation);
}

// Only for requests without values, whose context nothing but the request itself decides.
const bases = new WeakMap<AdmissionRequest, Evaluation>();

function sharedBase(request: AdmissionRequest, operation: string): Evaluation {
  let base = bases.get(request);
  if (!base || base.operation !== operation) {
    base = buildBase(request, operation);
    bases.set(request, base);
  }
  return base;
}

function buildBase(request: AdmissionRequest, operation: string): Evaluation {
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

/**
 * The static plan of the rule's pattern (or anyPattern list), compiled on first use and kept with
 * the rule; null where the walk needs the pattern made for each resource: substituted (`{{ }}`
 * variables) or copied (metadata expansion beside a YAML alias). A pattern nested deeper than the
 * stack allows throws here, each time, and the rule ends in an error (evaluate-policy.ts).
 */
function planned(validation: CompiledValidation): PatternPlan | null {
  let plan = validation.patternPlan;
  if (plan === undefined) {
    if (validation.patternHasVariables) plan = null;
    else if (validation.pattern !== undefined) plan = staticPlan(validation.pattern) ?? null;
    else plan = staticPlan(validation.anyPattern ?? [], FLOATS) ?? null;
    validation.patternPlan = plan;
  }
  return plan;
}

/** The pattern (or anyPattern list) made for this resource: substituted, or copied for the walk to expand. */
function patternFor(validation: CompiledValidation, evaluation: Evaluation): unknown {
  const pattern = validation.pattern !== undefined ? validation.pattern : (validation.anyPattern ?? []);
  if (!validation.patternHasVariables) return copyPattern(pattern);
  // A constant part of a substituted pattern is shared with the compiled one unless the walk writes into it.
  const shareConstants = !validation.patternNeedsCopy && !patternExpands(pattern);
  return substituteVariables(pattern, evaluation.resolve, { isDelete: evaluation.operation === "DELETE", shareConstants });
}

const FLOATS: ValueOptions = Object.freeze({ numbersAreFloats: true });

function validatePatterns(rule: CompiledRule, validation: CompiledValidation, evaluation: Evaluation): Verdict | undefined {
  if (evaluation.operation === "DELETE") return undefined;
  const plan = planned(validation);
  let target: PatternPlan | { walk: unknown } | null = plan;
  if (target === null) {
    try {
      target = { walk: patternFor(validation, evaluation) };
    } catch (error) {
      return { status: "error", message: `variable substitution failed: ${(error as Error).message}`, paths: [] };
    }
  }
  if (validation.pattern === undefined) return validateAnyPattern(rule, validation, evaluation, target);
  const result = plan ? matchPlan(evaluation.resource, plan) : matchPattern(evaluation.resource, (target as { walk: unknown }).walk);
  switch (result.status) {
    case "pass":
      return rule.passVerdict;
    case "skip":
      return { status: "skip", message: result.message, paths: [] };
    case "error":
      return {
        status: "error",
        message: patternErrorMessage(rule, validation, evaluation, { message: result.message, path: "" }),
        paths: [],
      };
    default:
      return {
        status: "fail",
        message: patternErrorMessage(rule, validation, evaluation, result),
        paths: [result.segments],
      };
  }
}

/** The anyPattern items to walk: their static plans, or the substituted (or copied) list's items. */
function anyPatternItems(target: PatternPlan | { walk: unknown }): readonly (PatternPlan | { walk: unknown })[] {
  if (target instanceof PatternPlan) return target.kind === LIST ? target.items : [];
  return Array.isArray(target.walk) ? target.walk.map((walk: unknown) => ({ walk })) : [];
}

function validateAnyPattern(
  rule: CompiledRule,
  validation: CompiledValidation,
  evaluation: Evaluation,
  target: PatternPlan | { walk: unknown },
): Verdict {
  // What failed or skipped is only written out when no alternative passes.
  const results: Exclude<PatternResult, { status: "pass" }>[] = [];
  const items = anyPatternItems(target);
  for (let index = 0; index < items.length; index++) {
    const item = items[index] as PatternPlan | { walk: unknown };
    const result =
      item instanceof PatternPlan ? matchPlan(evaluation.resource, item) : matchPattern(evaluation.resource, item.walk, FLOATS);
    if (result.status === "pass") return anyPatternPass(rule, index);
    results.push(result);
  }
  return anyPatternVerdict(rule, validation, evaluation, results);
}

// A deny rule fails with one of a few condition messages: each text to substitute is joined once, so
// its plan is found by a string whose hash is already known.
const denyTexts = new WeakMap<CompiledValidation, Map<string, string>>();

function denyText(validation: CompiledValidation, conditionMessage: string): string {
  if (conditionMessage === "") return validation.message;
  if (validation.message === "") return conditionMessage;
  let texts = denyTexts.get(validation);
  if (!texts) denyTexts.set(validation, (texts = new Map<string, string>()));
  let text = texts.get(conditionMessage);
  if (text === undefined) texts.set(conditionMessage, (text = `${validation.message}; ${conditionMessage}`));
  return text;
}

function denyMessage(rule: CompiledRule, validation: CompiledValidation, evaluation: Evaluation, conditionMessage: string): string {
  if (validation.message === "" && conditionMessage === "") return `validation error: rule ${rule.name} failed`;
  const text = denyText(validation, conditionMessage);
  try {
    return substituteMessage(text, evaluation);
  } catch {
    return conditionMessage;
  }
}

function validateDeny(rule: CompiledRule, validation: CompiledValidation, evaluation: Evaluation): Verdict {
  let outcome: { result: boolean; message: string };
  try {
    outcome = (validation.deny?.program ?? conditionsProgram(undefined)).evaluate(evaluation.resolve, evaluation.context);
  } catch (error) {
    return { status: "error", message: `failed to check deny conditions: ${(error as Error).message}`, paths: [] };
  }
  if (!outcome.result) return rule.passVerdict;
  return { status: "fail", message: denyMessage(rule, validation, evaluation, outcome.message), paths: [[]] };
}

// The few texts preconditions fail with, each made once.
const skipMessages = new Map<string, string>();

function skipMessage(conditionMessage: string): string {
  let message = skipMessages.get(conditionMessage);
  if (message === undefined) {
    message = conditionMessage === "" ? "preconditions not met" : `preconditions not met; ${conditionMessage}`;
    if (skipMessages.size >= 10_000) skipMessages.clear();
    skipMessages.set(conditionMessage, message);
  }
  return message;
}

export function checkPreconditions(rule: CompiledRule, evaluation: Evaluation): Verdict | undefined {
  let outcome: { result: boolean; message: string };
  try {
    outcome = rule.preconditionsProgram.evaluate(evaluation.resolve, evaluation.context);
  } catch (error) {
    return { status: "error", message: `failed to evaluate preconditions: ${(error as Error).message}`, paths: [] };
  }
  if (outcome.result) return undefined;
  return { status: "skip", message: skipMessage(outcome.message), paths: [] };
}

export function isEnforce(action: string | undefined): boolean {
  return action !== undefined && action.toLowerCase() === "enforce";
}

/**
 * The validator proper: preconditions, then deny or pattern/anyPattern. `policy` is the rule's
 * policy, or null where the old object is validated for it (no further look at an older one).
 */
export function validateRule(
  rule: CompiledRule,
  validation: CompiledValidation,
  evaluation: Evaluation,
  policy: KyvernoPolicy | null,
): Verdict | undefined {
  const gate = checkPreconditions(rule, evaluation);
  if (gate) return gate;
  const verdict = validation.deny ? validateDeny(rule, validation, evaluation) : validatePatterns(rule, validation, evaluation);
  if (
    policy !== null &&
    evaluation.operation === "UPDATE" &&
    isEnforce(validation.failureAction ?? policy.failureAction) &&
    validation.allowExistingViolations
  ) {
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
  const requestContext: JsonObject = {
    ...(evaluation.context["request"] as JsonObject),
    object: old,
    oldObject: null,
    operation: "CREATE",
  };
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
      if (!evaluateConditions(rule.preconditions, priorEvaluation.resolve).result)
        return { status: "skip", message: "resource not matched", paths: [] };
    } catch {
      return { status: "skip", message: "resource not matched", paths: [] };
    }
  }
  if (!matchesRule(rule.raw, { resource: old, gvk: priorEvaluation.gvk, operation: "CREATE" })) {
    return { status: "skip", message: "resource not matched", paths: [] };
  }
  return validateRule(rule, validation, priorEvaluation, null);
}
