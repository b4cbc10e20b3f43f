import type { CommitReader, PullRequestCheckPorts, TreeEntry } from "../ports.js";

/**
 * The change is what the head did since it branched: the merge base's tree against the head's,
 * two listings the check reads anyway (the base's is reused when the head branched from it), so
 * a 3,000-file change costs no more requests than a one-file one. A rename is its old path
 * removed and its new path added, both of which count; GitHub's file list is never needed.
 */
export async function changedSinceBranching(params: {
  ports: PullRequestCheckPorts;
  baseSha: string;
  base: CommitReader;
  head: CommitReader;
}): Promise<Set<string>> {
  const mergeBase = await params.ports.mergeBase();
  const from = mergeBase === null || mergeBase === params.baseSha ? params.base : params.ports.readCommit(mergeBase);
  return new Set(diffTrees(await from.listFiles(), await params.head.listFiles()));
}

/** Paths added, modified (another blob SHA or mode) or removed between two listings. */
function diffTrees(base: readonly TreeEntry[], head: readonly TreeEntry[]): string[] {
  const before = new Map(base.map((e) => [e.path, e.sha]));
  const changed: string[] = [];
  for (const entry of head) {
    if (before.get(entry.path) !== entry.sha) changed.push(entry.path);
    before.delete(entry.path);
  }
  return [...changed, ...before.keys()];
}
