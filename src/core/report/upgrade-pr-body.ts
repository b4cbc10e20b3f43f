import type { Changeset } from "../plan/plan-changeset.js";
import type { InstanceUpgrade } from "../rollout/plan-instance-upgrade.js";
import { codeSpan, fencedBlock, keepLinesWithin, link, linkText, mention, plural, utf8Length } from "./markdown.js";
import { issueMarker, MAX_BODY } from "./pr-body.js";

/** What caused an upgrade: the template change on the base branch. */
export interface UpgradeCause {
  /** The commit of the base branch whose templates the upgrade renders (the push's head). */
  commit: string;
  /** Web address of that commit, or null when there is none (a local clone). */
  commitUrl: string | null;
  /** Templates whose change reached this instance. */
  templates: readonly string[];
}

/** Title of an instance's upgrade pull request: stable across later template changes, so one PR is updated. */
export function renderUpgradeTitle(upgrade: Pick<InstanceUpgrade, "instance">): string {
  const { template, values, size } = upgrade.instance.request;
  return `Upgrade ${template} ${values.team ?? ""}/${values.name ?? ""} in ${values.environment ?? ""} (${size}) to the current template`;
}

function counts(changeset: Changeset): string {
  const by = (kind: string) => changeset.changes.filter((c) => c.kind === kind).length;
  return `${by("added")} added, ${by("changed")} changed, ${by("deleted")} deleted`;
}

/** The hand edits section: what was merged, kept, or overwritten with the lines that are lost. */
function driftSection(upgrade: InstanceUpgrade, budget: number): string {
  if (upgrade.drift.length === 0) return upgrade.baseKnown ? "No file was edited by hand since the bot last wrote it." : "";
  const parts: string[] = ["### ⚠️ Files edited by hand since the bot last wrote them"];
  const overwritten = upgrade.drift.filter((d) => d.upgrade.kind === "overwritten");
  for (const { path, upgrade: file } of upgrade.drift) {
    if (file.kind === "merged")
      parts.push(`- ${codeSpan(path, 200)}: **edit kept**: the template's change was merged into it (three-way merge); check the result.`);
    else if (file.kind === "kept")
      parts.push(
        `- ${codeSpan(path, 200)}: **kept**: the template no longer renders this file, but it was edited; delete it in this pull request if it is no longer needed.`,
      );
    else if (file.kind === "overwritten") {
      const why =
        file.reason === "deleted-by-hand"
          ? "it was deleted by hand and is **recreated**"
          : file.reason === "no-base"
            ? "the text the bot last rendered is unknown, so the edit could not be merged; it is **overwritten**"
            : "the edit conflicts with the template's change: there the template's lines **overwrite** it (its other edits are kept)";
      parts.push(`- ${codeSpan(path, 200)}: ${why}.`);
      if (file.lostLines.length > 0) {
        const { kept, dropped } = keepLinesWithin({
          lines: file.lostLines.map((l) => `-${l}`),
          budget: Math.max(200, Math.floor(budget / Math.max(1, overwritten.length)) - 200),
        });
        parts.push(
          `  Lines lost${dropped > 0 ? ` (first ${kept.length} of ${kept.length + dropped})` : ""}:\n\n${fencedBlock("diff", kept.join("\n")).replace(/^/gm, "  ")}`,
        );
      }
    }
  }
  if (overwritten.length > 0)
    parts.push(
      "",
      "**Review needed:** put back what is still wanted before merging (edit this branch), or close this pull request to keep the file as it is.",
    );
  return parts.join("\n");
}

/**
 * The body of an instance's upgrade pull request: the template change that caused it (commit),
 * the request issue, the files, every hand edit that was merged, kept or overwritten (with the
 * lost lines), and the diff. Degrades to the file list, then to counts, within GitHub's limit;
 * the hand edits are never cut before the diff is.
 */
export function renderUpgradeBody(params: { upgrade: InstanceUpgrade; cause: UpgradeCause; issueUrl: string | null }): string {
  const { upgrade, cause } = params;
  const { request } = upgrade.instance;
  const commit = cause.commitUrl ? link(linkText(cause.commit.slice(0, 12)), cause.commitUrl) : codeSpan(cause.commit.slice(0, 12));
  const templates = cause.templates.map((t) => codeSpan(t, 63)).join(", ");
  const intro = [
    `**Upgrade** of ${codeSpan(`${request.values.team ?? ""}/${request.values.name ?? ""}`, 130)} in ${codeSpan(request.values.environment ?? "", 63)}: the catalog changed (${templates}) at ${commit}, so this request is rendered again with its recorded template ${codeSpan(request.template, 63)}, size ${codeSpan(request.size, 30)} and values.`,
    request.issue && params.issueUrl
      ? `Request issue: ${link(linkText(`${request.issue.repository}#${request.issue.number}`), params.issueUrl)}.`
      : "The request was made without an issue (the command line).",
    upgrade.reviewers.length > 0 ? `Approval needed from: ${upgrade.reviewers.map(mention).join(", ")}.` : "",
  ].filter((line) => line !== "");
  const head = `${request.issue ? `${issueMarker(request.issue)}\n` : ""}${intro.join("\n\n")}\n\n`;
  const footer =
    "\n\n<sub>Generated by gitops-bot when a template changed. Merge it to apply the new template, or close it to keep this service as it is; the policy check judges the result.</sub>";
  const list = upgrade.changeset.changes.map((c) => `- ${c.kind}: ${codeSpan(c.path, 200)}`).join("\n");
  const drift = driftSection(upgrade, Math.floor(MAX_BODY / 2));
  const files = `### Files (${counts(upgrade.changeset)})\n\n`;
  const withDiff = `${head}${drift}\n\n${files}${list}\n\n<details><summary>Rendered diff</summary>\n\n${fencedBlock("diff", upgrade.changeset.diff)}\n</details>${footer}`;
  if (utf8Length(withDiff, MAX_BODY) <= MAX_BODY) return withDiff;
  const withList = `${head}${drift}\n\n${files}${list}\n\nThe diff is too large to show here; see the Files changed tab.${footer}`;
  if (utf8Length(withList, MAX_BODY) <= MAX_BODY) return withList;
  return `${head}${drift}\n\n${files}${plural(upgrade.changeset.changes.length, "file")}; the list is too long to show here, see the Files changed tab.${footer}`;
}
