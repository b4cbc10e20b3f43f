import type { Problem } from "../../problems.js";
import { parseAnchor } from "./anchor.js";
import { isKnownOperator } from "./conditions.js";
import { isPlainObject } from "./go-format.js";
import { JmesPathError, compileJmesPath, functionsCalled, isKnownFunction, rootPaths } from "./jmespath.js";
import type { JsonObject, KyvernoPolicy } from "./types.js";

export type { KyvernoPolicy } from "./types.js";

type FieldPath = readonly (string | number)[];
type PositionOf = (path: FieldPath) => { line: number; column: number };

const API_VERSIONS = new Set(["kyverno.io/v1", "kyverno.io/v2beta1"]);
const KINDS = new Set(["ClusterPolicy", "Policy"]);
/** Context roots a variable may read: everything Kyverno gets from the admission request itself. */
const ALLOWED_ROOTS = new Set(["request", "request.object", "request.oldObject", "request.operation", "request.namespace"]);

interface Finding {
  feature: string;
  rule: string;
  path: FieldPath;
}

/** Collects unsupported features and invalid parts of one rule, each with its location. */
class RuleInspector {
  readonly unsupported: Finding[] = [];
  readonly invalid: { message: string; path: FieldPath }[] = [];

  constructor(private readonly rule: string) {}

  feature(feature: string, path: FieldPath): void {
    this.unsupported.push({ feature, rule: this.rule, path });
  }

  problem(message: string, path: FieldPath): void {
    this.invalid.push({ message, path });
  }

  /** Checks every `{{ }}` expression in a value: syntax, functions and context roots. */
  variables(value: unknown, path: FieldPath): void {
    if (typeof value === "string") {
      for (const expression of collectExpressions(value)) this.expression(expression, path);
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => this.variables(item, [...path, i]));
      return;
    }
    if (isPlainObject(value)) {
      for (const [key, item] of Object.entries(value)) {
        for (const expression of collectExpressions(key)) this.expression(expression, [...path, key]);
        this.variables(item, [...path, key]);
      }
    }
  }

  private expression(expression: string, path: FieldPath): void {
    const text = expression.startsWith("-") ? expression.slice(1).trim() : expression;
    if (text === "@") {
      this.feature("the {{@}} variable", path);
      return;
    }
    let node;
    try {
      node = compileJmesPath(text);
    } catch (error) {
      const detail = error instanceof JmesPathError ? error.message : String(error);
      this.problem(`The variable {{ ${text} }} is not valid JMESPath (${detail}).`, path);
      return;
    }
    for (const name of functionsCalled(node)) {
      if (!isKnownFunction(name)) this.feature(`the JMESPath function ${name}()`, path);
    }
    for (const root of rootPaths(node)) {
      if (!ALLOWED_ROOTS.has(root)) this.feature(`the variable ${root}`, path);
    }
  }
}

/** Every `{{ }}` expression of a string, including ones nested in another expression. */
function collectExpressions(text: string): string[] {
  const found: string[] = [];
  const variable = /(^|[^\\])(\{\{(?:\{[^{}]*\}|[^{}])*\}\})/;
  let rest = text;
  for (let guard = 0; guard < 100; guard++) {
    const match = variable.exec(rest);
    if (!match) break;
    const body = (match[2] ?? "").slice(2, -2).trim();
    found.push(body);
    // Replace the variable by a neutral word so an enclosing expression becomes parseable.
    rest = rest.slice(0, match.index) + (match[1] ?? "") + "x" + rest.slice(match.index + match[0].length);
  }
  return found;
}

