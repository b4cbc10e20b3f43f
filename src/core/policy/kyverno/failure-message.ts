import type { CompiledRule } from "./compile-rule.js";

/**
 * Kyverno's message for a pattern that failed at a path: `validation error: <message>. rule <name>
 * failed at path <path>`. A rule's failures mostly repeat one text (a policy's message seldom
 * holds a variable, and a rule fails at one of a few paths): that text is made once and shared, so
 * a reader of thousands of outcomes (their findings) finds it equal by reference, where a fresh
 * copy per failure would be compared, and flattened, character by character.
 */
export function failedAtPathMessage(params: {
  rule: CompiledRule;
  /** The rule's message, substituted. */
  message: string;
  /** Where the pattern failed, and the same as Kyverno's `/a/b/` text. */
  segments: readonly (string | number)[];
  path: string;
}): string {
  const { rule, message, segments } = params;
  let shared = SHARED.get(rule);
  for (const entry of shared ?? []) if (entry.message === message && sameSegments(entry.segments, segments)) return entry.text;
  const text = `validation error: ${message.endsWith(".") ? message : `${message}.`} rule ${rule.name} failed at path ${params.path}`;
  // Messages with variables, and paths, hold resource values: long ones are not kept.
  if (text.length > MAX_KEPT_TEXT) return text;
  if (!shared) SHARED.set(rule, (shared = []));
  const entry = { message, segments: [...segments], text };
  // A rule keeps its few latest texts: a resource's endless distinct paths or messages replace them in turn.
  if (shared.length < MAX_TEXTS_PER_RULE) shared.push(entry);
  else shared[rotation++ % MAX_TEXTS_PER_RULE] = entry;
  return text;
}

interface SharedText {
  message: string;
  segments: readonly (string | number)[];
  text: string;
}

const SHARED = new WeakMap<CompiledRule, SharedText[]>();
const MAX_TEXTS_PER_RULE = 8;
const MAX_KEPT_TEXT = 1_000;
let rotation = 0;

/** Whether two paths are written out alike: `===` per segment (an index and the key of its digits differ, and are not shared). */
function sameSegments(a: readonly (string | number)[], b: readonly (string | number)[]): boolean {
  if (a.length !== b.length) return false;
  for (let at = 0; at < a.length; at++) if (a[at] !== b[at]) return false;
  return true;
}

/** How many texts a rule keeps (for tests of the bound). */
export function sharedTextCount(rule: CompiledRule): number {
  return SHARED.get(rule)?.length ?? 0;
}
