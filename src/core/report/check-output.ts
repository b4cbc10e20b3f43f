import { formatCount } from "../format-count.js";
import type { Severity } from "../problems.js";
import type { SkippedFile } from "../manifests/types.js";
import type { Finding } from "../policy/types.js";
import { describeSkippedFiles } from "./describe-skipped-files.js";
import { codeSpan, escapeInline, keepLinesWithin, plural, tableCell, truncate, utf8Length } from "./markdown.js";

/**
 * GitHub accepts at most 50 annotations per Check Run create or update request; further updates
 * append (https://docs.github.com/en/rest/checks/runs#update-a-check-run).
 */
export const MAX_ANNOTATIONS_PER_REQUEST = 50;
/** GitHub's limit on a Check Run's `output.summary` and `output.text`, in characters. */
export const MAX_CHECK_TEXT_LENGTH = 65_535;
/** Annotation `title` is limited to 255 characters; messages are capped well under the 64 KB limit. */
const MAX_ANNOTATION_TITLE = 255;
const MAX_ANNOTATION_MESSAGE = 4_000;

/** A Check Run annotation exactly as the GitHub REST API takes it. */
export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  /** Only allowed when start_line equals end_line. */
  start_column?: number;
  end_column?: number;
  annotation_level: "failure" | "warning" | "notice";
  message: string;
  title?: string;
  raw_details?: string;
}

/**
 * `failure` when any finding is an error. `neutral` when there are warnings but no errors: the check
 * draws attention without blocking, since GitHub counts neutral as passing for required checks.
 * `success` otherwise (notices alone do not need attention).
 */
export type CheckConclusion = "success" | "failure" | "neutral";

export interface CheckRunReport {
  conclusion: CheckConclusion;
  title: string;
  summary: string;
  text: string;
  /** Every annotation, errors first; send them with {@link batchAnnotations}. */
  annotations: CheckAnnotation[];
}

/**
 * Renders findings into a Check Run: a conclusion, a one-line title, a summary with a table of
 * counts by policy and rule, a text listing every finding by file, and annotations at each
 * finding's line and column. Summary and text are cut to GitHub's limit with a note saying so.
 */
export function renderCheckOutput(params: {
  findings: readonly Finding[];
  /** How many files were checked and against how many policies, for the summary's first line. */
  checkedFiles?: number;
  policyCount?: number;
  /** Candidate files that were not judged, each with its reason: the summary counts them. */
  skipped?: readonly SkippedFile[];
  /** Which schemas judged the manifests (describeSchemaSet's note), when schema validation ran. */
  schemaNote?: string;
}): CheckRunReport {
  const { findings } = params;
  const counts = countBySeverity(findings);
  const conclusion: CheckConclusion = counts.error > 0 ? "failure" : counts.warning > 0 ? "neutral" : "success";
  return {
    conclusion,
    title: renderTitle(counts),
    summary: renderSummary({ ...params, counts }),
    text: renderText(findings),
    annotations: renderAnnotations(findings),
  };
}

/** Splits annotations into the batches GitHub accepts per request, in order. */
export function batchAnnotations(annotations: readonly CheckAnnotation[], size: number = MAX_ANNOTATIONS_PER_REQUEST): CheckAnnotation[][] {
  const batches: CheckAnnotation[][] = [];
  for (let start = 0; start < annotations.length; start += size) batches.push(annotations.slice(start, start + size));
  return batches;
}

type Counts = Record<Severity, number>;

