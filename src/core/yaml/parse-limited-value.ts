import { utf8Length } from "../report/markdown.js";
import { resolveYamlLimits } from "./default-yaml-limits.js";
import { parseYamlDocuments } from "./parse-yaml-documents.js";
import type { YamlLimits } from "./types.js";

/** A value read from text, or why it was refused. */
export type LimitedValue = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * Reads YAML or JSON text that arrives inside a manifest or a policy (JMESPath's `parse_yaml` and
 * `parse_json`) under the same limits as manifest files: size, nesting depth and alias expansion.
 * A string field can hold a whole alias bomb or a deeply nested document, and Kyverno's functions
 * would otherwise build it in full. YAML gives its first document, as Go's `yaml.Unmarshal` does.
 */
export function parseLimitedValue(params: { text: string; format: "yaml" | "json"; limits?: Partial<YamlLimits> }): LimitedValue {
  const limits = resolveYamlLimits(params.limits);
  const { text } = params;
  // Characters are at most three UTF-8 bytes each, and at least one: a cheap bound before counting.
  if (text.length > limits.maxBytes || utf8Length(text) > limits.maxBytes) {
    return { ok: false, reason: `the text is larger than the ${limits.maxBytes}-byte limit for YAML and JSON` };
  }
  if (params.format === "json") {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return { ok: false, reason: (error as Error).message };
    }
    return depthOf(value) > limits.maxDepth
      ? { ok: false, reason: `mappings and sequences are nested more than ${limits.maxDepth} levels deep` }
      : { ok: true, value };
  }
  const parsed = parseYamlDocuments({ file: "", text, limits });
  const first = parsed.problems[0];
  if (first) return { ok: false, reason: first.message };
  const document = parsed.documents[0];
  // JSON's data model: dates, NaN and such become what JSON makes of them, as sigs.k8s.io/yaml does.
  return {
    ok: true,
    value:
      document === undefined || document.value === undefined ? null : (JSON.parse(JSON.stringify(document.value) ?? "null") as unknown),
  };
}

/** Nesting depth of collections, counted without recursion so a deep value cannot exhaust the stack. */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (typeof current !== "object" || current === null) continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    for (const child of Array.isArray(current) ? current : Object.values(current)) stack.push([child, level]);
  }
  return deepest;
}
