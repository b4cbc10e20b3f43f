import { listHandler } from "./condition-lists.js";
import { operatorHandler } from "./condition-operators.js";
import { conditionReads, memoizeByReads } from "./conditions-memo.js";
import { contextQuery } from "./jmespath.js";
import { prepareSubstitution, simpleSubstitution, type VariableResolver } from "./variables.js";

/** One deny condition or precondition: `key <operator> value`, with `{{ }}` variables. */
export interface Condition {
  key: unknown;
  operator: string;
  value: unknown;
  message?: string;
}

/** `any`/`all` blocks; a block left out is `undefined`, an empty list is `[]` (never true for any). */
export interface AnyAllConditions {
  any?: Condition[];
  all?: Condition[];
}

/** Conditions as Kyverno accepts them: an any/all object, or the legacy plain list (all must hold). */
export type Conditions = AnyAllConditions | Condition[];

/** A condition could not be evaluated (unknown operator, failed variable): the rule ends in error. */
export class ConditionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConditionError";
  }
}

/** True when Kyverno knows the operator name (in any letter case). */
export function isKnownOperator(operator: string): boolean {
  return operatorHandler(operator) !== undefined;
}

// Operators only read their operands, so the condition's constant parts need no copy.
const SHARE_CONSTANTS = { shareConstants: true };

/**
 * A condition made ready once: its sides' substitutions and its operator's handler. `context`,
 * when given, is the one `resolve` reads (validate-rule.ts's resolver over it): a side that is
 * one variable then asks the context directly, with the same answers and errors.
 */
type ConditionProgram = (resolve: VariableResolver, context: unknown) => boolean;

type Side = (resolve: VariableResolver, context: unknown) => unknown;

function prepareSide(document: unknown): Side {
  const simple = simpleSubstitution(document);
  if (simple?.kind === "whole") return contextQuery(simple.expression);
  return prepareSubstitution(document, SHARE_CONSTANTS);
}

/** A condition whose value is a constant list and whose operator is a membership one: the list made ready once. */
function compileListCondition(condition: Condition): ConditionProgram | undefined {
  const { operator, value } = condition;
  if (typeof operator !== "string" || !Array.isArray(value) || simpleSubstitution(value)?.kind !== "constant") return undefined;
  const compare = listHandler(operator, value);
  if (!compare) return undefined;
  const key = prepareSide(condition.key);
  return (resolve, context) => {
    let left: unknown;
    try {
      left = key(resolve, context);
    } catch (error) {
      throw new ConditionError(`failed to substitute variables in condition key: ${(error as Error).message}`);
    }
    return compare(left);
  };
}

function compileCondition(condition: Condition): ConditionProgram {
  const list = compileListCondition(condition);
  if (list) return list;
  const operator = condition.operator;
  const key = prepareSide(condition.key);
  const value = prepareSide(condition.value);
  // A raw (exception) condition's operator may be no string: it then fails where the lookup would.
  const handler = typeof operator === "string" ? operatorHandler(operator) : undefined;
  return (resolve, context) => {
    let left: unknown;
    let right: unknown;
    try {
      left = key(resolve, context);
    } catch (error) {
      throw new ConditionError(`failed to substitute variables in condition key: ${(error as Error).message}`);
    }
    try {
      right = value(resolve, context);
    } catch (error) {
      throw new ConditionError(`failed to substitute variables in condition value: ${(error as Error).message}`);
    }
    const compare = handler ?? operatorHandler(operator);
    if (!compare) throw new ConditionError(`failed to create handler for condition operator: ${operator}`);
    return compare(left, right);
  };
}

/** Evaluates one condition after substituting its variables. */
export function evaluateCondition(condition: Condition, resolve: VariableResolver): boolean {
  return compileCondition(condition)(resolve, undefined);
}

/** What {@link evaluateConditions} answers; shared and frozen, so callers only read it. */
export interface ConditionsOutcome {
  readonly result: boolean;
  readonly message: string;
}

function joinNonEmpty(parts: (string | undefined)[], separator: string): string {
  return parts.filter((p): p is string => p !== undefined && p !== "").join(separator);
}

function outcome(result: boolean, message: string): ConditionsOutcome {
  return Object.freeze({ result, message });
}

// Most rules have no preconditions: one answer, not one object per resource (callers only read it).
const NO_CONDITIONS: ConditionsOutcome = outcome(true, "");

/** One list of conditions, each compiled when first reached (a later one may never be). */
class ConditionList {
  private readonly programs: (ConditionProgram | undefined)[] = [];
  readonly messages: (string | undefined)[];

  constructor(readonly conditions: readonly Condition[]) {
    this.messages = conditions.map((condition) => (condition as Partial<Condition> | null | undefined)?.message);
  }

  /** Index of the first condition that gives `wanted`, or the list's length. */
  firstWith(wanted: boolean, resolve: VariableResolver, context: unknown): number {
    const conditions = this.conditions;
    for (let index = 0; index < conditions.length; index++) {
      const program = (this.programs[index] ??= compileCondition(conditions[index] as Condition));
      if (program(resolve, context) === wanted) return index;
    }
    return conditions.length;
  }
}

/** Conditions compiled once; every answer (result and the messages that decided it) is made once and kept. */
export interface ConditionsProgram {
  /**
   * `context`, when given, is the evaluation context `resolve` answers from (the rule's resolver
   * over it, which asks nothing else): answers may then be read from it directly, and kept.
   */
  evaluate: (resolve: VariableResolver, context?: unknown) => ConditionsOutcome;
}

