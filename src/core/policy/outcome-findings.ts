import { formatPath } from "../problems.js";
import type { FieldPath } from "../yaml/types.js";
import { authoredRuleName } from "./kyverno/autogen.js";
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
  const texts = ruleTexts(shown.rule);
  const rule = texts.shown;
  // A deny rule fails "at the root": the annotation, when present, names a better place.
  const paths: readonly FieldPath[] = namesAPath(shown.paths) ? shown.paths : [params.fallback?.get(rule) ?? []];
  // `label: text`, the `: text` shared by the rule's failures: one string joined per finding, not two.
  const message =
    shown.status === "error"
      ? `${params.identity.label}: the rule could not be evaluated: ${shown.message}`
      : params.identity.label + readableSuffix(texts, shown.message);
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
function readableSuffix(texts: RuleTexts, message: string): string {
  // Most failures of a rule repeat its last message, mostly the very same string: comparing with it is cheaper than hashing it.
  if (texts.message === message) return texts.readable;
  // Variables can make a message long (they are input): a long one is cleaned, not kept.
  if (message.length > MAX_KEPT_MESSAGE) return `: ${cleanMessage(message)}`;
  let readable = readableMessages.get(message);
  if (readable === undefined) {
    readable = `: ${cleanMessage(message)}`;
    if (readableMessages.size >= MAX_KEPT) readableMessages.clear();
    readableMessages.set(message, readable);
  }
  texts.message = message;
  texts.readable = readable;
  return readable;
}

/** What the findings of one engine rule show: its name as the author wrote it, and its last message read. */
interface RuleTexts {
  /** `autogen-cronjob-x` is shown as `x`. */
  shown: string;
  message: string | undefined;
  readable: string;
}

/** A rule's texts, looked up once per outcome: rule names are the policies' own texts, so they repeat. */
function ruleTexts(rule: string): RuleTexts {
  let texts = RULE_TEXTS.get(rule);
  if (texts === undefined) {
    if (RULE_TEXTS.size >= MAX_KEPT) RULE_TEXTS.clear();
    texts = { shown: authoredRuleName(rule), message: undefined, readable: "" };
    RULE_TEXTS.set(rule, texts);
  }
  return texts;
}

// Most failures of a rule share one message (variables aside): it is cleaned once, not per finding.
const readableMessages = new Map<string, string>();
const RULE_TEXTS = new Map<string, RuleTexts>();
// Bounds: messages and rule names are input; at most this many of each are kept.
const MAX_KEPT = 10_000;
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
