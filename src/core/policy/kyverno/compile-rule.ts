import { conditionsProgram, type AnyAllConditions, type Condition, type Conditions, type ConditionsProgram } from "./conditions.js";
import { isPlainObject } from "./go-format.js";
import type { PatternPlan } from "./pattern-plan.js";
import type { JsonObject } from "./types.js";

/** The parts of a (possibly autogen) rule that evaluation needs, read once from its JSON. */
export interface CompiledRule {
  name: string;
  /**
   * The rule's pass verdict, with Kyverno's message for a pass: one frozen object for every resource that passes (most verdicts are
   * passes; a consumer that tried to change it would throw, not spoil the others).
   */
  passVerdict: PassVerdict;
  raw: JsonObject;
  preconditions?: Conditions;
  /** The preconditions compiled (always holding when there are none). */
  preconditionsProgram: ConditionsProgram;
  validate?: CompiledValidation;
}

/** A rule's verdict when it passes: nothing failed, so no path. */
export interface PassVerdict {
  readonly status: "pass";
  readonly message: string;
  readonly paths: (readonly (string | number)[])[];
}

// Frozen: a pass has no path, and every pass verdict shares this empty list.
const NO_PATHS = Object.freeze([]) as unknown as (readonly (string | number)[])[];

export interface CompiledValidation {
  message: string;
  failureAction?: string;
  allowExistingViolations: boolean;
  pattern?: unknown;
  anyPattern?: unknown[];
  /** Present (even empty) when the rule denies; `conditions` undefined means "always deny". */
  deny?: { conditions?: Conditions; program: ConditionsProgram };
  /** Whether patterns hold `{{ }}` variables or escapes that substitution must see. */
  patternHasVariables: boolean;
  /** Whether patterns have metadata keys the wildcard expansion rewrites in place. */
  patternNeedsCopy: boolean;
  /** The patterns' static plan once compiled (validate-rule.ts), null where none serves; undefined before. */
  patternPlan: PatternPlan | null | undefined;
}

function toCondition(value: unknown): Condition | undefined {
  if (!isPlainObject(value)) return undefined;
  const condition: Condition = {
    key: value["key"] ?? null,
    operator: typeof value["operator"] === "string" ? value["operator"] : "",
    value: value["value"] ?? null,
  };
  if (typeof value["message"] === "string") condition.message = value["message"];
  return condition;
}

function toConditionList(value: unknown): Condition[] {
  return Array.isArray(value) ? value.map(toCondition).filter((c): c is Condition => c !== undefined) : [];
}

/** Reads `preconditions` / `deny.conditions`: an any/all object or a legacy list. */
export function toConditions(value: unknown): Conditions | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return toConditionList(value);
  if (!isPlainObject(value)) return undefined;
  const out: AnyAllConditions = {};
  if (value["any"] !== undefined && value["any"] !== null) out.any = toConditionList(value["any"]);
  if (value["all"] !== undefined && value["all"] !== null) out.all = toConditionList(value["all"]);
  return out;
}

function mentions(value: unknown, test: (key: string) => boolean, testString: (s: string) => boolean): boolean {
  if (typeof value === "string") return testString(value);
  if (Array.isArray(value)) return value.some((v) => mentions(v, test, testString));
  if (isPlainObject(value)) return Object.entries(value).some(([k, v]) => test(k) || testString(k) || mentions(v, test, testString));
  return false;
}

const needsSubstitution = (s: string): boolean => s.includes("{{") || s.includes("$(");

const bareKey = (key: string): string => /^[+<=X^]?\((.+)\)$/.exec(key)?.[1] ?? key;

/**
 * Whether Kyverno's metadata wildcard expansion can rewrite this pattern: it replaces label and
 * annotation maps holding wildcard keys or non-string values, in place.
 */
function metadataRewritten(pattern: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.some(metadataRewritten);
  if (!isPlainObject(pattern)) return false;
  for (const [key, value] of Object.entries(pattern)) {
    if (bareKey(key) === "metadata" && isPlainObject(value)) {
      for (const [tag, map] of Object.entries(value)) {
        if (!["labels", "annotations"].includes(bareKey(tag)) || !isPlainObject(map)) continue;
        if (Object.entries(map).some(([k, v]) => k.includes("*") || k.includes("?") || typeof v !== "string")) return true;
      }
    }
    if (metadataRewritten(value)) return true;
  }
  return false;
}

/** Compiles the JSON of a rule. */
export function compileRule(raw: JsonObject): CompiledRule {
  const name = typeof raw["name"] === "string" ? raw["name"] : "";
  const passVerdict: PassVerdict = Object.freeze({ status: "pass", message: `validation rule '${name}' passed.`, paths: NO_PATHS });
  const preconditions = toConditions(raw["preconditions"]);
  const rule: CompiledRule = { name, passVerdict, raw, preconditionsProgram: conditionsProgram(preconditions) };
  if (preconditions !== undefined) rule.preconditions = preconditions;
  const validate = raw["validate"];
  if (!isPlainObject(validate)) return rule;
  const compiled: CompiledValidation = {
    message: typeof validate["message"] === "string" ? validate["message"] : "",
    allowExistingViolations: validate["allowExistingViolations"] !== false,
    patternHasVariables: false,
    patternNeedsCopy: false,
    patternPlan: undefined,
  };
  if (typeof validate["failureAction"] === "string") compiled.failureAction = validate["failureAction"];
  const hasPattern = validate["pattern"] !== undefined && validate["pattern"] !== null;
  const hasAnyPattern = validate["anyPattern"] !== undefined && validate["anyPattern"] !== null;
  if (validate["deny"] !== undefined && validate["deny"] !== null) {
    const deny = isPlainObject(validate["deny"]) ? validate["deny"] : {};
    const conditions = toConditions(deny["conditions"]);
    compiled.deny =
      conditions === undefined ? { program: conditionsProgram(undefined) } : { conditions, program: conditionsProgram(conditions) };
  } else if (hasPattern || hasAnyPattern) {
    if (hasPattern) compiled.pattern = validate["pattern"];
    else compiled.anyPattern = Array.isArray(validate["anyPattern"]) ? validate["anyPattern"] : [];
    const patterns = hasPattern ? validate["pattern"] : validate["anyPattern"];
    compiled.patternHasVariables = mentions(
      patterns,
      () => false,
      (s) => needsSubstitution(s) || s.includes("\\{{"),
    );
    compiled.patternNeedsCopy = metadataRewritten(patterns);
  } else {
    // Nothing Kyverno's validate handler can run (foreach, cel, podSecurity... are reported at parse time).
    return rule;
  }
  rule.validate = compiled;
  return rule;
}
