import type { Problem } from "../../problems.js";
import { isKnownOperator } from "./conditions.js";
import { isPlainObject } from "./go-format.js";
import type { JsonObject } from "./types.js";

type FieldPath = readonly (string | number)[];
type PositionOf = (path: FieldPath) => { line: number; column: number };

/** The `apiVersion`s Kyverno serves PolicyException under (v2 is the stored one). */
export const POLICY_EXCEPTION_API_VERSIONS: ReadonlySet<string> = new Set(["kyverno.io/v2", "kyverno.io/v2beta1", "kyverno.io/v2alpha1"]);

/** One `spec.exceptions[]` entry: the policy (`name`, or `namespace/name` for a Policy) and its rule names (wildcards allowed). */
export interface ExceptedRules {
  policyName: string;
  ruleNames: readonly string[];
}

/** A Kyverno PolicyException accepted by {@link parsePolicyException}. */
export interface KyvernoPolicyException {
  file: string;
  /** Where the document starts in its file, when known. */
  line?: number;
  column?: number;
  /** `namespace/name` as Kyverno names it in results, or `name` when it has no namespace. */
  key: string;
  name: string;
  namespace: string;
  annotations: Readonly<Record<string, string>>;
  exceptions: readonly ExceptedRules[];
  /** `spec.match` as written: `any` or `all` resource filters. */
  match: JsonObject;
  /** `spec.conditions` (`any`/`all`), evaluated against the admission request. */
  conditions?: unknown;
}

/** True for documents this parser is for: `kind: PolicyException` in the `kyverno.io` group. */
export function isPolicyExceptionDocument(document: unknown): boolean {
  if (!isPlainObject(document)) return false;
  const apiVersion = document["apiVersion"];
  return document["kind"] === "PolicyException" && typeof apiVersion === "string" && apiVersion.split("/")[0] === "kyverno.io";
}

/**
 * Parses and validates a Kyverno PolicyException (kyverno.io/v2, v2beta1 or v2alpha1). A bad one
 * is returned as problems at its lines and no exception, so it excepts nothing: a PolicyException
 * Kyverno would refuse, or one this check cannot judge as Kyverno would (user info, namespace
 * selectors, Pod Security exemptions), never silently widens or narrows what it excepts.
 */
export function parsePolicyException(params: { file: string; document: unknown; positionOf?: PositionOf }): {
  exception?: KyvernoPolicyException;
  problems: Problem[];
} {
  const { file, document, positionOf } = params;
  const problems: Problem[] = [];
  const at = (path: FieldPath): Partial<Problem> => (positionOf ? { file, ...positionOf(path) } : { file });
  const fail = (message: string, path: FieldPath, hint?: string) =>
    problems.push({ code: "policy-exception.invalid", severity: "error", message, ...at(path), ...(hint ? { hint } : {}) });
  if (!isPlainObject(document)) {
    fail("The PolicyException document is not a YAML mapping.", []);
    return { problems };
  }
  const apiVersion = document["apiVersion"];
  if (typeof apiVersion !== "string" || !POLICY_EXCEPTION_API_VERSIONS.has(apiVersion)) {
    fail(
      `PolicyException apiVersion ${String(apiVersion)} is not one Kyverno serves; it excepts nothing.`,
      ["apiVersion"],
      "Use apiVersion: kyverno.io/v2.",
    );
    return { problems };
  }
  const metadata = isPlainObject(document["metadata"]) ? document["metadata"] : {};
  const name = typeof metadata["name"] === "string" ? metadata["name"] : "";
  if (name === "") {
    fail("The PolicyException has no metadata.name; it excepts nothing.", ["metadata"]);
    return { problems };
  }
  const namespace = typeof metadata["namespace"] === "string" ? metadata["namespace"] : "";
  const label = `PolicyException "${name}"`;
  const spec = document["spec"];
  if (!isPlainObject(spec)) {
    fail(`${label} has no spec; it excepts nothing.`, []);
    return { problems };
  }
  const exceptions = parseExceptionList({ spec, label, fail });
  const match = spec["match"];
  if (!isPlainObject(match) || !hasFilters(match)) {
    fail(
      `${label}: spec.match needs a non-empty any or all list of resource filters; as written it matches nothing.`,
      isPlainObject(match) ? ["spec", "match"] : ["spec"],
      "Name the resources, for example match.any[0].resources.kinds and names.",
    );
  } else {
    for (const problem of inspectMatch(match, label)) fail(problem.message, problem.path, problem.hint);
  }
  if (spec["exclude"] !== undefined) {
    fail(
      `${label}: spec.exclude is not a PolicyException field (kyverno.io/v2 has match and conditions only), so Kyverno refuses it.`,
      ["spec", "exclude"],
      "Narrow spec.match instead, or use spec.conditions.",
    );
  }
  if (Array.isArray(spec["podSecurity"]) && spec["podSecurity"].length > 0) {
    fail(
      `${label}: spec.podSecurity exempts Pod Security controls, which gitops-bot does not evaluate; the exception is not honoured.`,
      ["spec", "podSecurity"],
      "Use exceptions[].ruleNames for validate rules.",
    );
  }
  const conditions = spec["conditions"];
  if (conditions !== undefined && conditions !== null) {
    for (const problem of parseConditionsBlock(conditions)) fail(`${label}: ${problem.message}`, ["spec", "conditions", ...problem.path]);
  }
  if (problems.length > 0 || exceptions === undefined || !isPlainObject(match)) return { problems };
  return {
    exception: {
      file,
      ...(positionOf ? positionOf(["kind"]) : {}),
      key: namespace === "" ? name : `${namespace}/${name}`,
      name,
      namespace,
      annotations: stringRecord(metadata["annotations"]),
      exceptions,
      match,
      ...(conditions !== undefined && conditions !== null ? { conditions } : {}),
    },
    problems,
  };
}

