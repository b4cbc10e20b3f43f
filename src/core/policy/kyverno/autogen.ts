import { own } from "../../own.js";
import { isPlainObject } from "./go-format.js";
import { containsKind } from "./kinds.js";
import type { JsonObject, KyvernoPolicy } from "./types.js";

/** The annotation that picks which controllers get generated rules, or `none`. */
export const AUTOGEN_ANNOTATION = "pod-policies.kyverno.io/autogen-controllers";

/** The rule an author wrote, for an engine rule name: `autogen-x` and `autogen-cronjob-x` are shown, and approved, as `x`. */
export function authoredRuleName(rule: string): string {
  return rule.startsWith("autogen-") ? rule.replace(/^autogen-(cronjob-)?/, "") : rule;
}

const POD_CONTROLLERS = ["DaemonSet", "Deployment", "Job", "StatefulSet", "ReplicaSet", "ReplicationController", "CronJob"];
const POD_AND_CONTROLLERS = new Set([...POD_CONTROLLERS, "Pod"]);
const GVK: Record<string, string> = {
  DaemonSet: "apps/v1/DaemonSet",
  Deployment: "apps/v1/Deployment",
  Job: "batch/v1/Job",
  StatefulSet: "apps/v1/StatefulSet",
  ReplicaSet: "apps/v1/ReplicaSet",
  ReplicationController: "v1/ReplicationController",
  CronJob: "batch/v1/CronJob",
  Pod: "v1/Pod",
};

const POD_REPLACEMENTS: [string, string][] = [
  ["request.object.spec", "request.object.spec.template.spec"],
  ["request.oldObject.spec", "request.oldObject.spec.template.spec"],
  ["request.object.metadata", "request.object.spec.template.metadata"],
  ["request.oldObject.metadata", "request.oldObject.spec.template.metadata"],
];
const CRONJOB_REPLACEMENTS: [string, string][] = [
  ["request.object.spec", "request.object.spec.jobTemplate.spec.template.spec"],
  ["request.oldObject.spec", "request.oldObject.spec.jobTemplate.spec.template.spec"],
  ["request.object.metadata", "request.object.spec.jobTemplate.spec.template.metadata"],
  ["request.oldObject.metadata", "request.oldObject.spec.jobTemplate.spec.template.metadata"],
];

