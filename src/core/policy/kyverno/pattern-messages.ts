import type { CompiledRule, CompiledValidation } from "./compile-rule.js";
import { failedAtPathMessage } from "./failure-message.js";
import type { PatternResult } from "./match-pattern.js";
import type { Evaluation, Verdict } from "./validate-rule.js";
import { substituteVariables } from "./variables.js";

/**
 * Kyverno's messages for pattern and anyPattern verdicts. A rule fails the same way on resource
 * after resource (the same path, the same alternatives): where its message holds no variable, the
 * whole text is made once per path (or per set of alternatives) and shared, so a failure writes
 * nothing and whoever reads it later compares one string object with itself.
 */

/** A rule's message with its `{{ }}` variables substituted for this evaluation. */
export function substituteMessage(message: string, evaluation: Evaluation): string {
  const value = substituteVariables(message, evaluation.resolve, { isDelete: evaluation.operation === "DELETE" });
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Texts kept per path, at most: paths are input (list indexes), so the table is emptied when full. */
const MAX_KEPT = 1_000;

/** What a rule whose message is constant keeps: its texts by path, and its last anyPattern failure. */
interface KeptTexts {
  /** `validation error: <message>. rule <name> failed at path ` */
  failedAt: string;
  byPath: Map<string, string>;
  /** The last failure's path and message. */
  lastPath: string;
  lastFailure: string;
  /** The anyPattern alternatives' texts of the last failure, and its message. */
  lastParts: string[];
  lastMessage: string;
}

const kept = new WeakMap<CompiledValidation, KeptTexts | null>();

/** A message without `{{` or `$(` substitutes to itself (variables.ts, a constant plan): it is worked out once. */
function keptTexts(rule: CompiledRule, validation: CompiledValidation): KeptTexts | null {
  let texts = kept.get(validation);
  if (texts === undefined) {
    const message = validation.message;
    if (message.includes("{{") || message.includes("$(")) texts = null;
    else {
      const constant = message === "" ? "" : substituteVariables(message, () => null, {});
      let text = typeof constant === "string" ? constant : JSON.stringify(constant);
      if (text !== "" && !text.endsWith(".")) text += ".";
      const failedAt =
        text === "" ? `validation error: rule ${rule.name} failed at path ` : `validation error: ${text} rule ${rule.name} failed at path `;
      texts = { failedAt, byPath: new Map(), lastPath: "", lastFailure: "", lastParts: [], lastMessage: "" };
    }
    kept.set(validation, texts);
  }
  return texts;
}

/** The message of a pattern failure: at its path, or with its own message where it has none. */
export function patternErrorMessage(
  rule: CompiledRule,
  validation: CompiledValidation,
  evaluation: Evaluation,
  failure: { readonly message: string; readonly path: string; readonly segments?: readonly (string | number)[] },
): string {
  // A failure at a path is told by its path: its own message (written when read) only otherwise.
  const path = failure.path;
  const texts = path === "" ? null : keptTexts(rule, validation);
  if (texts) {
    // Most failures of a rule repeat its last path, the same text object: one comparison finds it.
    if (texts.lastPath === path) return texts.lastFailure;
    let message = texts.byPath.get(path);
    if (message === undefined) {
      message = texts.failedAt + path;
      if (texts.byPath.size >= MAX_KEPT) texts.byPath.clear();
      texts.byPath.set(path, message);
    }
    texts.lastPath = path;
    texts.lastFailure = message;
    return message;
  }
  if (validation.message === "") {
    return path !== ""
      ? `validation error: rule ${rule.name} failed at path ${path}`
      : `validation error: rule ${rule.name} execution error: ${failure.message}`;
  }
  let message: string;
  try {
    message = substituteMessage(validation.message, evaluation);
  } catch {
    return `validation error: variables substitution error in rule ${rule.name} execution error: ${failure.message}`;
  }
  // With variables, the substituted message decides: its latest texts are kept per rule (failure-message.ts).
  if (path !== "" && failure.segments) return failedAtPathMessage({ rule, message, segments: failure.segments, path });
  if (!message.endsWith(".")) message += ".";
  return path !== ""
    ? `validation error: ${message} rule ${rule.name} failed at path ${path}`
    : `validation error: ${message} rule ${rule.name} execution error: ${failure.message}`;
}

function anyPatternErrorMessage(rule: CompiledRule, validation: CompiledValidation, evaluation: Evaluation, errors: string[]): string {
  const texts = keptTexts(rule, validation);
  if (texts && sameTexts(texts.lastParts, errors)) return texts.lastMessage;
  const joined = errors.join(" ");
  let message: string;
  if (validation.message === "") message = `validation error: ${joined}`;
  else {
    let text: string;
    try {
      text = substituteMessage(validation.message, evaluation);
    } catch {
      return `validation error: variables substitution error in rule ${rule.name} execution error: ${joined}`;
    }
    message = text.endsWith(".") ? `validation error: ${text} ${joined}` : `validation error: ${text}. ${joined}`;
  }
  if (texts) {
    texts.lastParts = errors;
    texts.lastMessage = message;
  }
  return message;
}

function sameTexts(first: readonly string[], second: readonly string[]): boolean {
  if (first.length !== second.length) return false;
  for (let index = 0; index < first.length; index++) if (first[index] !== second[index]) return false;
  return true;
}

/** The texts of one rule's anyPattern alternatives, by index: `rule <name>[<index>] failed at path `. */
const alternativeTexts = new WeakMap<CompiledRule, { failedAt: string[]; byPath: Map<string, string>[] }>();

/** `rule <name>[<index>] failed at path <path>`, kept per alternative and path. */
function failedAtPath(rule: CompiledRule, index: number, path: string): string {
  let texts = alternativeTexts.get(rule);
  if (!texts) alternativeTexts.set(rule, (texts = { failedAt: [], byPath: [] }));
  const byPath = (texts.byPath[index] ??= new Map());
  let text = byPath.get(path);
  if (text === undefined) {
    text = `${(texts.failedAt[index] ??= `rule ${rule.name}[${index}] failed at path `)}${path}`;
    if (byPath.size >= MAX_KEPT) byPath.clear();
    byPath.set(path, text);
  }
  return text;
}

/** The pass verdict of each anyPattern alternative, made once per rule and shared (frozen, as a rule's pass verdict is). */
const alternativePasses = new WeakMap<CompiledRule, Verdict[]>();
const NO_PATHS = Object.freeze([]) as unknown as Verdict["paths"];

/** The verdict when anyPattern alternative `index` passes. */
export function anyPatternPass(rule: CompiledRule, index: number): Verdict {
  let passes = alternativePasses.get(rule);
  if (!passes) alternativePasses.set(rule, (passes = []));
  return (passes[index] ??= Object.freeze({
    status: "pass",
    message: `validation rule '${rule.name}' anyPattern[${index}] passed.`,
    paths: NO_PATHS,
  }));
}

/** The verdict when no anyPattern alternative passed: `results` holds each alternative's, in order. */
export function anyPatternVerdict(
  rule: CompiledRule,
  validation: CompiledValidation,
  evaluation: Evaluation,
  results: readonly Exclude<PatternResult, { status: "pass" }>[],
): Verdict {
  const skipped: string[] = [];
  const failed: string[] = [];
  const paths: Verdict["paths"] = [];
  for (let index = 0; index < results.length; index++) {
    const result = results[index] as Exclude<PatternResult, { status: "pass" }>;
    if (result.status === "skip") skipped.push(`rule ${rule.name}[${index}] skipped: ${result.message}`);
    else if (result.status === "fail" && result.path !== "") {
      failed.push(failedAtPath(rule, index, result.path));
      paths.push(result.segments);
    } else failed.push(`rule ${rule.name}[${index}] failed: ${result.message}`);
  }
  if (skipped.length > 0 && failed.length === 0) return { status: "skip", message: skipped.join(" "), paths: [] };
  if (failed.length > 0) return { status: "fail", message: anyPatternErrorMessage(rule, validation, evaluation, failed), paths };
  return { status: "pass", message: validation.message, paths: [] };
}
