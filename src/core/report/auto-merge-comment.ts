import type { MergeMethod } from "../config/bot-config.schema.js";
import type { AutoMergeOff, IgnoredApprovals, MissingItem } from "../merge/decide-auto-merge.js";
import { codeSpan, escapeInline, link } from "./markdown.js";
import { POLICY_CHECK_NAME } from "./check-run-updates.js";

/** First line of the bot's one auto-merge comment on a pull request: how it finds the comment again. */
export const AUTO_MERGE_MARKER = "<!-- gitops-bot:auto-merge -->";

/** What the auto-merge comment says. */
export type AutoMergeView =
  | {
      kind: "waiting";
      method: MergeMethod;
      headSha: string;
      requester: string;
      missing: readonly MissingItem[];
      approvedBy: readonly string[];
      ignored: IgnoredApprovals;
    }
  | { kind: "off"; reason: AutoMergeOff }
  | { kind: "merged"; method: MergeMethod; headSha: string; mergeSha: string; approvedBy: readonly string[] }
  /** Everything the bot waits for was in, and GitHub refused the merge (branch protection, a conflict, a new push). */
  | { kind: "refused"; method: MergeMethod; headSha: string; status: number; message: string; approvedBy: readonly string[] }
  /** Someone else merged or closed it: the gate has nothing left to wait for. */
  | { kind: "closed"; merged: boolean };

/** A login or team named without mentioning it: the report is edited often and must not notify. */
function who(login: string): string {
  return codeSpan(`@${login}`, 140);
}

function short(sha: string): string {
  return codeSpan(sha.slice(0, 7), 12);
}

function list(logins: readonly string[]): string {
  return logins.map(who).join(", ");
}

function checkLine(item: Extract<MissingItem, { kind: "check" }>, headSha: string): string {
  const name = codeSpan(POLICY_CHECK_NAME);
  const linked = (text: string) => link(text, item.url);
  switch (item.state) {
    case "missing":
      return `- ⏳ The policy check ${name} has not run on ${short(headSha)} yet.`;
    case "pending":
      return `- ⏳ The policy check ${name} is ${linked("still running")} on ${short(headSha)}.`;
    case "failed":
      return `- ❌ The policy check ${name} ${linked(`concluded ${codeSpan(item.conclusion ?? "unknown", 30)}`)} on ${short(headSha)}: fix its findings first.`;
  }
}

function requiredCheckLine(item: Extract<MissingItem, { kind: "required-check" }>, headSha: string): string {
  const name = codeSpan(item.context, 120);
  switch (item.state) {
    case "expected":
      return `- ⏳ The required check ${name} has not reported on ${short(headSha)} yet.`;
    case "pending":
      return `- ⏳ The required check ${name} is ${link("still running", item.url)} on ${short(headSha)}.`;
    case "failed":
      return `- ❌ The required check ${name} ${link(`concluded ${codeSpan(item.conclusion ?? "unknown", 30)}`, item.url)} on ${short(headSha)}.`;
  }
}

function missingLine(item: MissingItem, headSha: string): string {
  switch (item.kind) {
    case "check":
      return checkLine(item, headSha);
    case "changes-requested":
      return `- ❌ Changes requested by ${list(item.by)}: their review must approve, or be dismissed.`;
    case "approval":
      return item.reviewer.includes("/")
        ? `- ⏳ An approval by a member of ${who(item.reviewer)}.`
        : `- ⏳ An approval by ${who(item.reviewer)}.`;
    case "any-approval":
      return "- ⏳ An approval by someone with write access to this repository (no reviewer is configured for this request).";
    case "required-check":
      return requiredCheckLine(item, headSha);
  }
}

function ignoredLines(ignored: IgnoredApprovals, requester: string): string[] {
  const lines: string[] = [];
  if (ignored.stale.length > 0)
    lines.push(`- Approved an earlier commit: ${list(ignored.stale)}. An approval counts for the commit it was given on.`);
  if (ignored.requester) lines.push(`- ${who(requester)} asked for this change: their own approval does not count.`);
  if (ignored.withoutWriteAccess.length > 0) lines.push(`- Without write access to this repository: ${list(ignored.withoutWriteAccess)}.`);
  return lines.length > 0 ? ["", "Approvals that do not count:", ...lines] : [];
}

