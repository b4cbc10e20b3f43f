import type { Finding } from "../policy/types.js";

/**
 * Keeps the findings a pull request's author should see: those in the files the pull request
 * changes, and those without a file. Findings elsewhere are not the author's to fix, with one
 * exception: an error in the base branch's own policy folder stays, because a broken policy judges
 * nothing and the check must not pass as if it had. A policy file the pull request changes is
 * judged in its new version by the caller, so the base version's problems with it are dropped.
 */
export function selectPullRequestFindings(params: {
  findings: readonly Finding[];
  /** Every path the pull request adds, modifies, renames or deletes. */
  changedFiles: ReadonlySet<string>;
  /** The GitOps repository's policy folder (normalised by the config schema), whose base version judged the pull request. */
  policiesPath: string;
}): Finding[] {
  const policies = `${params.policiesPath}/`;
  return params.findings.filter((finding) => {
    if (finding.file === "") return true;
    if (finding.file.startsWith(policies)) return finding.severity === "error" && !params.changedFiles.has(finding.file);
    return params.changedFiles.has(finding.file);
  });
}
