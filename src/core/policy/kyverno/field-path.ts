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

function patternChild(pattern: unknown, key: string): unknown {
  if (!isPlainObject(pattern)) return undefined;
  for (const [k, v] of Object.entries(pattern)) if ((parseAnchor(k)?.key ?? k) === key) return v;
  return undefined;
}

/**
 * Turns Kyverno's failure path (`/spec/containers/0/image/`) into field path segments. Keys may hold
 * '/' (annotation names), which Kyverno does not escape, so the resource and the pattern decide
 * where one key ends.
 */
export function fieldPath(goPath: string, resource: unknown, pattern: unknown): (string | number)[] {
  const segments = goPath.split("/").filter((s) => s !== "");
  const out: (string | number)[] = [];
  let node: unknown = resource;
  let patternNode: unknown = pattern;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] ?? "";
    if (/^[0-9]+$/.test(segment) && (Array.isArray(node) || Array.isArray(patternNode))) {
      out.push(Number(segment));
      node = Array.isArray(node) ? node[Number(segment)] : undefined;
      patternNode = Array.isArray(patternNode) ? patternNode[0] : undefined;
      continue;
    }
    let length = 1;
    // Joining segments back is only worth trying where some key holds a '/' (annotation names):
    // most paths have none, and the joins are quadratic in the path's length.
    if (i + 1 < segments.length && (hasSlashKey(node) || hasSlashKey(patternNode))) {
      const known = patternKeys(patternNode);
      for (let j = segments.length; j > i + 1; j--) {
        const key = segments.slice(i, j).join("/");
        if (known.has(key) || (isPlainObject(node) && Object.hasOwn(node, key))) {
          length = j - i;
          break;
        }
      }
    }
    const key = segments.slice(i, i + length).join("/");
    out.push(key);
    node = isPlainObject(node) ? node[key] : undefined;
    patternNode = patternChild(patternNode, key);
    i += length - 1;
  }
  return out;
}
