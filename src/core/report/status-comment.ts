import type { Changeset } from "../plan/plan-changeset.js";
import type { Problem } from "../problems.js";
import type { ProvisionRequest } from "../request/request.js";
import { renderStoredRequest, type StoredRequest } from "../request/stored-request.js";
import type { Delivery } from "../delivery/delivery-state.js";
import { renderDeliveryBody } from "./delivery-status.js";
import { renderFaultMessage, type GitHubFault } from "./fault-message.js";
import { codeSpan, escapeInline, fencedBlock, link, linkText, mention } from "./markdown.js";

/** First line of every status comment: how the bot finds its comment again (with its author). */
export const STATUS_MARKER = "<!-- gitops-bot:status -->";

/** GitHub rejects comment bodies over 65,536 characters; the rest is margin for the markers. */
export const MAX_STATUS_COMMENT = 60_000;
const MAX_PROBLEMS = 30;

export interface PullRequestLink {
  repository: string;
  number: number;
  url: string;
}

/** Everything a status comment can say. One view per event; the comment is replaced each time. */
export type StatusView =
  | {
      kind: "published";
      request: ProvisionRequest;
      pullRequest: PullRequestLink & { created: boolean };
      commit: string | null;
      changeset: Changeset;
      reviewers: readonly string[];
    }
  | { kind: "up-to-date"; request: ProvisionRequest; baseBranch: string }
  | { kind: "preview"; request: ProvisionRequest; branch: string; changeset: Changeset; reviewers: readonly string[] }
  | { kind: "rejected"; request: ProvisionRequest | null; problems: readonly Problem[] }
  | { kind: "refused"; requester: string; reason: string; howToAllow: string }
  | { kind: "help"; requester: string; help: string }
  | { kind: "failed"; request: ProvisionRequest | null; fault: GitHubFault | null; retry: AutomaticRetry }
  /** A template change re-rendered this request: its upgrade pull request (src/workflows/roll-out-templates.ts). */
  | {
      kind: "upgrade";
      pullRequest: PullRequestLink & { created: boolean };
      templates: readonly string[];
      commit: string;
      commitUrl: string | null;
      handEdits: number;
    }
  | { kind: "merged"; pullRequest: PullRequestLink }
  | { kind: "closed"; pullRequest: PullRequestLink }
  /** After the merge: merged, syncing, deployed, degraded or failed, from Argo CD's statuses. */
  | { kind: "delivery"; pullRequest: PullRequestLink; delivery: Delivery };

/** Whether the App redelivers failed events by itself, and how often (REDELIVERY_INTERVAL). */
export type AutomaticRetry = { everySeconds: number } | null;

function retryLines(retry: AutomaticRetry): string[] {
  const automatic = retry
    ? `The App retries by itself: within ${retry.everySeconds >= 120 ? `${Math.ceil(retry.everySeconds / 60)} minutes` : `${retry.everySeconds} seconds`} it asks GitHub to deliver this event again, and goes on from where it stopped (anything already written is reused, never written twice).`
    : "This App does not retry by itself.";
  return [automatic, "To retry by hand now, comment the command again, or edit the issue if the request came from the issue form."];
}

const VERB: Record<ProvisionRequest["action"], string> = {
  provision: "Provision",
  resize: "Resize",
  deprovision: "Deprovision",
  preview: "Preview",
};

function prLink(pr: PullRequestLink): string {
  return link(linkText(`${pr.repository}#${pr.number}`), pr.url);
}

function describeRequest(request: ProvisionRequest): string {
  const { name = "", team = "", environment = "" } = request.values;
  const size = request.action === "deprovision" ? "" : ` size ${codeSpan(request.size, 30)}`;
  return `**${VERB[request.action]}** ${codeSpan(request.template, 63)}${size} for ${codeSpan(`${team}/${name}`, 130)} in ${codeSpan(environment, 63)}, requested by ${mention(request.requester)}.`;
}

function counts(changeset: Changeset): string {
  const by = (kind: string) => changeset.changes.filter((c) => c.kind === kind).length;
  return `${by("added")} added, ${by("changed")} changed, ${by("deleted")} deleted`;
}

function fileList(changeset: Changeset): string {
  return changeset.changes.map((c) => `- ${c.kind} ${codeSpan(c.path, 300)}`).join("\n");
}

function renderProblem(p: Problem): string {
  // Problems are text with code spans; what they quote may come from anyone, so they are escaped once more here.
  const where = p.file
    ? ` (${codeSpan(`${p.file}${p.line !== undefined ? `:${p.line}` : ""}`, 300)})`
    : p.path
      ? ` (${codeSpan(p.path, 100)})`
      : "";
  return `- ${escapeInline(p.message, 2_000)}${where}${p.hint ? `\n  ${escapeInline(p.hint, 2_000)}` : ""}`;
}

function renderProblems(problems: readonly Problem[]): string {
  const shown = problems.slice(0, MAX_PROBLEMS).map(renderProblem);
  if (problems.length > MAX_PROBLEMS) shown.push(`- …and ${problems.length - MAX_PROBLEMS} more.`);
  return shown.join("\n");
}

/** Full diff, then the file list, then counts: the first that fits the budget. */
function changesSection(changeset: Changeset, budget: number, openDiff: boolean): string {
  const list = `<details><summary>Files: ${counts(changeset)}</summary>\n\n${fileList(changeset)}\n</details>`;
  const withDiff = `${list}\n\n<details${openDiff ? " open" : ""}><summary>Rendered diff</summary>\n\n${fencedBlock("diff", changeset.diff)}\n</details>`;
  if (withDiff.length <= budget) return withDiff;
  if (list.length <= budget) return `${list}\n\nThe diff is too large for a comment.`;
  return `Files: ${counts(changeset)} (too many to list here).`;
}