function listOf(value: unknown): ConditionList {
  // Rules always hold lists (compileRule); an exception's raw block is checked to hold lists when parsed.
  if (!Array.isArray(value)) throw new ConditionError("conditions must be a list");
  return new ConditionList(value as Condition[]);
}

/** The legacy plain list: every condition must hold; a failing one says its own message. */
function compileLegacy(conditions: Condition[]): ConditionsProgram {
  const list = new ConditionList(conditions);
  const failed: (ConditionsOutcome | undefined)[] = [];
  let passed: ConditionsOutcome | undefined;
  return {
    evaluate(resolve, context) {
      const index = list.firstWith(false, resolve, context);
      if (index === conditions.length) return (passed ??= outcome(true, joinNonEmpty(list.messages, ";")));
      let answer = failed[index];
      if (!answer) failed[index] = answer = outcome(false, list.messages[index] ?? "");
      return answer;
    },
  };
}

/**
 * A block of one condition in all (an `all` of one with no `any`, an `any` of one with no `all`
 * conditions), the commonest: it holds where its condition holds, with the condition's message
 * either way, as the general evaluation below gives it, with no indexes worked out.
 */
function alone(list: ConditionList): ConditionsProgram {
  let held: ConditionsOutcome | undefined;
  let failed: ConditionsOutcome | undefined;
  return {
    evaluate(resolve, context) {
      if (list.firstWith(false, resolve, context) === 1) return (held ??= outcome(true, joinNonEmpty(list.messages, "; ")));
      return (failed ??= outcome(false, joinNonEmpty(list.messages, "; ")));
    },
  };
}

/**
 * `any` needs one true condition (when present), `all` every one (evaluated even when `any`
 * failed); the message joins those of the conditions that decided the result: on a pass, the
 * true `any` condition's and all of `all`'s; otherwise the false `any` ones before the first true
 * one (or all of them) and the first false `all` one.
 */
function compileAnyAll(conditions: AnyAllConditions): ConditionsProgram {
  const any = conditions.any === undefined ? undefined : listOf(conditions.any);
  // A null `all` counts as empty, a null `any` as no list at all (as the loops over them did).
  const all = conditions.all === undefined || conditions.all === null ? undefined : listOf(conditions.all);
  if (!any && all?.conditions.length === 1) return alone(all);
  if (any?.conditions.length === 1 && !all?.conditions.length) return alone(any);
  const answers: (ConditionsOutcome | undefined)[] = [];
  const allLength = all ? all.conditions.length : 0;
  return {
    evaluate(resolve, context) {
      const anyIndex = any ? any.firstWith(true, resolve, context) : -1;
      const allIndex = all ? all.firstWith(false, resolve, context) : 0;
      const anyResult = !any || anyIndex < any.conditions.length;
      const allResult = allIndex === allLength;
      // One answer per pair of deciding indexes.
      const slot = (anyIndex + 1) * (allLength + 1) + allIndex;
      let answer = answers[slot];
      if (!answer) {
        const result = anyResult && allResult;
        const anyMessages = any ? any.messages : [];
        const allMessages = all ? all.messages : [];
        const messages = result
          ? [...(any ? [anyMessages[anyIndex]] : []), ...allMessages]
          : [...anyMessages.slice(0, anyResult ? anyIndex : anyMessages.length), ...(allResult ? [] : [allMessages[allIndex]])];
        answers[slot] = answer = outcome(result, joinNonEmpty(messages, "; "));
      }
      return answer;
    },
  };
}

const programs = new WeakMap<object, ConditionsProgram>();

// No conditions always hold (rules without preconditions, deny without conditions).
const ALWAYS: ConditionsProgram = { evaluate: () => NO_CONDITIONS };

/**
 * Compiles conditions for {@link evaluateConditions}, once per conditions object (policies are not
 * changed once read): a compiled rule keeps its programs, so evaluating them looks nothing up.
 */
export function conditionsProgram(conditions: Conditions | undefined): ConditionsProgram {
  if (conditions === undefined) return ALWAYS;
  let program = programs.get(conditions);
  if (!program) {
    program = memoized(conditions, Array.isArray(conditions) ? compileLegacy(conditions) : compileAnyAll(conditions));
    programs.set(conditions, program);
  }
  return program;
}

/**
 * The program, answering once per distinct set of the context values its conditions read where
 * they read only a few scalars (conditions-memo.ts). Worked out on the first evaluation, so that a
 * rule compiled but never reached parses no expression.
 */
function memoized(conditions: Conditions, program: ConditionsProgram): ConditionsProgram {
  const listed = Array.isArray(conditions) ? conditions : [...(conditions.any ?? []), ...(conditions.all ?? [])];
  const plain = program.evaluate;
  const chosen: ConditionsProgram = {
    evaluate(resolve, context) {
      const reads = conditionReads(listed);
      const giveUp = (evaluate: ConditionsProgram["evaluate"]): void => {
        chosen.evaluate = evaluate;
      };
      chosen.evaluate = reads ? memoizeByReads({ reads, evaluate: plain, giveUp }) : plain;
      return chosen.evaluate(resolve, context);
    },
  };
  return chosen;
}

/**
 * Evaluates conditions as Kyverno does: `any` needs one true condition (when present), `all` needs
 * every one; the result carries the messages of the conditions that decided it.
 */
export function evaluateConditions(conditions: Conditions | undefined, resolve: VariableResolver): ConditionsOutcome {
  return conditionsProgram(conditions).evaluate(resolve);
}