function countBySeverity(findings: readonly Finding[]): Counts {
  const counts: Counts = { error: 0, warning: 0, notice: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}

function describeCounts(counts: Counts): string {
  const parts = [plural(counts.error, "error"), plural(counts.warning, "warning")];
  if (counts.notice > 0) parts.push(plural(counts.notice, "notice"));
  return parts.join(", ");
}

function renderTitle(counts: Counts): string {
  if (counts.error + counts.warning + counts.notice === 0) return "All policies pass";
  return describeCounts(counts);
}

function renderSummary(params: {
  findings: readonly Finding[];
  counts: Counts;
  checkedFiles?: number;
  policyCount?: number;
  skipped?: readonly SkippedFile[];
  schemaNote?: string;
}): string {
  const { findings, counts } = params;
  const scope =
    params.checkedFiles !== undefined && params.policyCount !== undefined
      ? `Checked ${plural(params.checkedFiles, "file")} against ${plural(params.policyCount, "policy", "policies")}`
      : "Policy check";
  const lines = [`${scope}: ${findings.length === 0 ? "no findings" : describeCounts(counts)}.`];
  if (params.schemaNote) lines.push("", escapeInline(params.schemaNote));
  const skipped = describeSkippedFiles({ skipped: params.skipped ?? [], format: "markdown" });
  if (skipped.length > 0) lines.push("", ...skipped);
  if (findings.length > 0) {
    const rows = new Map<string, { policy: string; rule: string; counts: Counts }>();
    for (const finding of findings) {
      const key = `${finding.policy}\0${finding.rule}`;
      const row = rows.get(key) ?? { policy: finding.policy, rule: finding.rule, counts: { error: 0, warning: 0, notice: 0 } };
      row.counts[finding.severity] += 1;
      rows.set(key, row);
    }
    const sorted = [...rows.values()].sort(
      (a, b) =>
        b.counts.error - a.counts.error ||
        b.counts.warning - a.counts.warning ||
        a.policy.localeCompare(b.policy) ||
        a.rule.localeCompare(b.rule),
    );
    lines.push("", "| Policy | Rule | Errors | Warnings | Notices |", "| --- | --- | ---: | ---: | ---: |");
    for (const row of sorted) {
      lines.push(
        `| ${tableCell(codeSpan(row.policy, 100))} | ${tableCell(codeSpan(row.rule, 100))} | ${row.counts.error} | ${row.counts.warning} | ${row.counts.notice} |`,
      );
    }
    lines.push("", "Errors block the merge; warnings and notices do not. Each finding is annotated at its line in **Files changed**.");
  }
  return fitLines(lines, "table rows");
}

function renderText(findings: readonly Finding[]): string {
  if (findings.length === 0) return "";
  const lines: string[] = [];
  let file: string | undefined;
  const ordered = [...findings].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
  for (const finding of ordered) {
    if (finding.file !== file) {
      file = finding.file;
      lines.push(...(lines.length > 0 ? [""] : []), `### ${codeSpan(finding.file || "(no file)", 300)}`, "");
    }
    const hint = finding.hint ? ` ${escapeInline(finding.hint)}` : "";
    lines.push(
      `- **${finding.severity}** line ${finding.line}, column ${finding.column}: ${escapeInline(finding.message)}${hint} (${codeSpan(`${finding.policy}/${finding.rule}`, 200)})`,
    );
  }
  return fitLines(lines, "findings");
}

function renderAnnotations(findings: readonly Finding[]): CheckAnnotation[] {
  const rank: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };
  return findings
    .filter((finding) => finding.file !== "")
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => rank[a.finding.severity] - rank[b.finding.severity] || a.index - b.index)
    .map(({ finding }) => {
      const details = [finding.path ? `Field: ${finding.path}` : "", finding.hint ? `Fix: ${finding.hint}` : ""].filter(Boolean);
      return {
        path: finding.file,
        start_line: finding.line,
        end_line: finding.line,
        start_column: finding.column,
        end_column: finding.column,
        annotation_level: finding.severity === "error" ? "failure" : finding.severity,
        message: truncate(finding.message, MAX_ANNOTATION_MESSAGE),
        title: truncate(`${finding.policy}/${finding.rule}`, MAX_ANNOTATION_TITLE),
        ...(details.length > 0 ? { raw_details: truncate(details.join("\n"), MAX_ANNOTATION_MESSAGE) } : {}),
      } satisfies CheckAnnotation;
    });
}

/**
 * Joins lines, dropping whole lines from the end (and saying how many) once the text would pass
 * GitHub's limit. Length is measured in UTF-8 bytes, which is never less than the character count
 * GitHub applies, so the result fits whichever way it is counted.
 */
function fitLines(lines: readonly string[], what: string): string {
  const full = lines.join("\n");
  if (utf8Length(full) <= MAX_CHECK_TEXT_LENGTH) return full;
  const { kept, dropped } = keepLinesWithin({ lines, budget: MAX_CHECK_TEXT_LENGTH - 200 });
  kept.push(
    "",
    `_…output truncated to GitHub's ${formatCount(MAX_CHECK_TEXT_LENGTH)}-character limit: ${dropped} more lines of ${what} not shown. The annotations list every finding; \`gitops-bot check\` prints them all._`,
  );
  return kept.join("\n");
}
