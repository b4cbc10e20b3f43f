import { matchWildcard } from "./wildcard.js";

const VERSION = /^(v\d+((alpha|beta)\d+)?|\*)$/;

/** Group, version and kind of a resource, from its apiVersion and kind. */
export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** Splits `apiVersion` into group and version as Kubernetes does (`v1` is the core group). */
export function groupVersionKind(resource: Record<string, unknown>): GroupVersionKind {
  const apiVersion = typeof resource["apiVersion"] === "string" ? resource["apiVersion"] : "";
  const kind = typeof resource["kind"] === "string" ? resource["kind"] : "";
  const slash = apiVersion.indexOf("/");
  if (slash < 0) return { group: "", version: apiVersion, kind };
  return { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1), kind };
}

type KindSelector = [group: string, version: string, kind: string, subresource: string];
const selectors = new Map<string, KindSelector>();

/** Kyverno's ParseKindSelector: `Kind`, `version/Kind`, `group/version/Kind`, with subresources. */
export function parseKindSelector(input: string): KindSelector {
  let selector = selectors.get(input);
  if (!selector) {
    selector = splitKindSelector(input);
    if (selectors.size >= 10_000) selectors.clear();
    selectors.set(input, selector);
  }
  return selector;
}

function splitKindSelector(input: string): KindSelector {
  const slashParts = input.split("/");
  const last = slashParts.pop() ?? "";
  const parts = [...slashParts, ...last.split(".")];
  const [a = "", b = "", c = "", d = ""] = parts;
  switch (parts.length) {
    case 1:
      return ["*", "*", a, ""];
    case 2:
      if (a === "*" && b === "*") return ["*", "*", "*", "*"];
      if (a === "*" && b.toLowerCase() === b) return ["*", "*", a, b];
      if (VERSION.test(a)) return ["*", a, b, ""];
      return ["*", "*", a, b];
    case 3:
      if (VERSION.test(a)) return ["*", a, b, c];
      return [a, b, c, ""];
    case 4:
      return [a, b, c, d];
    default:
      return ["", "", "", ""];
  }
}

/** Kyverno's CheckKind for a resource without subresource. */
export function checkKind(kinds: readonly string[], gvk: GroupVersionKind): boolean {
  return kinds.some((selector) => {
    const [group, version, kind, subresource] = parseKindSelector(selector);
    return (
      matchWildcard(group, gvk.group) &&
      matchWildcard(version, gvk.version) &&
      matchWildcard(kind, gvk.kind) &&
      matchWildcard(subresource, "")
    );
  });
}

/** Kyverno's GetKindFromGVK, keeping only the kind (subresource dropped). */
function kindOfSelector(selector: string): string {
  const parts = selector.split("/");
  const formatSub = (s: string): string => s.replace(".", "/");
  let kind: string;
  switch (parts.length) {
    case 1:
      kind = formatSub(selector);
      break;
    case 2:
      if (parts[0] === "*" && parts[1] === "*") kind = "*/*";
      else if (VERSION.test(parts[0] ?? "")) kind = formatSub(parts[1] ?? "");
      else kind = `${parts[0]}/${parts[1]}`;
      break;
    case 3:
      if (VERSION.test(parts[0] ?? "")) kind = `${parts[1]}/${parts[2]}`;
      else kind = formatSub(parts[2] ?? "");
      break;
    case 4:
      kind = `${parts[2]}/${parts[3]}`;
      break;
    default:
      kind = "";
  }
  const sub = kind.split("/");
  return sub.length === 2 ? (sub[0] ?? "") : kind;
}

/** Kyverno's ContainsKind: does any selector name exactly this kind (no wildcards)? */
export function containsKind(selectors: readonly string[], kind: string): boolean {
  return selectors.some((s) => kindOfSelector(s) === kind);
}
