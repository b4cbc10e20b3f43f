import { parseAnchor } from "./anchor.js";
import { isPlainObject } from "./go-format.js";

function patternKeys(pattern: unknown): Set<string> {
  const keys = new Set<string>();
  if (isPlainObject(pattern)) for (const key of Object.keys(pattern)) keys.add(parseAnchor(key)?.key ?? key);
  return keys;
}

function hasSlashKey(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  for (const key in value) if (key.includes("/")) return true;
  return false;
}

// Pattern maps belong to compiled policies and are asked again for every failure they report.
const patternSlashKeys = new WeakMap<object, boolean>();

function patternHasSlashKey(pattern: unknown): boolean {
  if (!isPlainObject(pattern)) return false;
  let known = patternSlashKeys.get(pattern);
  if (known === undefined) patternSlashKeys.set(pattern, (known = hasSlashKey(pattern)));
  return known;
}

function patternChild(pattern: unknown, key: string): unknown {
  if (!isPlainObject(pattern)) return undefined;
  for (const k in pattern) if (Object.hasOwn(pattern, k) && (parseAnchor(k)?.key ?? k) === key) return pattern[k];
  return undefined;
}

function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/** The path's segments between '/', empty ones left out, in one pass (every failure is split). */
function pathSegments(goPath: string): string[] {
  const segments: string[] = [];
  let start = 0;
  while (start <= goPath.length) {
    let end = goPath.indexOf("/", start);
    if (end === -1) end = goPath.length;
    if (end > start) segments.push(goPath.slice(start, end));
    start = end + 1;
  }
  return segments;
}

/**
 * Turns Kyverno's failure path (`/spec/containers/0/image/`) into field path segments. Keys may hold
 * '/' (annotation names), which Kyverno does not escape, so the resource and the pattern decide
 * where one key ends.
 */
export function fieldPath(goPath: string, resource: unknown, pattern: unknown): (string | number)[] {
  const segments = pathSegments(goPath);
  const out: (string | number)[] = [];
  let node: unknown = resource;
  let patternNode: unknown = pattern;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] ?? "";
    if (isDigits(segment) && (Array.isArray(node) || Array.isArray(patternNode))) {
      const index = Number(segment);
      out.push(index);
      node = Array.isArray(node) ? node[index] : undefined;
      patternNode = Array.isArray(patternNode) ? patternNode[0] : undefined;
      continue;
    }
    let length = 1;
    // Joining segments back is only worth trying where some key holds a '/' (annotation names):
    // most paths have none, and the joins are quadratic in the path's length.
    if (i + 1 < segments.length && (hasSlashKey(node) || patternHasSlashKey(patternNode))) {
      const known = patternKeys(patternNode);
      for (let j = segments.length; j > i + 1; j--) {
        const key = segments.slice(i, j).join("/");
        if (known.has(key) || (isPlainObject(node) && Object.hasOwn(node, key))) {
          length = j - i;
          break;
        }
      }
    }
    const key = length === 1 ? segment : segments.slice(i, i + length).join("/");
    out.push(key);
    node = isPlainObject(node) ? node[key] : undefined;
    patternNode = patternChild(patternNode, key);
    i += length - 1;
  }
  return out;
}