function inspectPattern(inspector: RuleInspector, pattern: unknown, path: FieldPath): void {
  if (typeof pattern === "string" && /(^|[^\\])\$\(/.test(pattern)) {
    inspector.feature("pattern references $(...)", path);
    return;
  }
  if (Array.isArray(pattern)) {
    pattern.forEach((item, i) => inspectPattern(inspector, item, [...path, i]));
    return;
  }
  if (!isPlainObject(pattern)) return;
  for (const [key, value] of Object.entries(pattern)) {
    const anchor = parseAnchor(key);
    if (anchor?.type === "existence" && (!Array.isArray(value) || value.length === 0)) {
      inspector.problem(`The existence anchor ${key} needs a non-empty list.`, [...path, key]);
    }
    inspectPattern(inspector, value, [...path, key]);
  }
}

function inspectConditions(inspector: RuleInspector, conditions: unknown, path: FieldPath): void {
  const check = (list: unknown, listPath: FieldPath): void => {
    if (!Array.isArray(list)) return;
    list.forEach((condition, i) => {
      if (!isPlainObject(condition)) return;
      const operator = condition["operator"];
      if (typeof operator !== "string" || !isKnownOperator(operator)) {
        inspector.problem(`The condition operator ${String(operator)} is not a Kyverno operator.`, [...listPath, i, "operator"]);
      }
    });
  };
  if (Array.isArray(conditions)) check(conditions, path);
  else if (isPlainObject(conditions)) {
    check(conditions["any"], [...path, "any"]);
    check(conditions["all"], [...path, "all"]);
  }
}

function inspectBlock(inspector: RuleInspector, block: unknown, path: FieldPath): void {
  if (!isPlainObject(block)) return;
  const filters: [unknown, FieldPath][] = [[block, path]];
  for (const list of ["any", "all"] as const) {
    if (Array.isArray(block[list])) (block[list] as unknown[]).forEach((f, i) => filters.push([f, [...path, list, i]]));
  }
  for (const [filter, filterPath] of filters) {
    if (!isPlainObject(filter)) continue;
    for (const key of ["subjects", "roles", "clusterRoles"]) {
      if (Array.isArray(filter[key]) && (filter[key] as unknown[]).length > 0)
        inspector.feature(`${path[path.length - 1]}.${key} (user info)`, [...filterPath, key]);
    }
    const resources = filter["resources"];
    if (isPlainObject(resources) && resources["namespaceSelector"] !== undefined && resources["namespaceSelector"] !== null) {
      inspector.feature("namespaceSelector", [...filterPath, "resources", "namespaceSelector"]);
    }
  }
}

function inspectRule(rule: JsonObject, name: string, path: FieldPath): RuleInspector {
  const inspector = new RuleInspector(name);
  if (Array.isArray(rule["context"]) && rule["context"].length > 0) {
    rule["context"].forEach((entry, i) => {
      const kind = isPlainObject(entry)
        ? ["apiCall", "configMap", "imageRegistry", "globalReference", "variable"].find((k) => entry[k] !== undefined)
        : undefined;
      inspector.feature(kind === "apiCall" ? "apiCall" : kind ? `context.${kind}` : "context", [...path, "context", i]);
    });
  }
  for (const feature of ["mutate", "generate", "verifyImages", "celPreconditions"]) {
    if (rule[feature] !== undefined && rule[feature] !== null) inspector.feature(feature, [...path, feature]);
  }
  inspectBlock(inspector, rule["match"], [...path, "match"]);
  inspectBlock(inspector, rule["exclude"], [...path, "exclude"]);
  inspectConditions(inspector, rule["preconditions"], [...path, "preconditions"]);
  inspector.variables(rule["preconditions"], [...path, "preconditions"]);
  const validate = rule["validate"];
  if (isPlainObject(validate)) {
    const validatePath = [...path, "validate"];
    const features: [string, string][] = [
      ["foreach", "foreach"],
      ["cel", "CEL (validate.cel)"],
      ["podSecurity", "validate.podSecurity"],
      ["manifests", "validate.manifests"],
      ["assert", "validate.assert"],
    ];
    let runnable = false;
    for (const [key, label] of features) {
      if (validate[key] !== undefined && validate[key] !== null) inspector.feature(label, [...validatePath, key]);
    }
    if (validate["deny"] !== undefined && validate["deny"] !== null) {
      runnable = true;
      const deny = isPlainObject(validate["deny"]) ? validate["deny"] : {};
      inspectConditions(inspector, deny["conditions"], [...validatePath, "deny", "conditions"]);
      inspector.variables(deny["conditions"], [...validatePath, "deny", "conditions"]);
    } else {
      for (const key of ["pattern", "anyPattern"]) {
        if (validate[key] === undefined || validate[key] === null) continue;
        runnable = true;
        if (key === "anyPattern" && !Array.isArray(validate[key]))
          inspector.problem("validate.anyPattern must be a list of patterns.", [...validatePath, key]);
        inspectPattern(inspector, validate[key], [...validatePath, key]);
        inspector.variables(validate[key], [...validatePath, key]);
      }
    }
    inspector.variables(validate["message"], [...validatePath, "message"]);
    if (!runnable && inspector.unsupported.length === 0) {
      inspector.problem("The validate rule has no pattern, anyPattern or deny.", validatePath);
    }
  } else if (inspector.unsupported.length === 0) {
    inspector.problem("The rule has no validate, mutate, generate or verifyImages section.", path);
  }
  return inspector;
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) if (typeof v === "string") out[k] = v;
  return out;
}

