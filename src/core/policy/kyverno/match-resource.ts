import { isPlainObject } from "./go-format.js";
import { checkKind } from "./kinds.js";
import type { GroupVersionKind } from "./kinds.js";
import type { JsonObject } from "./types.js";
import { containsWildcard, matchWildcard } from "./wildcard.js";

/** What matching needs to know about the resource and the request. */
export interface MatchSubject {
  resource: JsonObject;
  gvk: GroupVersionKind;
  operation: string;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function metadataOf(resource: JsonObject): JsonObject {
  return isPlainObject(resource["metadata"]) ? resource["metadata"] : {};
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) if (typeof v === "string") out[k] = v;
  return out;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** Kyverno's CheckSelector: a label selector with wildcard keys/values expanded against the labels. */
export function matchesSelector(selector: unknown, labels: Record<string, string>): boolean | "invalid" {
  if (!isPlainObject(selector)) return "invalid";
  const matchLabels = stringMap(selector["matchLabels"]);
  for (const [patternKey, patternValue] of Object.entries(matchLabels)) {
    let key = patternKey;
    let value = patternValue;
    if (containsWildcard(patternKey) || containsWildcard(patternValue)) {
      const found = Object.entries(labels).find(([k, v]) => matchWildcard(patternKey, k) && matchWildcard(patternValue, v));
      // Unmatched wildcards become '0', a legal label character, as Kyverno substitutes them.
      [key, value] = found ?? [patternKey.replace(/[*?]/g, "0"), patternValue.replace(/[*?]/g, "0")];
    }
    if (labels[key] !== value) return false;
  }
  const expressions = Array.isArray(selector["matchExpressions"]) ? selector["matchExpressions"] : [];
  for (const expression of expressions) {
    if (!isPlainObject(expression)) return "invalid";
    const key = text(expression["key"]);
    const values = stringList(expression["values"]);
    const present = Object.hasOwn(labels, key);
    switch (expression["operator"]) {
      case "In":
        if (values.length === 0) return "invalid";
        if (!present || !values.includes(labels[key] ?? "")) return false;
        break;
      case "NotIn":
        if (values.length === 0) return "invalid";
        if (present && values.includes(labels[key] ?? "")) return false;
        break;
      case "Exists":
        if (values.length > 0) return "invalid";
        if (!present) return false;
        break;
      case "DoesNotExist":
        if (values.length > 0) return "invalid";
        if (present) return false;
        break;
      default:
        return "invalid";
    }
  }
  return true;
}

function isEmptyDescription(description: JsonObject): boolean {
  const absent = (key: string): boolean => description[key] === undefined || description[key] === null;
  return (
    stringList(description["kinds"]).length === 0 &&
    text(description["name"]) === "" &&
    stringList(description["names"]).length === 0 &&
    stringList(description["namespaces"]).length === 0 &&
    Object.keys(stringMap(description["annotations"])).length === 0 &&
    absent("selector") &&
    absent("namespaceSelector") &&
    stringList(description["operations"]).length === 0
  );
}

/** Kyverno's doesResourceMatchConditionBlock: true when every given attribute matches. */
export function matchesDescription(description: JsonObject, subject: MatchSubject): boolean {
  const operations = stringList(description["operations"]);
  if (operations.length > 0 && !operations.includes(subject.operation)) return false;
  const kinds = stringList(description["kinds"]);
  if (kinds.length > 0 && !checkKind(kinds, subject.gvk)) return false;
  const metadata = metadataOf(subject.resource);
  const name = text(metadata["name"]) || text(metadata["generateName"]);
  const single = text(description["name"]);
  if (single !== "" && !matchWildcard(single, name)) return false;
  const names = stringList(description["names"]);
  if (names.length > 0 && !names.some((n) => matchWildcard(n, name))) return false;
  const namespaces = stringList(description["namespaces"]);
  if (namespaces.length > 0) {
    const namespace = subject.gvk.kind === "Namespace" ? name : text(metadata["namespace"]);
    if (!namespaces.some((n) => matchWildcard(n, namespace))) return false;
  }
  const annotations = stringMap(description["annotations"]);
  if (Object.keys(annotations).length > 0) {
    const actual = stringMap(metadata["annotations"]);
    const ok = Object.entries(annotations).every(([k, v]) =>
      Object.entries(actual).some(([k1, v1]) => matchWildcard(k, k1) && matchWildcard(v, v1)),
    );
    if (!ok) return false;
  }
  if (description["selector"] !== undefined && description["selector"] !== null) {
    if (matchesSelector(description["selector"], stringMap(metadata["labels"])) !== true) return false;
  }
  return true;
}

function filters(block: JsonObject, list: "any" | "all"): JsonObject[] {
  const value = block[list];
  return Array.isArray(value) ? value.map((f) => (isPlainObject(f) && isPlainObject(f["resources"]) ? f["resources"] : {})) : [];
}

function hasList(block: JsonObject, list: "any" | "all"): boolean {
  return Array.isArray(block[list]) && (block[list] as unknown[]).length > 0;
}

/** A match filter with nothing in it never matches ("match cannot be empty"). */
function matchFilter(description: JsonObject, subject: MatchSubject): boolean {
  if (isEmptyDescription(description)) return false;
  return matchesDescription(description, subject);
}

/** An exclude filter with nothing in it excludes nothing. */
function excludeFilter(description: JsonObject, subject: MatchSubject): boolean {
  if (isEmptyDescription(description)) return false;
  return matchesDescription(description, subject);
}

/**
 * Kyverno's MatchesResourceDescription without user info: the rule's `match` selects the resource
 * (`any`: one filter, `all`: every filter) and its `exclude` does not remove it.
 */
export function matchesRule(rule: JsonObject, subject: MatchSubject): boolean {
  const match = isPlainObject(rule["match"]) ? rule["match"] : {};
  let matched: boolean;
  if (hasList(match, "any")) matched = filters(match, "any").some((d) => matchFilter(d, subject));
  else if (hasList(match, "all")) matched = filters(match, "all").every((d) => matchFilter(d, subject));
  else matched = matchFilter(isPlainObject(match["resources"]) ? match["resources"] : {}, subject);
  if (!matched) return false;
  const exclude = isPlainObject(rule["exclude"]) ? rule["exclude"] : undefined;
  if (!exclude) return true;
  if (hasList(exclude, "any")) return !filters(exclude, "any").some((d) => excludeFilter(d, subject));
  if (hasList(exclude, "all")) return !filters(exclude, "all").every((d) => excludeFilter(d, subject));
  return !excludeFilter(isPlainObject(exclude["resources"]) ? exclude["resources"] : {}, subject);
}

/** Filters left to check per resource, combined as the block's `any` or `all` list combines them. */
interface FilterList {
  mode: "any" | "all";
  filters: JsonObject[];
}

/**
 * A rule's `match` and `exclude` with everything the resource's group, version and kind decide
 * already decided: what is left are the filters that also name names, namespaces, labels,
 * annotations or operations. Undefined parts always match (for `match`) or never exclude.
 */
export interface KindMatchPlan {
  match?: FilterList;
  exclude?: FilterList;
}

type Decided = boolean | FilterList;

/**
 * Plans {@link matchesRule} for resources of one group, version and kind. Returns null when no
 * resource of that kind can match the rule, so the rule is never looked at for it again.
 */
export function planMatchForKind(rule: JsonObject, gvk: GroupVersionKind): KindMatchPlan | null {
  const match = isPlainObject(rule["match"]) ? rule["match"] : {};
  const matched = decideBlock(match, gvk);
  if (matched === false) return null;
  const plan: KindMatchPlan = {};
  if (matched !== true) plan.match = matched;
  const exclude = isPlainObject(rule["exclude"]) ? rule["exclude"] : undefined;
  if (exclude) {
    const excluded = decideBlock(exclude, gvk);
    if (excluded === true) return null;
    if (excluded !== false) plan.exclude = excluded;
  }
  return plan;
}

/** {@link matchesRule} for a resource of the kind the plan was made for. */
export function matchesPlan(plan: KindMatchPlan, subject: MatchSubject): boolean {
  if (plan.match && !matchesList(plan.match, subject)) return false;
  return !(plan.exclude && matchesList(plan.exclude, subject));
}

function matchesList(list: FilterList, subject: MatchSubject): boolean {
  return list.mode === "any"
    ? list.filters.some((d) => matchesDescription(d, subject))
    : list.filters.every((d) => matchesDescription(d, subject));
}

// The same any / all / resources precedence as matchesRule; match and exclude filters agree on
// what an empty filter means (it never matches), so one decision serves both blocks.
function decideBlock(block: JsonObject, gvk: GroupVersionKind): Decided {
  if (hasList(block, "any")) return decideList("any", filters(block, "any"), gvk);
  if (hasList(block, "all")) return decideList("all", filters(block, "all"), gvk);
  return decideList("any", [isPlainObject(block["resources"]) ? block["resources"] : {}], gvk);
}

function decideList(mode: "any" | "all", descriptions: JsonObject[], gvk: GroupVersionKind): Decided {
  const open: JsonObject[] = [];
  for (const description of descriptions) {
    const decided = decideFilter(description, gvk);
    if (decided === undefined) open.push(description);
    // One filter that surely matches decides `any`; one that surely does not decides `all`.
    else if (decided === (mode === "any")) return decided;
  }
  if (open.length === 0) return mode === "all";
  return { mode, filters: open };
}

/** Whether a filter matches every resource of the kind (true), none (false), or depends on it. */
function decideFilter(description: JsonObject, gvk: GroupVersionKind): boolean | undefined {
  if (isEmptyDescription(description)) return false;
  const kinds = stringList(description["kinds"]);
  if (kinds.length > 0 && !checkKind(kinds, gvk)) return false;
  const dependsOnResource =
    stringList(description["operations"]).length > 0 ||
    text(description["name"]) !== "" ||
    stringList(description["names"]).length > 0 ||
    stringList(description["namespaces"]).length > 0 ||
    Object.keys(stringMap(description["annotations"])).length > 0 ||
    (description["selector"] !== undefined && description["selector"] !== null);
  return dependsOnResource ? undefined : true;
}