function asObject(value: unknown): JsonObject | undefined {
  return isPlainObject(value) ? value : undefined;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function stringList(value: unknown): string[] {
  return asArray(value).filter((v): v is string => typeof v === "string");
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Every resource description of a match or exclude block: top-level, `any[]` and `all[]`. */
function descriptions(block: JsonObject | undefined): JsonObject[] {
  if (!block) return [];
  const out: JsonObject[] = [];
  const top = asObject(block["resources"]);
  if (top) out.push(top);
  for (const list of [block["any"], block["all"]]) {
    for (const filter of asArray(list)) {
      const resources = asObject(asObject(filter)?.["resources"]);
      if (resources) out.push(resources);
    }
  }
  return out;
}

function blockKinds(block: JsonObject | undefined): string[] {
  return descriptions(block).flatMap((d) => stringList(d["kinds"]));
}

/** Kyverno's checkAutogenSupport for one resource description. */
function supportsAutogen(description: JsonObject): boolean {
  const kinds = stringList(description["kinds"]);
  const name = description["name"];
  if (typeof name === "string" && name !== "") return false;
  if (stringList(description["names"]).length > 0) return false;
  if (description["selector"] !== undefined && description["selector"] !== null) return false;
  if (description["annotations"] !== undefined && description["annotations"] !== null) return false;
  if (kinds.length > 1 && containsKind(kinds, "Pod")) return false;
  return true;
}

/** Kyverno's CanAutoGen: whether the whole policy may get rules for pod controllers. */
function canAutogen(rules: readonly JsonObject[]): boolean {
  let needed = false;
  for (const rule of rules) {
    if (rule["generate"] !== undefined) return false;
    const mutate = asObject(rule["mutate"]);
    if (mutate) {
      if (typeof mutate["patchesJson6902"] === "string" && mutate["patchesJson6902"] !== "") return false;
      for (const foreach of asArray(mutate["foreach"])) {
        const patch = asObject(foreach)?.["patchesJson6902"];
        if (typeof patch === "string" && patch !== "") return false;
      }
    }
    const blocks = [asObject(rule["match"]), asObject(rule["exclude"])];
    for (const block of blocks) {
      for (const description of descriptions(block)) {
        if (!supportsAutogen(description)) return false;
        if (stringList(description["kinds"]).some((k) => POD_AND_CONTROLLERS.has(k))) needed = true;
      }
    }
  }
  return needed;
}

function toGvk(kinds: string[]): string[] {
  return kinds.map((k) => own(GVK, k) ?? k);
}

function truncateName(name: string): string {
  return name.length > 63 ? name.slice(0, 63) : name;
}

type FilterRewrite = (filters: unknown[], kinds: string[]) => unknown[];

const rewritePodFilters: FilterRewrite = (filters, kinds) =>
  filters.map((filter) => {
    const copy = clone(asObject(filter) ?? {});
    const resources = asObject(copy["resources"]);
    if (resources && containsKind(stringList(resources["kinds"]), "Pod")) resources["kinds"] = toGvk(kinds);
    return copy;
  });

const rewriteCronJobFilters: FilterRewrite = (filters, kinds) =>
  filters.map((filter) => {
    const copy = clone(asObject(filter) ?? {});
    const resources = asObject(copy["resources"]) ?? {};
    resources["kinds"] = toGvk(kinds);
    copy["resources"] = resources;
    return copy;
  });

function rewriteBlock(block: JsonObject, kinds: string[], rewrite: FilterRewrite, isExclude: boolean): void {
  if (asArray(block["any"]).length > 0) block["any"] = rewrite(asArray(block["any"]), kinds);
  else if (asArray(block["all"]).length > 0) block["all"] = rewrite(asArray(block["all"]), kinds);
  else {
    const resources = asObject(block["resources"]) ?? {};
    if (!isExclude || stringList(resources["kinds"]).length > 0) {
      resources["kinds"] = toGvk(kinds);
      block["resources"] = resources;
    }
  }
}

/** Kyverno's generateRule: retargets match/exclude kinds and nests the validation under `tplKey`. */
function generateRule(
  name: string,
  source: JsonObject | undefined,
  tplKey: string,
  kinds: string[],
  rewrite: FilterRewrite,
): JsonObject | undefined {
  if (!source) return undefined;
  const rule = clone(source);
  rule["name"] = name;
  const match = asObject(rule["match"]) ?? {};
  rule["match"] = match;
  rewriteBlock(match, kinds, rewrite, false);
  const exclude = asObject(rule["exclude"]);
  if (exclude) rewriteBlock(exclude, kinds, rewrite, true);
  const validate = asObject(rule["validate"]);
  if (!validate) return undefined;
  const kept: JsonObject = {};
  for (const key of ["message", "failureAction", "failureActionOverrides", "allowExistingViolations"]) {
    if (validate[key] !== undefined) kept[key] = validate[key];
  }
  if (validate["pattern"] !== undefined && validate["pattern"] !== null) {
    rule["validate"] = { ...kept, pattern: { spec: { [tplKey]: validate["pattern"] } } };
    return rule;
  }
  if (validate["deny"] !== undefined && validate["deny"] !== null) {
    rule["validate"] = { ...kept, deny: validate["deny"] };
    return rule;
  }
  if (validate["podSecurity"] !== undefined && validate["podSecurity"] !== null) {
    rule["validate"] = { ...kept, podSecurity: validate["podSecurity"] };
    return rule;
  }
  if (validate["anyPattern"] !== undefined && validate["anyPattern"] !== null) {
    rule["validate"] = { ...kept, anyPattern: asArray(validate["anyPattern"]).map((p) => ({ spec: { [tplKey]: p } })) };
    return rule;
  }
  if (asArray(validate["foreach"]).length > 0) {
    rule["validate"] = { ...kept, foreach: validate["foreach"] };
    return rule;
  }
  if (validate["cel"] !== undefined && validate["cel"] !== null) return rule;
  return undefined;
}

function splitKinds(controllers: string): string[] {
  return controllers.split(",").sort();
}

function generateForControllers(rule: JsonObject, controllers: string): JsonObject | undefined {
  const name = String(rule["name"] ?? "");
  if (name.startsWith("autogen-") || controllers === "") return undefined;
  const matchKinds = blockKinds(asObject(rule["match"]));
  const exclude = asObject(rule["exclude"]);
  const excludeKinds = exclude ? blockKinds(exclude) : [];
  if (!containsKind(matchKinds, "Pod") || (excludeKinds.length > 0 && !containsKind(excludeKinds, "Pod"))) return undefined;
  let selected = controllers;
  if (controllers === "all") selected = "DaemonSet,Deployment,Job,StatefulSet,ReplicaSet,ReplicationController";
  else if (controllers !== "none") {
    const valid = splitKinds(controllers).filter((k) => POD_CONTROLLERS.includes(k) && k !== "CronJob");
    if (valid.length > 0) selected = valid.join(",");
  }
  return generateRule(truncateName(`autogen-${name}`), rule, "template", splitKinds(selected), rewritePodFilters);
}

function generateForCronJob(rule: JsonObject, controllers: string): JsonObject | undefined {
  if (!controllers.includes("CronJob") && !controllers.includes("all")) return undefined;
  const name = String(rule["name"] ?? "");
  return generateRule(
    truncateName(`autogen-cronjob-${name}`),
    generateForControllers(rule, controllers),
    "jobTemplate",
    ["CronJob"],
    rewriteCronJobFilters,
  );
}

/** Kyverno rewrites variables by plain text replacement over the rule's JSON. */
function rewriteVariables(rule: JsonObject, replacements: [string, string][]): JsonObject {
  let text = JSON.stringify(rule);
  for (const [from, to] of replacements) text = text.split(from).join(to);
  return JSON.parse(text) as JsonObject;
}

function stripCronJob(controllers: string): string {
  return splitKinds(controllers)
    .filter((k) => k !== "CronJob")
    .join(",");
}

/** A rule after autogen, with the name of the policy rule it comes from. */
export interface ComputedRule {
  rule: JsonObject;
  name: string;
  sourceName: string;
}

/**
 * The rules Kyverno evaluates for a resource of `kind` (autogen.ComputeRules): the policy's rules,
 * plus `autogen-<rule>` for Deployment-like controllers and `autogen-cronjob-<rule>` for CronJobs
 * when a rule matches Pods, honouring the autogen-controllers annotation.
 */
export function computeRules(policy: KyvernoPolicy, kind: string): ComputedRule[] {
  const original = policy.rules.map((rule) => ({ rule, name: String(rule["name"] ?? ""), sourceName: String(rule["name"] ?? "") }));
  const apply = canAutogen(policy.rules);
  const annotation = policy.annotations[AUTOGEN_ANNOTATION];
  const controllers = !apply ? new Set(["none"]) : annotation === undefined ? new Set(POD_CONTROLLERS) : new Set(annotation.split(","));
  if (!controllers.has(kind) || kind === "none") return original;
  const generated: ComputedRule[] = [];
  for (const rule of policy.rules) {
    const sourceName = String(rule["name"] ?? "");
    const podRule = generateForControllers(rule, stripCronJob(kind));
    if (podRule) generated.push({ rule: rewriteVariables(podRule, POD_REPLACEMENTS), name: String(podRule["name"]), sourceName });
    const cronRule = generateForCronJob(rule, kind);
    if (cronRule) generated.push({ rule: rewriteVariables(cronRule, CRONJOB_REPLACEMENTS), name: String(cronRule["name"]), sourceName });
  }
  if (generated.length === 0) return original;
  return [...original.filter((r) => !r.name.startsWith("autogen-")), ...generated];
}
