import { formatCount } from "../format-count.js";
import type { PlatformReview } from "../authz/plan-platform-review.js";
import { codeSpan, keepLinesWithin, mention, utf8Length } from "./markdown.js";
import {
  batchAnnotations,
  MAX_CHECK_TEXT_LENGTH,
  type CheckAnnotation,
  type CheckConclusion,
  type CheckRunReport,
} from "./check-output.js";

/** The Check Run's name: branch protection requires it by this name, so it never changes. */
export const POLICY_CHECK_NAME = "gitops-bot / policies";

/** One request to GitHub: replace the output, append the annotations, complete when concluded. */
export interface CheckRunUpdate {
  output: { title: string; summary: string; text?: string; annotations: CheckAnnotation[] };
  conclusion?: CheckConclusion;
}

/** What the pull request check adds to the policy report: facts about how it judged. */
export interface PullRequestCheckNotes {
  /** The review plan and whom GitHub accepted as reviewers. */
  platformReview?: PlatformReview & { requested: string[] };
  /** Set when the change touches policies, templates or the bot's config: they are read from the base. */
  baseCommit?: string;
  /** Why namespace ownership was not judged, when it was configured but not judged. */
  ownershipSkipped?: string;
  /** Whom namespace ownership was judged as, when not the author (a pull request of a bot). */
  ownershipJudgedAs?: string;
  /** Messages from GitHub worth passing on (a reviewer it refused). */
  remarks?: string[];
  /** The policy owners' approvals in force, with the hidden record (rendered last, so it is never cut). */
  policyApprovals?: string;
}

const MAX_LISTED_FILES = 10;

function code(text: string): string {
  return codeSpan(text, 200);
}

function listFiles(files: readonly string[]): string {
  const shown = files.slice(0, MAX_LISTED_FILES).map(code).join(", ");
  return files.length > MAX_LISTED_FILES ? `${shown} and ${files.length - MAX_LISTED_FILES} more` : shown;
}

function reviewerList(reviewers: readonly string[]): string {
  return reviewers.map(mention).join(", ");
}

/** The notes as markdown paragraphs, empty when there is nothing to say. */
export function renderCheckNotes(notes: PullRequestCheckNotes): string[] {
  const lines: string[] = [];
  const review = notes.platformReview;
  if (review?.needed) {
    const kinds = [
      review.files.policies.length > 0 ? `policies (${listFiles(review.files.policies)})` : "",
      review.files.templates.length > 0 ? `templates (${listFiles(review.files.templates)})` : "",
      review.files.config.length > 0 ? `the bot configuration (${listFiles(review.files.config)})` : "",
      review.files.exceptions?.length ? `Kyverno PolicyExceptions (${listFiles(review.files.exceptions)})` : "",
    ].filter(Boolean);
    const who =
      review.reviewers.length === 0
        ? "No platform reviewers are configured: set `approvals.platform` in `.github/gitops-bot.yml`."
        : review.requested.length > 0
          ? `Review requested from ${reviewerList(review.requested)}.`
          : review.toRequest.length > 0
            ? `Review could not be requested from ${reviewerList(review.toRequest)} (see below).`
            : `Platform reviewers (${reviewerList(review.reviewers)}) are already requested or have reviewed.`;
    lines.push(`**Platform change.** This pull request changes ${kinds.join(", ")}, which need the platform team's review. ${who}`);
  }
  if (notes.baseCommit !== undefined) {
    lines.push(
      `**Judged by the base branch's rules.** Policies, the platform configuration and the bot configuration were read at the base commit ${code(notes.baseCommit.slice(0, 7))}, so a pull request cannot relax the rules that judge it. The changed versions were validated; they apply once merged.`,
    );
  }
  if (notes.ownershipSkipped) lines.push(`**Namespace ownership not judged:** ${notes.ownershipSkipped}`);
  if (notes.ownershipJudgedAs) lines.push(`**Namespace ownership:** ${notes.ownershipJudgedAs}`);
  for (const remark of notes.remarks ?? []) lines.push(remark);
  if (notes.policyApprovals !== undefined) lines.push(notes.policyApprovals);
  return lines;
}

/** Keeps the notes whole and cuts the report's summary at a line so both fit GitHub's limit. */
function composeSummary(summary: string, notes: readonly string[]): string {
  if (notes.length === 0) return summary;
  const tail = `\n\n${notes.join("\n\n")}`;
  const budget = MAX_CHECK_TEXT_LENGTH - utf8Length(tail);
  if (utf8Length(summary) <= budget) return `${summary}${tail}`;
  const marker = "\n\n_…summary shortened to fit GitHub's limit._";
  const { kept } = keepLinesWithin({ lines: summary.split("\n"), budget: budget - utf8Length(marker) });
  return `${kept.join("\n")}${marker}${tail}`;
}

/**
 * Plans the requests that deliver a report to its Check Run, after the run was created in
 * progress. GitHub takes 50 annotations per request and appends them, so every batch but the last
 * goes in an update that keeps the run in progress, and the last batch goes with the conclusion
 * and the full output: the run completes only once every annotation is there, and the summary
 * and text are sent once, not with every batch.
 */
export function planCheckRunUpdates(params: {
  report: CheckRunReport;
  notes?: PullRequestCheckNotes;
  maxAnnotations?: number;
}): CheckRunUpdate[] {
  const { report } = params;
  const max = params.maxAnnotations ?? MAX_ANNOTATIONS_PER_CHECK;
  // Errors come first in the report's annotations, so a cap keeps what blocks the merge.
  const shown = report.annotations.slice(0, max);
  const batches = batchAnnotations(shown);
  const last = batches.pop() ?? [];
  const total = shown.length;
  let sent = 0;
  const updates: CheckRunUpdate[] = batches.map((annotations) => {
    sent += annotations.length;
    return { output: { title: "Adding annotations…", summary: `Adding annotations: ${sent} of ${total}.`, annotations } };
  });
  const capped =
    report.annotations.length > shown.length ? [renderAnnotationCap({ shown: shown.length, total: report.annotations.length })] : [];
  const summary = composeSummary(report.summary, [...capped, ...renderCheckNotes(params.notes ?? {})]);
  updates.push({
    output: { title: report.title, summary, ...(report.text === "" ? {} : { text: report.text }), annotations: last },
    conclusion: report.conclusion,
  });
  return updates;
}

/**
 * Annotations one Check Run carries at most: 20 requests of 50. A pull request with more findings
 * (one 1 MiB `kind: List` can hold thousands of failing items) would otherwise cost hundreds of
 * requests and bury the page; the summary's table still counts every finding.
 */
export const MAX_ANNOTATIONS_PER_CHECK = 1_000;

function renderAnnotationCap(params: { shown: number; total: number }): string {
  const more = params.total - params.shown;
  return `**${formatCount(more)} more finding${more === 1 ? " is" : "s are"} not annotated.** This check annotates at most ${formatCount(params.shown)} findings (errors first); the table above counts all ${formatCount(params.total)}. To see every one, check out this branch and run \`npx gitops-bot check --format json\` (or without \`--format\` for one line per finding).`;
}

/**
 * The output of a check that could not finish (GitHub failed, a bug): it fails, so a required check
 * never passes unjudged, and tells how to run it again.
 */
export function renderCheckFault(): CheckRunUpdate {
  return {
    output: {
      title: "The policy check could not finish",
      summary:
        "The policy check stopped before it could judge this pull request, so it fails rather than let unchecked changes through. Use **Re-run** on this check to try again; if it keeps failing, the App's logs say why.",
      annotations: [],
    },
    conclusion: "failure",
  };
}