function offLines(reason: AutoMergeOff): string[] {
  switch (reason.kind) {
    case "foreign-commit": {
      const by = [
        ...new Set([reason.author, reason.committer].map((login) => (login === null ? "an account GitHub does not know" : who(login)))),
      ].join(" and ");
      return [
        `Commit ${short(reason.sha)} is by ${by}, not by the bot. The bot never merges a pull request a person has pushed to: review it and merge it by hand.`,
      ];
    }
    case "unverified-commit":
      return [
        `Commit ${short(reason.sha)} names the bot but GitHub did not verify its signature (${codeSpan(reason.verification, 40)}), so it may not be the bot's. The bot never merges a pull request a person may have pushed to: review it and merge it by hand.`,
      ];
    case "too-many-commits":
      return [
        `This pull request has more commits than GitHub lists (${reason.listed} shown), so the bot cannot tell that they are all its own: review it and merge it by hand.`,
      ];
  }
}

function refusedHint(status: number, message: string): string {
  if (status === 409) return "The head of the pull request changed while the bot merged it; it is judged again on its new commit.";
  if (
    /merge commits are not allowed|squash merges are not allowed|rebase merges are not allowed|not allowed on this repository/i.test(
      message,
    )
  ) {
    return "Set `autoMerge.method` in .github/gitops-bot.yml to a merge method the repository allows.";
  }
  if (/not mergeable/i.test(message)) {
    return "GitHub cannot merge it as it is, most often because the base branch changed the same files: comment the request's command again on its issue, and the bot writes the branch anew from the current base branch.";
  }
  return "Branch protection can ask for more than the bot waits for (more reviews, code owners, another required check it could not read). The bot tries again at the next review and whenever a check on this pull request completes; or merge by hand once GitHub allows it.";
}

function body(view: AutoMergeView): string[] {
  switch (view.kind) {
    case "waiting":
      return [
        `### ⏳ Auto-merge: waiting`,
        "",
        `The bot merges this pull request (${codeSpan(view.method)}) once all of this is done on its latest commit ${short(view.headSha)}:`,
        "",
        ...view.missing.map((item) => missingLine(item, view.headSha)),
        ...(view.approvedBy.length > 0 ? ["", `Approved by ${list(view.approvedBy)}.`] : []),
        ...ignoredLines(view.ignored, view.requester),
      ];
    case "off":
      return [`### ✋ Auto-merge is off for this pull request`, "", ...offLines(view.reason)];
    case "merged":
      return [
        `### 🎉 Auto-merged`,
        "",
        `The bot merged ${short(view.headSha)} (${codeSpan(view.method)}) as ${short(view.mergeSha)}${view.approvedBy.length > 0 ? `, approved by ${list(view.approvedBy)}` : ""}, after the policy check and every required check passed.`,
      ];
    case "refused":
      return [
        `### ⏳ Auto-merge: GitHub refused the merge`,
        "",
        `Everything the bot waits for is done on ${short(view.headSha)}${view.approvedBy.length > 0 ? ` (approved by ${list(view.approvedBy)})` : ""}, but GitHub answered ${view.status}: ${escapeInline(view.message, 500)}`,
        "",
        refusedHint(view.status, view.message),
      ];
    case "closed":
      return view.merged
        ? [`### Auto-merge: merged by hand`, "", "This pull request was merged before the bot merged it; it waits for nothing any more."]
        : [`### Auto-merge: closed`, "", "This pull request was closed without merging; the bot will not merge it."];
  }
}

/** The bot's one auto-merge comment on its pull request: what it waits for, why it will not merge, or that it merged. */
export function renderAutoMergeComment(view: AutoMergeView): string {
  const footer = "<sub>`autoMerge` in .github/gitops-bot.yml. This comment is updated in place.</sub>";
  return `${AUTO_MERGE_MARKER}\n${body(view).join("\n")}\n\n${footer}\n`;
}

/**
 * The gate's comment once someone else merged or closed the pull request, or null when there is
 * nothing to change: no comment of the gate, or one that already says how it ended (the bot's own
 * merge included). A comment that still waits would otherwise stay wrong on a merged pull request.
 */
export function settleAutoMergeComment(params: { existing: string | null; merged: boolean }): string | null {
  const { existing } = params;
  if (existing === null) return null;
  const final = [
    `${AUTO_MERGE_MARKER}\n### 🎉 Auto-merged`,
    `${AUTO_MERGE_MARKER}\n### Auto-merge: merged by hand`,
    `${AUTO_MERGE_MARKER}\n### Auto-merge: closed`,
  ];
  if (final.some((start) => existing.startsWith(start))) return null;
  return renderAutoMergeComment({ kind: "closed", merged: params.merged });
}
