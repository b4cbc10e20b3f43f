import { createHash } from "node:crypto";
import { gitBlobSha } from "../git-blob-sha.js";

/** One entry of a recursive tree listing, as GitHub's `git/trees?recursive=1` returns it. */
export interface GitTreeEntry {
  path: string;
  /** `100644`, `100755`, `120000`, `160000`, or `040000` for a folder. */
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
  /** Size in bytes, for blobs (the listing tells, so large files need not be downloaded). */
  size?: number;
}

interface Folder {
  entries: Map<string, { mode: string; sha: string } | Folder>;
}

function isFolder(node: { mode: string; sha: string } | Folder): node is Folder {
  return "entries" in node;
}

function folderAt(root: Folder, parts: readonly string[]): Folder {
  let folder = root;
  for (const part of parts) {
    const next = folder.entries.get(part);
    if (next && isFolder(next)) {
      folder = next;
    } else {
      const created: Folder = { entries: new Map() };
      folder.entries.set(part, created);
      folder = created;
    }
  }
  return folder;
}

function hashFolder(folder: Folder): string | null {
  const rows: { name: string; sortKey: string; mode: string; sha: string }[] = [];
  for (const [name, node] of folder.entries) {
    if (isFolder(node)) {
      const sha = hashFolder(node);
      // Git never stores empty trees inside trees: a folder whose files were all deleted vanishes.
      if (sha !== null) rows.push({ name, sortKey: `${name}/`, mode: "40000", sha });
    } else {
      rows.push({ name, sortKey: name, mode: node.mode, sha: node.sha });
    }
  }
  if (rows.length === 0) return null;
  // Git orders entries by name bytes, comparing a folder as if its name ended in "/".
  rows.sort((a, b) => Buffer.compare(Buffer.from(a.sortKey, "utf8"), Buffer.from(b.sortKey, "utf8")));
  const body = Buffer.concat(rows.flatMap((row) => [Buffer.from(`${row.mode} ${row.name}\0`, "utf8"), Buffer.from(row.sha, "hex")]));
  return createHash("sha1").update(`tree ${body.length}\0`).update(body).digest("hex");
}

/**
 * The root tree id git would store for `entries` (a complete recursive listing) with `changes`
 * applied, so the gateway can tell "the branch already holds exactly this" without asking GitHub
 * to build the tree. Returns the empty tree's id when nothing is left.
 */
export function gitTreeSha(params: {
  entries: readonly GitTreeEntry[];
  changes: readonly { path: string; content: string | null }[];
}): string {
  const root: Folder = { entries: new Map() };
  for (const entry of params.entries) {
    // Folders are rebuilt from the paths of their contents; their listed ids would be stale after a change.
    if (entry.type === "tree") continue;
    const parts = entry.path.split("/");
    const name = parts.pop() as string;
    folderAt(root, parts).entries.set(name, { mode: entry.mode, sha: entry.sha });
  }
  for (const change of params.changes) {
    const parts = change.path.split("/");
    const name = parts.pop() as string;
    const folder = folderAt(root, parts);
    if (change.content === null) folder.entries.delete(name);
    else {
      const existing = folder.entries.get(name);
      const mode = existing && !isFolder(existing) && existing.mode === "100755" ? "100755" : "100644";
      folder.entries.set(name, { mode, sha: gitBlobSha(change.content) });
    }
  }
  return hashFolder(root) ?? EMPTY_TREE_SHA;
}

/** `git hash-object -t tree /dev/null`. */
export const EMPTY_TREE_SHA = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
