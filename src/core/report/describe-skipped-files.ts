import { formatCount } from "../format-count.js";
import type { SkippedFile, SkipReason } from "../manifests/types.js";
import { codeSpan, escapeText } from "./markdown.js";

/** What each reason means to a reader, in the order the reasons are listed. */
const REASONS: readonly [SkipReason, string][] = [
  ["unreadable", "could not be read (a symbolic link the bot does not follow, or a read error)"],
  ["too-large", "too large to read"],
  ["over-limit", "past the most files or bytes one check reads"],
  ["helm-chart", "inside Helm charts, which Argo CD renders with Helm (their templates are not YAML until rendered)"],
  ["kustomization", "Kustomize build files (the files they list are checked as they are; patches are not applied)"],
  ["jsonnet", "Jsonnet, which the bot does not evaluate"],
  ["no-kubernetes-object", "holding no Kubernetes object (Argo CD ignores such files too)"],
  ["excluded", "excluded by the platform configuration's `exclude` globs"],
];

const LISTED = 10;

/**
 * Says which candidate files were not judged and why, one line per reason with a count, for the
 * Check Run summary (`markdown`: paths as code spans, the first ten per reason) and the command
 * line (`text`: every path). Empty when every candidate was judged.
 */
export function describeSkippedFiles(params: { skipped: readonly SkippedFile[]; format: "markdown" | "text" }): string[] {
  const { skipped, format } = params;
  if (skipped.length === 0) return [];
  const lines: string[] = [];
  for (const [reason, meaning] of REASONS) {
    const files = skipped.filter((s) => s.reason === reason);
    if (files.length === 0) continue;
    const count = `${formatCount(files.length)} file${files.length === 1 ? "" : "s"} ${meaning}`;
    if (format === "text") {
      lines.push(`  ${count}:`, ...files.map((f) => `    ${f.path}${f.detail ? ` (${f.detail})` : ""}`));
    } else {
      const shown = files
        .slice(0, LISTED)
        .map((f) => `${codeSpan(f.path, 200)}${f.detail && reason !== "helm-chart" ? ` (${escapeText(f.detail)})` : ""}`);
      const charts =
        reason === "helm-chart" ? ` (${[...new Set(files.map((f) => f.detail ?? ""))].map((d) => escapeText(d)).join("; ")})` : "";
      const more = files.length > LISTED ? `, and ${formatCount(files.length - LISTED)} more` : "";
      lines.push(`- ${count}${charts}: ${shown.join(", ")}${more}.`);
    }
  }
  const total = `${formatCount(skipped.length)} file${skipped.length === 1 ? "" : "s"}`;
  const title = format === "text" ? `Not judged: ${total} Argo CD could read.` : `**Not judged: ${total}** that Argo CD could read.`;
  return [title, ...lines];
}