/** A template upgrade's comment on the request issue: which change it renders, and what became of hand edits. */
function upgradeBody(view: Extract<StatusView, { kind: "upgrade" }>): string[] {
  const commit = view.commitUrl ? link(linkText(view.commit.slice(0, 12)), view.commitUrl) : codeSpan(view.commit.slice(0, 12));
  const edits =
    view.handEdits > 0
      ? `It touches ${view.handEdits === 1 ? "a file" : `${view.handEdits} files`} edited by hand since the bot wrote ${view.handEdits === 1 ? "it" : "them"}: the pull request says what was kept and what was not.`
      : "";
  return [
    `### ⬆️ Template upgrade: ${prLink(view.pullRequest)}`,
    "",
    `The template ${view.templates.map((t) => codeSpan(t, 63)).join(", ")} changed at ${commit}; ${view.pullRequest.created ? "this pull request renders" : "this pull request was updated to render"} this request again with its recorded size and values.`,
    edits,
    "",
    "Review and merge it to apply the new template, or close it to keep the service as it is.",
  ];
}

function body(view: StatusView, budget: number): string[] {
  switch (view.kind) {
    case "published": {
      const pr = view.pullRequest;
      const title =
        view.commit === null && !pr.created
          ? `Pull request ${prLink(pr)} is up to date`
          : pr.created
            ? `Opened pull request ${prLink(pr)}`
            : `Updated pull request ${prLink(pr)}`;
      const reviewers = view.reviewers.length > 0 ? `Approval requested from ${view.reviewers.map(mention).join(", ")}.` : "";
      return [`### ✅ ${title}`, "", describeRequest(view.request), reviewers, "", changesSection(view.changeset, budget, false)];
    }
    case "up-to-date":
      return [
        `### ✅ Nothing to change`,
        "",
        describeRequest(view.request),
        "",
        `${codeSpan(view.baseBranch, 100)} of the GitOps repository already holds exactly these files, so no pull request is needed.`,
      ];
    case "preview": {
      const reviewers = view.reviewers.length > 0 ? `A pull request would ask ${view.reviewers.map(mention).join(", ")} for approval.` : "";
      return [
        `### 👀 Preview (nothing was written)`,
        "",
        describeRequest(view.request),
        reviewers,
        "",
        changesSection(view.changeset, budget, true),
        "",
        "Run `/provision` to open the pull request.",
      ];
    }
    case "rejected":
      return [
        `### ❌ The request was not accepted`,
        "",
        ...(view.request ? [describeRequest(view.request), ""] : []),
        renderProblems(view.problems),
        "",
        "Nothing was written. Fix the above and comment again (or edit the issue form).",
      ];
    case "refused":
      return [`### 🚫 Not allowed`, "", view.reason, "", view.howToAllow, "", "Nothing was written."];
    case "help":
      return [`### ℹ️ Help (asked by ${mention(view.requester)})`, "", view.help];
    case "failed":
      return [
        `### ⚠️ The request could not be finished`,
        "",
        ...(view.request ? [describeRequest(view.request), ""] : []),
        renderFaultMessage(view.fault),
        "",
        ...retryLines(view.retry),
      ];
    case "upgrade":
      return upgradeBody(view);
    case "merged":
      return [
        `### 🎉 Merged: ${prLink(view.pullRequest)}`,
        "",
        "Argo CD applies the change on its next sync. This issue is closed; comment a new command to change the request.",
      ];
    case "delivery":
      return renderDeliveryBody({ delivery: view.delivery, pullRequest: view.pullRequest });
    case "closed":
      return [
        `### Pull request ${prLink(view.pullRequest)} was closed without merging`,
        "",
        "Nothing changes in the cluster. Comment `/provision <size>` to open it again.",
      ];
  }
}

/**
 * The single status comment of a request issue: what happened, the pull request, the files or
 * the diff, the problems with how to fix them. `stored` (the last published request) is kept in
 * a hidden marker so later commands know what to change. Stays under GitHub's body limit.
 */
export function renderStatusComment(params: { view: StatusView; stored: StoredRequest | null; notes?: readonly Problem[] }): string {
  const footer = [
    "",
    "<sub>Commands: `/provision <size> [key=value ...]`, `/resize <size>`, `/deprovision`, `/preview`, `/help`. This comment is updated in place.</sub>",
    ...(params.stored ? [renderStoredRequest(params.stored)] : []),
  ].join("\n");
  const notes = params.notes && params.notes.length > 0 ? `\n\n**Note**\n${renderProblems(params.notes)}` : "";
  const lastPr =
    params.stored?.pullRequest &&
    params.view.kind !== "published" &&
    params.view.kind !== "upgrade" &&
    params.view.kind !== "merged" &&
    params.view.kind !== "closed" &&
    params.view.kind !== "delivery"
      ? `\n\nThis issue's pull request: ${prLink(params.stored.pullRequest)}.`
      : "";
  const fixed = STATUS_MARKER.length + footer.length + notes.length + lastPr.length + 2_000;
  const main = body(params.view, MAX_STATUS_COMMENT - fixed)
    .filter((line, i, all) => !(line === "" && all[i - 1] === ""))
    .join("\n")
    .trim();
  const text = `${STATUS_MARKER}\n${main}${notes}${lastPr}\n${footer}\n`;
  // Problems and help are bounded, but a hostile catalog could still make them long: cut, keep the markers.
  return text.length <= MAX_STATUS_COMMENT
    ? text
    : `${STATUS_MARKER}\n${main.slice(0, MAX_STATUS_COMMENT - fixed)}\n\n…(cut to fit GitHub's comment limit)\n${footer}\n`;
}
