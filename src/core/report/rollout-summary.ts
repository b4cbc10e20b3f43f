import { z } from "zod";
import type { Problem } from "../problems.js";
import { codeSpan, escapeInline, link, linkText, plural } from "./markdown.js";

/** How the bot finds its rollout issue in the GitOps repository again (with its author and label). */
export const ROLLOUT_MARKER = "<!-- gitops-bot:rollout -->";
export const ROLLOUT_ISSUE_TITLE = "gitops-bot: template rollout";
/** The label of the rollout issue: one listing request finds it. */
export const ROLLOUT_LABEL = "gitops-bot-rollout";
const MAX_BODY = 60_000;
const MAX_LISTED = 200;
/** Waiting upgrades the issue remembers (about 40 KB of paths); more are left to the next rollout, and the issue says so. */
export const MAX_REMEMBERED = 1_000;

/**
 * What the rollout issue remembers between events: the upgrades waiting for a free pull request
 * slot, each with the commit before the change that caused it (its previous template version).
 * Read back from an issue body that people with write access can edit: parsed like any input.
 */
export const RolloutStateSchema = z
  .object({
    v: z.literal(1),
    pending: z
      .array(
        z
          .object({ before: z.string().regex(/^[0-9a-f]{40}$/), applications: z.array(z.string().min(1).max(500)).max(MAX_REMEMBERED) })
          .strict(),
      )
      .max(100),
  })
  .strict();
export type RolloutState = z.infer<typeof RolloutStateSchema>;

const STATE = /<!-- gitops-bot:rollout-state (\{.*?\}) -->/s;

/** Reads the state of a rollout issue body; an empty state when absent or not valid. */
export function parseRolloutState(body: string | null): RolloutState {
  const match = body === null ? null : STATE.exec(body);
  if (!match) return { v: 1, pending: [] };
  try {
    const parsed = RolloutStateSchema.safeParse(JSON.parse(match[1]!));
    return parsed.success ? parsed.data : { v: 1, pending: [] };
  } catch {
    return { v: 1, pending: [] };
  }
}

/** What one rollout did, for its issue. */
export interface RolloutReport {
  /** The base branch commit whose catalog was rolled out, and its web address. */
  commit: string;
  commitUrl: string | null;
  templates: readonly string[];
  /** Upgrade pull requests opened or updated by this run. */
  published: readonly { application: string; number: number; url: string; created: boolean; handEdits: number }[];
  /** Instances whose rendering the change does not alter: nothing was written for them. */
  unchanged: number;
  pending: readonly { application: string; template: string; before: string }[];
  failed: readonly { application: string; problems: readonly Problem[] }[];
  /** Problems of the catalog itself: nothing was rolled out. */
  catalogProblems: readonly Problem[];
  limit: number;
}

/** True when the report has something a person must see or that must be remembered. */
export function needsRolloutIssue(report: RolloutReport): boolean {
  return report.pending.length > 0 || report.failed.length > 0 || report.catalogProblems.length > 0;
}

function renderProblem(p: Problem): string {
  return `${escapeInline(p.message, 400)}${p.hint ? ` ${escapeInline(p.hint, 300)}` : ""}`;
}

function listed<T>(items: readonly T[], line: (item: T) => string): string[] {
  const shown = items.slice(0, MAX_LISTED).map(line);
  if (items.length > MAX_LISTED) shown.push(`- …and ${items.length - MAX_LISTED} more.`);
  return shown;
}

/**
 * The rollout issue: the last template change rolled out, the upgrade pull requests it opened,
 * what waits for the open pull request limit (and follows as open ones merge or close), and what
 * could not be upgraded and why. The state of the waiting upgrades rides along in a hidden marker.
 */
export function renderRolloutSummary(report: RolloutReport): string {
  const commit = report.commitUrl ? link(linkText(report.commit.slice(0, 12)), report.commitUrl) : codeSpan(report.commit.slice(0, 12));
  const lines: string[] = [ROLLOUT_MARKER, "### Template rollout", ""];
  lines.push(
    `Last rollout: ${report.templates.length > 0 ? report.templates.map((t) => codeSpan(t, 63)).join(", ") : "no template"} at ${commit}: ${plural(report.published.length, "upgrade pull request")} opened or updated, ${plural(report.pending.length, "upgrade")} waiting, ${report.failed.length} not upgraded, ${report.unchanged} unchanged.`,
  );
  if (report.catalogProblems.length > 0) {
    lines.push(
      "",
      "#### ❌ The catalog has problems: nothing was rolled out",
      "",
      ...listed(
        report.catalogProblems,
        (p) => `- ${renderProblem(p)}${p.file ? ` (${codeSpan(p.file, 200)}${p.line !== undefined ? `:${p.line}` : ""})` : ""}`,
      ),
    );
  }
  if (report.published.length > 0) {
    lines.push(
      "",
      "#### Upgrade pull requests",
      "",
      ...listed(
        report.published,
        (p) =>
          `- ${link(`#${p.number}`, p.url)} ${codeSpan(p.application, 200)}${p.created ? " (new)" : ""}${p.handEdits > 0 ? `: ${plural(p.handEdits, "file")} edited by hand, review needed` : ""}`,
      ),
    );
  }
  if (report.pending.length > 0) {
    lines.push(
      "",
      `#### ⏳ Waiting (${report.pending.length})`,
      "",
      `At most ${report.limit} upgrade pull requests are open at once (\`rollout.maxOpenPullRequests\`); these follow as open ones merge or close.`,
      "",
      ...listed(report.pending, (p) => `- ${codeSpan(p.application, 200)} (${codeSpan(p.template, 63)})`),
    );
  }
  if (report.failed.length > 0) {
    lines.push(
      "",
      `#### ⚠️ Not upgraded (${report.failed.length})`,
      "",
      ...listed(report.failed, (f) => `- ${codeSpan(f.application, 200)}: ${f.problems.slice(0, 3).map(renderProblem).join(" ")}`),
    );
  }
  if (!needsRolloutIssue(report))
    lines.push("", "Nothing is waiting. This issue is closed; it opens again when a rollout has to wait or fails.");
  if (report.pending.length > MAX_REMEMBERED)
    lines.push(
      "",
      `Only the first ${MAX_REMEMBERED} waiting upgrades are remembered; the others follow with the next template change, or run \`gitops-bot upgrade\` in a clone.`,
    );
  const groups = new Map<string, string[]>();
  for (const p of report.pending.slice(0, MAX_REMEMBERED)) groups.set(p.before, [...(groups.get(p.before) ?? []), p.application]);
  const state: RolloutState = { v: 1, pending: [...groups].map(([before, applications]) => ({ before, applications })) };
  // `<`, `>` and `&` escaped as JSON unicode escapes: no value can close the HTML comment.
  const marker = `<!-- gitops-bot:rollout-state ${JSON.stringify(state).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)} -->`;
  const text = lines.join("\n");
  const budget = MAX_BODY - marker.length - 100;
  return `${text.length <= budget ? text : `${text.slice(0, budget)}\n\n…(cut to fit GitHub's limit)`}\n\n${marker}\n`;
}
