import { goJsonMarshal, isPlainObject } from "./go-format.js";

/** Resolves one `{{ }}` expression to a value; throws when Kyverno's query would fail. */
export type VariableResolver = (expression: string) => unknown;

/** A variable could not be substituted; the rule that needed it ends in error. */
export class SubstitutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SubstitutionError";
  }
}

// Kyverno's RegexVariables: `{{ }}` at the start or after any character but a backslash, with one
// level of single braces allowed inside (JMESPath object literals such as `{a: b}`).
const VARIABLES = /(^|[^\\])(\{\{(?:\{[^{}]*\}|[^{}])*\}\})/g;
const VARIABLE_AT_START = /^\{\{(?:\{[^{}]*\}|[^{}])*\}\}/;
const REFERENCES = /^\$\(.[^ ]*\)|[^\\]\$\(.[^ ]*\)/;
const ESCAPED_REFERENCES = /\\\$\(.[^ )]*\)/g;

function findVariables(text: string): string[] {
  return Array.from(text.matchAll(VARIABLES), (m) => m[0]);
}

/** The expression inside `{{ }}`; a leading `-` asks for shallow substitution. */
function expressionOf(variable: string): { expression: string; shallow: boolean } {
  const inner = variable.split("{{").join("").split("}}").join("").trim();
  if (inner.startsWith("-")) return { expression: inner.slice(1).trim(), shallow: true };
  return { expression: inner, shallow: false };
}

export interface SubstituteOptions {
  /** On DELETE Kyverno reads `request.oldObject` wherever a variable says `request.object`. */
  isDelete?: boolean;
  /**
   * Returns the document's own maps and lists where nothing in them substitutes, instead of
   * copies: for callers that never modify the result (conditions, patterns nobody expands).
   */
  shareConstants?: boolean;
}

/** How a string substitutes, read once per distinct string: conditions and messages repeat per resource. */
type StringPlan =
  | { kind: "references" }
  | { kind: "constant"; text: string }
  | { kind: "whole"; expression: string }
  | { kind: "general"; value: string; variables: FoundVariable[] };

/** A `{{ }}` match in a string, read once: what it replaces and the expression it asks. */
interface FoundVariable {
  /** The character matched before the variable and kept ("" at the start of the string). */
  prefix: string;
  variable: string;
  expression: string;
  shallow: boolean;
  /** Whether the variable was found in a policy's string (not in a text substitution produced). */
  policyText?: boolean;
  /** For a text's only variable: the text and variables after each substituted text, kept (see afterOnly). */
  after?: Map<string, { value: string; variables: FoundVariable[] }>;
}

function readVariable(found: string): FoundVariable {
  const initial = VARIABLE_AT_START.test(found);
  const variable = initial ? found : found.slice(1);
  const parsed = expressionOf(variable);
  return { prefix: initial ? "" : (found[0] ?? ""), variable, expression: parsed.expression, shallow: parsed.shallow };
}

const plans = new Map<string, StringPlan>();
const MAX_PLANS = 10_000;

function planString(input: string): StringPlan {
  let plan = plans.get(input);
  if (!plan) {
    plan = makePlan(input);
    if (plans.size >= MAX_PLANS) plans.clear();
    plans.set(input, plan);
  }
  return plan;
}

// A nested variable (`{{ f('{{ a }}') }}`) is read again from each substituted text: texts repeat across resources.
const rescans = new Map<string, FoundVariable[]>();

// The texts hold resource values: long ones are not kept, so the cache stays small whatever the resources hold.
const MAX_RESCAN_LENGTH = 1000;

function variablesIn(text: string): FoundVariable[] {
  let found = rescans.get(text);
  if (!found) {
    found = findVariables(text).map(readVariable);
    if (text.length > MAX_RESCAN_LENGTH) return found;
    if (rescans.size >= MAX_PLANS) rescans.clear();
    rescans.set(text, found);
  }
  return found;
}

function makePlan(input: string): StringPlan {
  if (REFERENCES.test(input)) return { kind: "references" };
  const value = input.replace(ESCAPED_REFERENCES, (m) => m.slice(1));
  const variables = findVariables(value);
  if (variables.length === 0) return { kind: "constant", text: value.split("\\{{").join("{{") };
  // A string that is one variable and nothing else takes the variable's value, whatever its type.
  if (variables.length === 1 && variables[0] === value && VARIABLE_AT_START.test(value)) {
    return { kind: "whole", expression: expressionOf(value).expression };
  }
  return { kind: "general", value, variables: variables.map((found) => ({ ...readVariable(found), policyText: true })) };
}

function substituteString(input: string, resolve: VariableResolver, options: SubstituteOptions): unknown {
  const plan = planString(input);
  switch (plan.kind) {
    case "references":
      throw new SubstitutionError(`references like $(...) are not supported: ${input}`);
    case "constant":
      return plan.text;
    case "whole": {
      let expression = plan.expression;
      if (expression === "@") throw new SubstitutionError("the {{@}} variable is not supported");
      if (options.isDelete) expression = expression.split("request.object").join("request.oldObject");
      return resolve(expression);
    }
    default:
      return substituteGeneral(plan.value, plan.variables, resolve, options);
  }
}

/** {@link substituteVariables} of one document, with its options, made once: what it resolves is read now. */
export type Substitution = (resolve: VariableResolver) => unknown;

/**
 * Prepares {@link substituteVariables} of a document that is substituted again and again (a
 * condition's key or value, per resource): constants and single-variable strings, most of them,
 * then cost no lookup. Same results and errors as substituting the document each time.
 */
