import type { Delivery, TakenStatus } from "../delivery/delivery-state.js";
import { codeSpan, escapeText, link, linkText } from "./markdown.js";

interface PullRequestLink {
  repository: string;
  number: number;
  url: string;
}

const HEADLINE: Record<Delivery["phase"], string> = {
  untracked: "🎉 Merged",
  waiting: "⏳ Merged, waiting for Argo CD",
  syncing: "🔄 Argo CD is syncing",
  deployed: "🚀 Deployed",
  degraded: "⚠️ Degraded",
  failed: "❌ Sync failed",
};

/** A commit of the GitOps repository, linked next to its pull request (same server, GHE included). */
function commitLink(pr: PullRequestLink, commit: string): string {
  const base = pr.url.replace(/\/pull\/\d+$/, "");
  return base === pr.url ? codeSpan(commit.slice(0, 12)) : link(codeSpan(commit.slice(0, 12)), `${base}/commit/${commit}`);
}

function argoLink(status: TakenStatus, label = "Argo CD"): string {
  // parseArgoStatus kept the URL only when it is a plain http(s) URL without Markdown-breaking characters.
  return status.targetUrl ? ` (${link(label, status.targetUrl)})` : "";
}

function describe(status: TakenStatus): string {
  return status.description ? `: ${escapeText(status.description, 300)}` : "";
}

/** One line per step, done or current, as the status comment shows them. */
function steps(delivery: Delivery, pr: PullRequestLink): string[] {
  const prLink = link(linkText(`${pr.repository}#${pr.number}`), pr.url);
  const merged =
    delivery.mergedAt !== undefined
      ? `- ✅ Pull request ${prLink} merged`
      : `- ⏳ Pull request ${prLink}: Argo CD reported before the merge event`;
  const status = delivery.status;
  if (!status) return [merged, "- ⏳ Waiting for Argo CD to sync it", "- ⏳ Synced and healthy"];
  const app = codeSpan(status.application, 253);
  const at = commitLink(pr, status.commit);
  switch (delivery.phase) {
    case "syncing":
      return [merged, `- 🔄 Argo CD is syncing Application ${app} at ${at}${argoLink(status)}`, "- ⏳ Synced and healthy"];
    case "deployed":
      return [merged, `- ✅ Argo CD synced Application ${app} at ${at}`, `- ✅ Synced and healthy${argoLink(status)}`];
    case "degraded":
      return [merged, `- ✅ Argo CD synced Application ${app} at ${at}`, `- ⚠️ Degraded${describe(status)}${argoLink(status)}`];
    default:
      return [
        merged,
        `- ❌ Argo CD could not sync Application ${app} at ${at}${describe(status)}${argoLink(status)}`,
        "- ⏳ Synced and healthy",
      ];
  }
}

/**
 * The status comment's body after a merge: each step of the way to a running service (merged,
 * syncing, synced and healthy), from what Argo CD reported, with its description and link.
 */
export function renderDeliveryBody(params: { delivery: Delivery; pullRequest: PullRequestLink }): string[] {
  const { delivery } = params;
  const ending: Record<Delivery["phase"], string> = {
    untracked: "This issue is closed; comment a new command to change the request.",
    waiting: "This issue closes when Argo CD reports the service synced and healthy.",
    syncing: "This issue closes when Argo CD reports the service synced and healthy.",
    deployed:
      delivery.mergedAt !== undefined
        ? "The request is done: this issue is closed. Comment a new command to change it."
        : "This issue closes when the merge event arrives.",
    degraded:
      "This issue stays open until Argo CD reports the service synced and healthy. Fix the cause in a pull request, or comment a new command.",
    failed:
      "This issue stays open until Argo CD reports the service synced and healthy. Fix the cause in a pull request, or comment a new command.",
  };
  return [`### ${HEADLINE[delivery.phase]}`, "", ...steps(delivery, params.pullRequest), "", ending[delivery.phase]];
}

/** The new comment posted when a deployment fails, so that everyone subscribed to the issue is notified. */
export function renderDeliveryNotice(params: { delivery: Delivery; pullRequest: PullRequestLink }): string {
  const status = params.delivery.status;
  if (!status) return "";
  const what = params.delivery.phase === "degraded" ? "is degraded" : "failed to sync";
  return [
    `### ${HEADLINE[params.delivery.phase]}`,
    "",
    `Argo CD reports that Application ${codeSpan(status.application, 253)} ${what} at ${commitLink(params.pullRequest, status.commit)}${describe(status)}`,
    ...(status.targetUrl ? ["", link("Open it in Argo CD", status.targetUrl)] : []),
    "",
    "This issue stays open until Argo CD reports it synced and healthy; the status comment above follows each step.",
  ].join("\n");
}
