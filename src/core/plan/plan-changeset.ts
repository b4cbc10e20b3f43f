import { createTwoFilesPatch } from "diff";

export type ChangeKind = "added" | "changed" | "deleted";

export interface FileChange {
  path: string;
  kind: ChangeKind;
  /** Text before the change; null for added files, or when not read (see `planChangeset`). */
  before: string | null;
  /** Text after the change; null for deleted files. */
  after: string | null;
}

export interface Changeset {
  changes: FileChange[];
  /** Unified diff of every change, in path order. */
  diff: string;
  isEmpty: boolean;
}

export interface ExistingFile {
  path: string;
  /** Git blob SHA of the current content. */
  sha: string;
}

interface PlanInput {
  desired: readonly { path: string; content: string }[];
  existing: readonly ExistingFile[];
  owned: (path: string) => boolean;
  hashBlob: (content: string) => string;
}

/**
 * Which files differ, by blob SHA, without any old text: added, changed and deleted paths in order.
 * The caller reads the old text of the changed and deleted ones for the diff.
 */
export function listChanges(params: PlanInput): { path: string; kind: ChangeKind }[] {
  const existing = new Map(params.existing.map((f) => [f.path, f.sha]));
  const desiredPaths = new Set(params.desired.map((f) => f.path));
  const changes: { path: string; kind: ChangeKind }[] = [];
  for (const file of params.desired) {
    const sha = existing.get(file.path);
    if (sha === undefined) changes.push({ path: file.path, kind: "added" });
    else if (sha !== params.hashBlob(file.content)) changes.push({ path: file.path, kind: "changed" });
  }
  for (const file of params.existing) {
    if (!desiredPaths.has(file.path) && params.owned(file.path)) changes.push({ path: file.path, kind: "deleted" });
  }
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Compares the desired files of a request with the repository's files.
 * - `desired`: rendered files (path + content); deletions come from `owned`.
 * - `existing`: every file of the base branch with its blob SHA; files are compared by SHA so
 *   unchanged files never need to be read.
 * - `owned`: decides which existing files belong to the request (its folder and Application);
 *   those that are no longer desired are deleted.
 * - `previous`: text of existing files whose SHA differs, for the diff (missing: shown as a full rewrite).
 * Provisioning the same request twice gives an empty changeset.
 */
export function planChangeset(params: PlanInput & { previous?: ReadonlyMap<string, string> }): Changeset {
  const content = new Map(params.desired.map((f) => [f.path, f.content]));
  const changes: FileChange[] = listChanges(params).map(({ path, kind }) => ({
    path,
    kind,
    before: kind === "added" ? null : (params.previous?.get(path) ?? null),
    after: kind === "deleted" ? null : (content.get(path) ?? null),
  }));
  return { changes, diff: renderDiff(changes), isEmpty: changes.length === 0 };
}

function renderDiff(changes: readonly FileChange[]): string {
  return changes
    .map((c) => {
      const oldName = c.kind === "added" ? "/dev/null" : `a/${c.path}`;
      const newName = c.kind === "deleted" ? "/dev/null" : `b/${c.path}`;
      const patch = createTwoFilesPatch(oldName, newName, c.before ?? "", c.after ?? "", undefined, undefined, { context: 3 });
      // The diff package prints an `Index:`/`====` banner; git-style headers read better in a PR.
      return patch.replace(/^=+\n/m, "").replace(/^Index: .*\n/m, "");
    })
    .join("");
}