export function prepareSubstitution(document: unknown, options: SubstituteOptions = {}): Substitution {
  if (typeof document !== "string") {
    if (options.shareConstants && isConstant(document)) return () => document;
    if (typeof document !== "object" || document === null) return () => document;
    return (resolve) => substituteVariables(document, resolve, options);
  }
  const plan = planString(document);
  switch (plan.kind) {
    case "constant": {
      const text = plan.text;
      return () => text;
    }
    case "whole": {
      if (plan.expression === "@") break;
      const expression = options.isDelete ? plan.expression.split("request.object").join("request.oldObject") : plan.expression;
      return (resolve) => resolve(expression);
    }
    case "general": {
      const { value, variables } = plan;
      return (resolve) => substituteGeneral(value, variables, resolve, options);
    }
    default:
      break;
  }
  // Errors stay errors of each substitution, as they were.
  return (resolve) => substituteString(document, resolve, options);
}

/** A document that substitutes simply: to itself (`constant`), or to exactly one variable's value (`whole`). */
export type SimpleSubstitution = { kind: "constant" } | { kind: "whole"; expression: string };

/**
 * How {@link prepareSubstitution} with `shareConstants` substitutes the document, when simply:
 * always to the same value whatever the context, or to the value of the one variable it is (a `{{ }}` string and
 * nothing else); undefined for anything else (texts around variables, nested variables, errors).
 */
export function simpleSubstitution(document: unknown): SimpleSubstitution | undefined {
  if (typeof document !== "string") return isConstant(document) ? { kind: "constant" } : undefined;
  const plan = planString(document);
  if (plan.kind === "constant") return { kind: "constant" };
  if (plan.kind === "whole" && plan.expression !== "@") return { kind: "whole", expression: plan.expression };
  return undefined;
}

function substituteGeneral(input: string, firstVariables: FoundVariable[], resolve: VariableResolver, options: SubstituteOptions): unknown {
  let value = input;
  let variables = firstVariables;
  rounds: while (variables.length > 0) {
    const original = value;
    let shallow = false;
    for (const found of variables) {
      shallow = found.shallow;
      let expression = found.expression;
      if (expression === "@") throw new SubstitutionError("the {{@}} variable is not supported");
      if (options.isDelete) expression = expression.split("request.object").join("request.oldObject");
      let substituted = resolve(expression);
      if (original === found.variable) return substituted;
      const prefix = found.prefix;
      if (shallow && substituted !== null && substituted !== undefined) {
        substituted = String(substituted).split("{{").join("\\{{");
      }
      const text = typeof substituted === "string" ? substituted : goJsonMarshal(substituted);
      if (variables.length === 1) {
        // The text's one variable: what follows depends on the substituted text alone.
        const next = afterOnly(found, value, text);
        value = next.value;
        variables = next.variables;
        continue rounds;
      }
      value = value.replace(prefix + found.variable, () => prefix + text);
    }
    variables = rescan(value, shallow);
  }
  return value.split("\\{{").join("{{");
}

/** Substituted values may hold variables in turn; a text without "{{" holds none. */
function rescan(value: string, shallow: boolean): FoundVariable[] {
  return shallow || !value.includes("{{") ? [] : variablesIn(value);
}

/**
 * The text, and its variables, after a text's only variable is replaced by `text`. A nested
 * variable (`{{ f('{{ a }}') }}`) gets here per resource with the few texts `a` takes: each is
 * worked out once per variable (whose text it was found in never changes).
 */
function afterOnly(found: FoundVariable, value: string, text: string): { value: string; variables: FoundVariable[] } {
  let next = found.after?.get(text);
  if (!next) {
    const replaced = value.replace(found.prefix + found.variable, () => found.prefix + text);
    next = { value: replaced, variables: rescan(replaced, found.shallow) };
    // Only a policy's own strings keep results, short texts and a few of them: resources decide the texts.
    if (!found.policyText || text.length > MAX_AFTER_TEXT) return next;
    found.after ??= new Map();
    if (found.after.size >= MAX_AFTER) found.after.clear();
    found.after.set(text, next);
  }
  return next;
}

const MAX_AFTER = 100;
const MAX_AFTER_TEXT = 200;

/**
 * Kyverno's SubstituteAll over a JSON document: every string leaf and map key has its `{{ }}`
 * variables replaced. A string that is exactly one variable takes the variable's type.
 */
export function substituteVariables(document: unknown, resolve: VariableResolver, options: SubstituteOptions = {}): unknown {
  if (typeof document === "string") return substituteString(document, resolve, options);
  if (options.shareConstants && isConstant(document)) return document;
  if (Array.isArray(document)) return document.map((item) => substituteVariables(item, resolve, options));
  if (isPlainObject(document)) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(document)) {
      const newKey = substituteString(key, resolve, options);
      if (typeof newKey !== "string") throw new SubstitutionError(`expected string after substituting variables in key "${key}"`);
      out[newKey] = substituteVariables(value, resolve, options);
    }
    return out;
  }
  return document;
}

// Whether substitution would give back an equal copy, per map or list of a policy: conditions and
// patterns are substituted once per resource, and most of them hold no variable.
const constants = new WeakMap<object, boolean>();

function isConstant(document: unknown): boolean {
  if (typeof document === "string") {
    const plan = planString(document);
    return plan.kind === "constant" && plan.text === document;
  }
  if (typeof document !== "object" || document === null) return true;
  let constant = constants.get(document);
  if (constant === undefined) {
    if (Array.isArray(document)) constant = document.every(isConstant);
    // A `__proto__` key would not survive the copy as an own key, so such a map is never shared.
    else if (isPlainObject(document))
      constant = Object.entries(document).every(([key, value]) => key !== "__proto__" && isConstant(key) && isConstant(value));
    else constant = true;
    constants.set(document, constant);
  }
  return constant;
}
