import { formatPath } from "../problems.js";
import type { FieldPath } from "../yaml/types.js";
import type { RuleOutcome } from "./kyverno/evaluate-policy.js";
import type { Identity } from "./result-log.js";
import type { Finding, Manifest } from "./types.js";

/** What {@link recordFindings} is given for one outcome. */
interface RecordParams {
  manifest: Manifest;
  identity: Identity;
  outcome: RuleOutcome;
  fallback: ReadonlyMap<string, FieldPath> | undefined;
  findings: Finding[];
}

/** Records a rule outcome on one manifest that did not pass: the failing ones (and what an exception excepts) as findings. */
export function recordFindings(params: RecordParams): void {
  const { outcome, findings } = params;
  const excepted = outcome.excepted;
  if (excepted && (excepted.verdict.status === "fail" || excepted.verdict.status === "error")) {
    const by = `PolicyException ${excepted.by.join(", ")}`;
    const start = findings.length;
    pushOutcomeFindings(params, { ...outcome, ...excepted.verdict });
    for (let index = start; index < findings.length; index++) findings[index] = exceptFinding(findings[index] as Finding, by);
  } else if (outcome.status === "fail" || outcome.status === "error") {
    pushOutcomeFindings(params, outcome);
  }
}

/** Appends one finding per path of a failing (or erroring) outcome, `shown` (the outcome, or what an exception excepts). */
function pushOutcomeFindings(params: RecordParams, shown: RuleOutcome): void {
  const { manifest, findings } = params;
  const rule = displayRuleName(shown.rule);
  // A deny rule fails "at the root": the annotation, when present, names a better place.
  const paths: readonly FieldPath[] = namesAPath(shown.paths) ? shown.paths : [params.fallback?.get(rule) ?? []];
  // `label: text`, the `: text` shared by the rule's failures: one string joined per finding, not two.
  const message =
    shown.status === "error"
      ? `${params.identity.label}: the rule could not be evaluated: ${shown.message}`
      : params.identity.label + readableSuffix(shown.rule, shown.message);
  for (const path of paths) {
    const position = manifest.positionOf(path);
    findings.push({
      policy: shown.policy,
      rule,
      severity: shown.severity,
      file: manifest.file,
      line: position.line,
      column: position.column,
      path: formatPath(path),
      message,
    });
  }
}

/** Whether any path names a field (a loop: `some` with a callback costs more than a check of a path or two). */
function namesAPath(paths: readonly FieldPath[]): boolean {
  for (let at = 0; at < paths.length; at++) if ((paths[at] as FieldPath).length > 0) return true;
  return false;
}

/** The finding as excepted by `by` (a PolicyException, an owner's approval): a notice naming what excepts it. */
export function exceptFinding(finding: Finding, by: string): Finding {
  return { ...finding, severity: "notice", message: `Excepted by ${by}: ${finding.message}`, exception: by };
}

/**
 * Kyverno wraps the policy's message as `validation error: <message> rule <name> failed at path
 * /a/b/`. A finding already carries its rule and points at the field, so only the author's
 * message is kept: `: <message>`, to follow the object's label.
 */
function readableSuffix(rule: string, message: string): string {
  // Most failures of a rule repeat its last message, mostly the very same string: comparing with it is cheaper than hashing it.
  const last = lastReadable.get(rule);
  if (last !== undefined && last.message === message) return last.readable;
  // Variables can make a message long (they are input): a long one is cleaned, not kept.
  if (message.length > MAX_KEPT_MESSAGE) return `: ${cleanMessage(message)}`;
  let readable = readableMessages.get(message);
  if (readable === undefined) {
    readable = `: ${cleanMessage(message)}`;
    if (readableMessages.size >= MAX_READABLE_MESSAGES) readableMessages.clear();
    readableMessages.set(message, readable);
  }
  if (lastReadable.size >= MAX_READABLE_MESSAGES) lastReadable.clear();
  lastReadable.set(rule, { message, readable });
  return readable;
}

// Most failures of a rule share one message (variables aside): it is cleaned once, not per finding.
const readableMessages = new Map<string, string>();
const lastReadable = new Map<string, { message: string; readable: string }>();
const MAX_READABLE_MESSAGES = 10_000;
const MAX_KEPT_MESSAGE = 2_000;

function cleanMessage(message: string): string {
  const cleaned = message
    .replace(/^validation error:\s*/, "")
    .replace(/\s*rule \S+ failed at path \S*/g, "")
    .trim();
  return cleaned === "" ? message : cleaned;
}

/** Reads the {@link FINDING_PATHS_ANNOTATION} value; digits become sequence indexes. */
export function findingPaths(annotation: string | undefined): Map<string, FieldPath> | undefined {
  if (annotation === undefined) return undefined;
  const parsed = new Map<string, FieldPath>();
  for (const entry of annotation.split(",")) {
    const [rule, path] = entry.split("=").map((part) => part.trim());
    if (!rule || !path) continue;
    parsed.set(
      rule,
      path.split(".").map((key) => (/^\d+$/.test(key) ? Number(key) : key)),
    );
  }
  return parsed;
}

function displayRuleName(rule: string): string {
  if (!rule.startsWith("autogen-")) return rule;
  // Named once per rule, not per failure: the rule's name is the policy's own text.
  let shown = displayNames.get(rule);
  if (shown === undefined) {
    if (displayNames.size >= MAX_READABLE_MESSAGES) displayNames.clear();
    displayNames.set(rule, (shown = rule.replace(/^autogen-(cronjob-)?/, "")));
  }
  return shown;
}

const displayNames = new Map<string, string>();
