import { createHash } from "node:crypto";
import type { FileFacts } from "../../core/manifests/plan-manifest-reads.js";
import { resolveSymlink, type PathKind } from "../../core/manifests/resolve-symlink.js";
import type { CommitReader } from "../../ports.js";
import type { GitTreeEntry } from "./git-tree-sha.js";
import { ArchiveTooLargeError, readTarball } from "./read-tarball.js";

/** Blob texts by SHA, shared across checks: only ever filled with the committed bytes of that SHA. */
export interface BlobTextCache {
  get(sha: string): string | undefined;
  set(sha: string, text: string): void;
}

/** A commit as the policy check reads it: the CommitReader port, with batching and facts before reading always there. */
export interface GitHubCommitReader extends CommitReader {
  /** Announces many reads at once: from {@link ARCHIVE_THRESHOLD} uncached files on, one archive replaces a request per blob. */
  prefetch(paths: readonly string[]): Promise<void>;
  /** Size and blob SHA from the tree listing, and the problem of a symbolic link the check does not follow. */
  describeFile(path: string): Promise<FileFacts>;
  /** How many archive entries differed from the committed blob (export-subst, eol, ident...). */
  archiveMismatches(): number;
}

/**
 * From this many blobs to read on, one archive of the commit is fetched instead: a request per
 * blob would spend the installation's rate limit (and trip GitHub's secondary limits) on a large
 * repository, while one archive costs one request however many files it holds.
 */
export const ARCHIVE_THRESHOLD = 50;

/**
 * Reads one commit through the given GitHub calls: one listing, blobs on demand from the shared
 * cache first, an archive when many are wanted at once.
 *
 * What is judged is what is committed, because that is what Argo CD applies: `git archive` (and so
 * GitHub's tarball) rewrites files per `.gitattributes` (`export-subst` expands `$Format:…$`,
 * `eol`/`text` convert line endings, `ident` expands `$Id$`, `export-ignore` drops files), so every
 * archived file is hashed as a git blob and used only when its hash is the tree's blob SHA. Any other
 * is read through the git blobs API, and only committed bytes ever enter the cache under a SHA.
 *
 * Symbolic links (mode `120000`) are resolved as Argo CD resolves them ({@link resolveSymlink}):
 * a link to a file in the repository reads as that file; other links are problems, never their text.
 */
export function createCommitReader(params: {
  listEntries: () => Promise<GitTreeEntry[]>;
  readBlob: (sha: string) => Promise<string>;
  /** The commit's gzipped tarball, or null when GitHub has none. */
  downloadArchive: () => Promise<Uint8Array | null>;
  cache: BlobTextCache;
}): GitHubCommitReader {
  let listing: Promise<Map<string, GitTreeEntry>> | null = null;
  const load = () => (listing ??= params.listEntries().then((entries) => new Map(entries.map((e) => [e.path, e] as const))));
  // Verified archive texts stay here for this reader's life, whatever the shared cache evicts.
  const archived = new Map<string, string>();
  let mismatches = 0;
  const text = (sha: string) => archived.get(sha) ?? params.readBlob(sha);

  const resolve = async (path: string): Promise<{ entry: GitTreeEntry } | { facts: FileFacts } | null> => {
    const entries = await load();
    const entry = entries.get(path);
    if (!entry || entry.type !== "blob") return null;
    if (entry.mode !== "120000") return { entry };
    const resolution = resolveSymlink({ path, target: await text(entry.sha), kindOf: (p) => kindOf(entries, p) });
    if (!resolution.ok) return { facts: { problem: resolution.problem } };
    const target = entries.get(resolution.path);
    return target ? { entry: target } : null;
  };

  return {
    listFiles: async () => [...(await load()).values()].filter((e) => e.type === "blob").map((e) => ({ path: e.path, sha: e.sha })),
    readFile: async (path) => {
      const found = await resolve(path);
      return found && "entry" in found ? text(found.entry.sha) : null;
    },
    describeFile: async (path) => {
      const found = await resolve(path);
      if (found === null) return {};
      if ("facts" in found) return found.facts;
      return { sha: found.entry.sha, ...(found.entry.size === undefined ? {} : { size: found.entry.size }) };
    },
    prefetch: async (paths) => {
      const entries = await load();
      const missing = new Map<string, string>();
      for (const path of paths) {
        const entry = entries.get(path);
        if (entry && entry.type === "blob" && entry.mode !== "120000" && params.cache.get(entry.sha) === undefined)
          missing.set(path, entry.sha);
      }
      if (missing.size < ARCHIVE_THRESHOLD) return;
      let files: Map<string, Buffer>;
      try {
        // No archive, or one too large to unpack in memory: read blob by blob, as without prefetch.
        const archive = await params.downloadArchive();
        if (archive === null) return;
        files = readTarball(archive, (p) => missing.has(p));
      } catch (error) {
        if (error instanceof ArchiveTooLargeError) return;
        throw error;
      }
      for (const [path, bytes] of files) {
        const sha = missing.get(path) ?? "";
        // The archive showed other bytes than the commit holds: never judge them, never cache them.
        if (gitBlobShaOfBytes(bytes) !== sha) {
          mismatches += 1;
          continue;
        }
        const decoded = bytes.toString("utf8");
        archived.set(sha, decoded);
        params.cache.set(sha, decoded);
      }
    },
    archiveMismatches: () => mismatches,
  };
}

function kindOf(entries: ReadonlyMap<string, GitTreeEntry>, path: string): PathKind | undefined {
  const entry = entries.get(path);
  if (!entry) return undefined;
  if (entry.type === "tree") return "folder";
  if (entry.type !== "blob") return "other";
  return entry.mode === "120000" ? "link" : "file";
}

/** `git hash-object` of raw bytes: SHA-1 over `blob <length>\0<bytes>`. */
function gitBlobShaOfBytes(bytes: Uint8Array): string {
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}