/**
 * Parses a Kyverno ClusterPolicy or Policy (kyverno.io/v1 or v2beta1). Rules using features outside
 * the supported subset are reported once per feature ("policy.unsupported", warning) and are not
 * evaluated; malformed rules are reported as "policy.invalid" errors and are not evaluated either.
 */
export function parseKyvernoPolicy(params: { file: string; document: unknown; positionOf?: PositionOf }): {
  policy?: KyvernoPolicy;
  problems: Problem[];
} {
  const { file, document, positionOf } = params;
  const at = (path: FieldPath): Partial<Problem> => (positionOf ? { file, ...positionOf(path) } : { file });
  const problems: Problem[] = [];
  if (!isPlainObject(document)) {
    return { problems: [{ code: "policy.invalid", severity: "error", message: "The policy document is not a YAML mapping.", ...at([]) }] };
  }
  const apiVersion = document["apiVersion"];
  const kind = document["kind"];
  if (typeof apiVersion !== "string" || !API_VERSIONS.has(apiVersion) || typeof kind !== "string" || !KINDS.has(kind)) {
    return {
      problems: [
        {
          code: "policy.unsupported",
          severity: "warning",
          message: `${String(apiVersion)} ${String(kind)} is not a Kyverno ClusterPolicy or Policy (kyverno.io/v1 or v2beta1); it is not evaluated.`,
          hint: "gitops-bot runs the validate rules of ClusterPolicy and Policy documents.",
          ...at(["kind"]),
        },
      ],
    };
  }
  const metadata = isPlainObject(document["metadata"]) ? document["metadata"] : {};
  const name = metadata["name"];
  if (typeof name !== "string" || name === "") {
    return { problems: [{ code: "policy.invalid", severity: "error", message: "The policy has no metadata.name.", ...at(["metadata"]) }] };
  }
  const spec = isPlainObject(document["spec"]) ? document["spec"] : undefined;
  if (!spec || !Array.isArray(spec["rules"])) {
    return {
      problems: [
        { code: "policy.invalid", severity: "error", message: `Policy "${name}" has no spec.rules list.`, ...at(spec ? ["spec"] : []) },
      ],
    };
  }
  const {
    validRules,
    skipped,
    features,
    problems: ruleProblems,
  } = inspectRules({ rules: JSON.parse(JSON.stringify(spec["rules"])) as unknown[], policy: name, at });
  problems.push(...ruleProblems);
  const matchConditions = isPlainObject(spec["webhookConfiguration"]) ? spec["webhookConfiguration"]["matchConditions"] : undefined;
  if (Array.isArray(matchConditions) && matchConditions.length > 0) {
    features.set("webhookConfiguration.matchConditions (CEL)", [
      { feature: "", rule: "*", path: ["spec", "webhookConfiguration", "matchConditions"] },
    ]);
    for (const rule of validRules) skipped.add(String(rule["name"]));
  }
  problems.push(...unsupportedProblems({ features, policy: name, at }));
  const action = spec["validationFailureAction"];
  const policy: KyvernoPolicy = {
    file,
    kind: kind as KyvernoPolicy["kind"],
    name,
    annotations: stringRecord(metadata["annotations"]),
    failureAction: typeof action === "string" && action.toLowerCase() === "enforce" ? "Enforce" : "Audit",
    applyRules: spec["applyRules"] === "One" ? "One" : "All",
    rules: validRules,
    skippedRules: skipped,
  };
  if (kind === "Policy" && typeof metadata["namespace"] === "string" && metadata["namespace"] !== "")
    policy.namespace = metadata["namespace"];
  return { policy, problems };
}

