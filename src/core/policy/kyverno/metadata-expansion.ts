import { anchorText, parseAnchor } from "./anchor.js";
import { isPlainObject } from "./go-format.js";
import { containsWildcard, matchWildcard } from "./wildcard.js";

function patternEntry(pattern: Record<string, unknown>, tag: string): [string, unknown] | undefined {
  for (const [key, value] of Object.entries(pattern)) {
    if (key === tag || parseAnchor(key)?.key === tag) return [key, value];
  }
  return undefined;
}

/**
 * Kyverno's wildcards.ExpandInMetadata: wildcard keys under metadata.labels/annotations in the
 * pattern are replaced by the first matching key of the resource. Non-string pattern values there
 * are dropped, as Kyverno's string map conversion drops them. The pattern's metadata map is
 * rewritten in place, as Kyverno does: a walk that does this passes a copy (copyPattern).
 */
export function expandInMetadata(pattern: Record<string, unknown>, metadataKey: string, resource: Record<string, unknown>): void {
  const patternMetadata = pattern[metadataKey];
  const writes = metadataWrites(patternMetadata, resource);
  if (writes && isPlainObject(patternMetadata)) for (const [key, map] of writes) patternMetadata[key] = map;
}

/**
 * What {@link expandInMetadata} writes into a pattern's metadata map for this resource: per tag
 * (`labels`, `annotations`), its key in the pattern and its expanded map; undefined for nothing.
 */
export function metadataWrites(
  patternMetadata: unknown,
  resource: Record<string, unknown>,
): [string, Record<string, unknown>][] | undefined {
  const resourceMetadata = resource["metadata"];
  if (resourceMetadata === undefined || resourceMetadata === null || !isPlainObject(patternMetadata)) return undefined;
  let writes: [string, Record<string, unknown>][] | undefined;
  for (const tag of ["labels", "annotations"]) {
    const expanded = expandTag(tag, patternMetadata, resourceMetadata);
    // Writing back an identical map would change nothing but the object identity.
    if (expanded && !sameEntries(patternMetadata[expanded[0]], expanded[1])) (writes ??= []).push(expanded);
  }
  return writes;
}

/** A pattern metadata map's labels and annotations as written, read once for {@link mayWrite}. */
export interface CompiledExpansion {
  tags: { tag: string; wildcards: string[]; exact: boolean }[];
}

/** Reads the labels and annotations of a pattern metadata map that {@link mayExpand} accepted. */
export function compileExpansion(patternMetadata: Record<string, unknown>): CompiledExpansion {
  const tags: CompiledExpansion["tags"] = [];
  for (const tag of ["labels", "annotations"]) {
    const entry = patternEntry(patternMetadata, tag);
    if (!entry || !isPlainObject(entry[1])) continue;
    const wildcards: string[] = [];
    // Exact: the expansion rewrites nothing unless a resource key matches a wildcard key.
    let exact = true;
    for (const [key, value] of Object.entries(entry[1])) {
      if (typeof value !== "string" || key === "__proto__") exact = false;
      if (!containsWildcard(key)) continue;
      const anchor = parseAnchor(key);
      const bare = anchor ? anchor.key : key;
      if ((anchor ? anchorText(anchor.type, bare) : bare) !== key) exact = false;
      wildcards.push(bare);
    }
    tags.push({ tag, wildcards, exact });
  }
  return { tags };
}

/**
 * False when {@link metadataWrites} surely writes nothing into the pattern metadata map as written
 * for this resource: no resource label or annotation matches a wildcard key but the key itself.
 * Allocates nothing: most resources have no key the wildcards would pick.
 */
export function mayWrite(compiled: CompiledExpansion, resource: Record<string, unknown>): boolean {
  const resourceMetadata = resource["metadata"];
  if (!isPlainObject(resourceMetadata)) return false;
  for (const { tag, wildcards, exact } of compiled.tags) {
    const resourceMap = ownEntry(resourceMetadata, tag);
    if (!isPlainObject(resourceMap)) continue;
    if (!exact) return true;
    for (const bare of wildcards) {
      const found = firstStringKey(resourceMap, bare);
      if (found !== undefined && found !== bare) return true;
    }
  }
  return false;
}

function ownEntry(map: Record<string, unknown>, tag: string): unknown {
  for (const key in map) {
    if (!Object.hasOwn(map, key)) continue;
    if (key === tag || (key.includes("(") && parseAnchor(key)?.key === tag)) return map[key];
  }
  return undefined;
}

function firstStringKey(map: Record<string, unknown>, wildcard: string): string | undefined {
  for (const key in map) {
    if (Object.hasOwn(map, key) && typeof map[key] === "string" && matchWildcard(wildcard, key)) return key;
  }
  return undefined;
}

/**
 * Whether {@link expandInMetadata} can write anything into this pattern metadata: only where the
 * labels or annotations it reads hold a wildcard key or a value that is not a string (dropped), or
 * a key an object literal cannot hold as its own.
 */
export function mayExpand(patternMetadata: unknown): boolean {
  if (!isPlainObject(patternMetadata)) return false;
  return ["labels", "annotations"].some((tag) => {
    const entry = patternEntry(patternMetadata, tag);
    if (!entry || !isPlainObject(entry[1])) return false;
    return Object.entries(entry[1]).some(([key, value]) => containsWildcard(key) || typeof value !== "string" || key === "__proto__");
  });
}

function sameEntries(before: unknown, after: Record<string, unknown>): boolean {
  if (!isPlainObject(before)) return false;
  const keys = Object.keys(before);
  return keys.length === Object.keys(after).length && keys.every((k) => Object.hasOwn(after, k) && after[k] === before[k]);
}

function stringEntries(tag: string, data: unknown): [string, Record<string, string>] | undefined {
  if (!isPlainObject(data)) return undefined;
  const entry = patternEntry(data, tag);
  if (!entry || entry[1] === null || entry[1] === undefined || !isPlainObject(entry[1])) return undefined;
  const result: Record<string, string> = {};
  for (const [k, v] of Object.entries(entry[1])) if (typeof v === "string") result[k] = v;
  return [entry[0], result];
}

function expandTag(tag: string, patternMetadata: unknown, resourceMetadata: unknown): [string, Record<string, unknown>] | undefined {
  const patternData = stringEntries(tag, patternMetadata);
  if (!patternData) return undefined;
  const resourceData = stringEntries(tag, resourceMetadata);
  if (!resourceData) return undefined;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patternData[1])) {
    if (!containsWildcard(key)) {
      result[key] = value;
      continue;
    }
    const anchor = parseAnchor(key);
    const bare = anchor ? anchor.key : key;
    const found = Object.keys(resourceData[1]).find((candidate) => matchWildcard(bare, candidate)) ?? bare;
    result[anchor ? anchorText(anchor.type, found) : found] = value;
  }
  return [patternData[0], result];
}