function parseExceptionList(params: {
  spec: JsonObject;
  label: string;
  fail: (message: string, path: FieldPath, hint?: string) => void;
}): ExceptedRules[] | undefined {
  const { spec, label, fail } = params;
  const list = spec["exceptions"];
  if (!Array.isArray(list) || list.length === 0) {
    fail(
      `${label}: spec.exceptions must list the policies and rules it excepts.`,
      list === undefined ? ["spec"] : ["spec", "exceptions"],
      "Add exceptions: [{ policyName: <policy>, ruleNames: [<rule>] }].",
    );
    return undefined;
  }
  const out: ExceptedRules[] = [];
  list.forEach((entry, index) => {
    const path: FieldPath = ["spec", "exceptions", index];
    if (!isPlainObject(entry)) return void fail(`${label}: exceptions[${index}] is not a mapping.`, path);
    const policyName = entry["policyName"];
    if (typeof policyName !== "string" || policyName === "") return void fail(`${label}: exceptions[${index}] needs a policyName.`, path);
    const ruleNames = entry["ruleNames"];
    if (!Array.isArray(ruleNames) || ruleNames.length === 0 || !ruleNames.every((r) => typeof r === "string" && r !== "")) {
      return void fail(
        `${label}: exceptions[${index}].ruleNames must be a non-empty list of rule names.`,
        [...path, "ruleNames"],
        "Autogen rules have their own names: list autogen-<rule> (and autogen-cronjob-<rule>) too.",
      );
    }
    out.push({ policyName, ruleNames: ruleNames as string[] });
  });
  return out.length === list.length ? out : undefined;
}

/** `conditions` as Kyverno's AnyAllConditions: `any` and `all` lists of key, operator, value. */
function parseConditionsBlock(conditions: unknown): { message: string; path: FieldPath }[] {
  if (!isPlainObject(conditions)) return [{ message: "spec.conditions must be a mapping with any or all lists.", path: [] }];
  const found: { message: string; path: FieldPath }[] = [];
  for (const list of ["any", "all"] as const) {
    const entries = conditions[list];
    if (entries === undefined || entries === null) continue;
    if (!Array.isArray(entries)) {
      found.push({ message: `conditions.${list} must be a list.`, path: [list] });
      continue;
    }
    entries.forEach((entry, index) => {
      const operator = isPlainObject(entry) ? entry["operator"] : undefined;
      if (typeof operator !== "string" || !isKnownOperator(operator))
        found.push({ message: `the condition operator ${String(operator)} is not a Kyverno operator.`, path: [list, index, "operator"] });
    });
  }
  return found;
}

function hasFilters(match: JsonObject): boolean {
  return (Array.isArray(match["any"]) && match["any"].length > 0) || (Array.isArray(match["all"]) && match["all"].length > 0);
}

/** Filter parts Kyverno decides from facts a repository does not hold (who applies it, namespace labels). */
function inspectMatch(match: JsonObject, label: string): { message: string; path: FieldPath; hint?: string }[] {
  const found: { message: string; path: FieldPath; hint?: string }[] = [];
  for (const list of ["any", "all"] as const) {
    const filters = match[list];
    if (!Array.isArray(filters)) continue;
    filters.forEach((filter, index) => {
      const path: FieldPath = ["spec", "match", list, index];
      if (!isPlainObject(filter)) return void found.push({ message: `${label}: match.${list}[${index}] is not a mapping.`, path });
      for (const key of ["subjects", "roles", "clusterRoles"]) {
        if (Array.isArray(filter[key]) && filter[key].length > 0) {
          found.push({
            message: `${label}: match.${list}[${index}].${key} depends on who applies the resource, which a repository does not say; the exception is not honoured.`,
            path: [...path, key],
            hint: "Match on kinds, names, namespaces, selectors or annotations.",
          });
        }
      }
      const resources = filter["resources"];
      if (!isPlainObject(resources)) return void found.push({ message: `${label}: match.${list}[${index}] has no resources.`, path });
      if (resources["namespaceSelector"] !== undefined && resources["namespaceSelector"] !== null) {
        found.push({
          message: `${label}: match.${list}[${index}].resources.namespaceSelector needs the namespace's labels in the cluster; the exception is not honoured.`,
          path: [...path, "resources", "namespaceSelector"],
          hint: "List the namespaces instead.",
        });
      }
    });
  }
  return found;
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) if (typeof v === "string") out[k] = v;
  return out;
}