type At = (path: FieldPath) => Partial<Problem>;

/**
 * Reads each rule: one without a name is dropped, a second of the same name is an error, and a rule
 * using what gitops-bot does not support, or holding an invalid expression, is kept but skipped.
 */
function inspectRules(params: { rules: readonly unknown[]; policy: string; at: At }): {
  validRules: JsonObject[];
  skipped: Set<string>;
  features: Map<string, Finding[]>;
  problems: Problem[];
} {
  const { at } = params;
  const problems: Problem[] = [];
  const skipped = new Set<string>();
  const features = new Map<string, Finding[]>();
  const seenNames = new Set<string>();
  const validRules: JsonObject[] = [];
  params.rules.forEach((rule, index) => {
    const path: FieldPath = ["spec", "rules", index];
    if (!isPlainObject(rule) || typeof rule["name"] !== "string" || rule["name"] === "") {
      problems.push({
        code: "policy.invalid",
        severity: "error",
        message: `Rule ${index + 1} of policy "${params.policy}" has no name; it is not evaluated.`,
        ...at(path),
      });
      return;
    }
    const ruleName = rule["name"];
    if (seenNames.has(ruleName)) {
      problems.push({
        code: "policy.invalid",
        severity: "error",
        message: `Policy "${params.policy}" has two rules named "${ruleName}".`,
        ...at([...path, "name"]),
      });
    }
    seenNames.add(ruleName);
    validRules.push(rule);
    const inspector = inspectRule(rule, ruleName, path);
    for (const finding of inspector.unsupported) {
      const list = features.get(finding.feature) ?? [];
      list.push(finding);
      features.set(finding.feature, list);
    }
    for (const invalid of inspector.invalid) {
      problems.push({
        code: "policy.invalid",
        severity: "error",
        message: `Rule "${ruleName}" of policy "${params.policy}": ${invalid.message} The rule is not evaluated.`,
        ...at(invalid.path),
      });
    }
    if (inspector.unsupported.length > 0 || inspector.invalid.length > 0) skipped.add(ruleName);
  });
  return { validRules, skipped, features, problems };
}

/** One warning per unsupported feature of a policy, naming every rule that uses it, at its first use. */
function unsupportedProblems(params: { features: ReadonlyMap<string, Finding[]>; policy: string; at: At }): Problem[] {
  const { at } = params;
  const name = params.policy;
  const problems: Problem[] = [];
  for (const [feature, findings] of params.features) {
    const ruleNames = [...new Set(findings.map((f) => f.rule))];
    const who = ruleNames.includes("*")
      ? `Policy "${name}"`
      : `${ruleNames.length > 1 ? "Rules" : "Rule"} ${ruleNames.map((r) => `"${r}"`).join(", ")} of policy "${name}"`;
    problems.push({
      code: "policy.unsupported",
      severity: "warning",
      message: `${who} ${ruleNames.length > 1 ? "use" : "uses"} ${feature}, which gitops-bot does not support; ${ruleNames.length > 1 || ruleNames.includes("*") ? "these rules are" : "the rule is"} not evaluated.`,
      hint: "Check this policy with the Kyverno CLI in CI, or rewrite the rule with pattern, anyPattern or deny conditions.",
      ...at(findings[0]?.path ?? []),
    });
  }
  return problems;
}
