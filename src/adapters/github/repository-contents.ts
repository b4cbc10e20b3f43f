import { BOT_CONFIG_FILE } from "../../core/config/parse-bot-config.js";
import { problem } from "../../core/problems.js";
import type { RepoReader } from "../../ports.js";
import type { BlobCache } from "./blob-cache.js";
import { createCommitReader, type GitHubCommitReader } from "./commit-reader.js";
import { GitOpsRepositoryError, isRequestError, nullIfNotFound, withContext } from "./errors.js";
import type { GitTreeEntry } from "./git-tree-sha.js";
import type { GitHubRepository } from "./github-repository.js";

/** The base branch as read once per request: its commit, root tree and complete file listing. */
export interface BaseSnapshot {
  commit: string;
  tree: string;
  entries: GitTreeEntry[];
  /** False when GitHub could not list everything in one answer and folders were walked instead. */
  complete: boolean;
}

/** Why a configuration file could not be read, with its position when the YAML parser knew it. */
export interface ConfigReadError {
  reason: string;
  line?: number;
  column?: number;
}

const TREE_MODES = new Set(["100644", "100755", "040000", "160000", "120000"]);

function toTreeEntries(
  items: readonly { path?: string; mode?: string; type?: string; sha?: string; size?: number }[],
  prefix: string,
): GitTreeEntry[] {
  const entries: GitTreeEntry[] = [];
  for (const item of items) {
    if (!item.path || !item.sha || !item.mode || !TREE_MODES.has(item.mode)) continue;
    if (item.type !== "blob" && item.type !== "tree" && item.type !== "commit") continue;
    entries.push({
      path: `${prefix}${item.path}`,
      mode: item.mode,
      type: item.type,
      sha: item.sha,
      ...(typeof item.size === "number" ? { size: item.size } : {}),
    });
  }
  return entries;
}

/** Reading a repository: tree listings, blobs (through the shared cache), archives, files and config. */
export class RepositoryContents {
  readonly #github: GitHubRepository;
  readonly #blobs: BlobCache;

  constructor(params: { github: GitHubRepository; blobs: BlobCache }) {
    this.#github = params.github;
    this.#blobs = params.blobs;
  }

  /** Reads the base branch: its head commit, then one recursive tree listing at that commit. */
  async readBase(baseBranch: string): Promise<BaseSnapshot> {
    const { octokit, at, fullName } = this.#github;
    const ref = await nullIfNotFound(octokit.rest.git.getRef({ ...at, ref: `heads/${baseBranch}` })).catch((error: unknown) => {
      throw withContext(`reading branch ${baseBranch} of ${fullName}`, error);
    });
    if (ref === null) {
      throw new GitOpsRepositoryError(
        problem(
          "gitops.base-branch-missing",
          `The GitOps repository \`${fullName}\` has no branch \`${baseBranch}\`, or the App cannot read it.`,
          {
            file: BOT_CONFIG_FILE,
            path: "gitops",
            hint: "Check `gitops.repository` and `gitops.baseBranch`, and install the App on that repository.",
          },
        ),
      );
    }
    const commit = ref.data.object.sha;
    // Listing by commit (not by branch name) keeps the listing and the parent of our commit in step.
    const { tree, entries, complete } = await this.#listTree(commit, "");
    return { commit, tree, entries, complete };
  }

  async #listTree(treeish: string, prefix: string): Promise<{ tree: string; entries: GitTreeEntry[]; complete: boolean }> {
    const { octokit, at } = this.#github;
    const { data } = await octokit.rest.git.getTree({ ...at, tree_sha: treeish, recursive: "1" });
    if (!data.truncated) return { tree: data.sha, entries: toTreeEntries(data.tree, prefix), complete: true };
    // GitHub caps recursive listings (100,000 entries / 7 MB); walk the folders one level at a time then.
    const { data: level } = await octokit.rest.git.getTree({ ...at, tree_sha: treeish });
    const entries: GitTreeEntry[] = [];
    for (const entry of toTreeEntries(level.tree, prefix)) {
      entries.push(entry);
      if (entry.type === "tree") entries.push(...(await this.#listTree(entry.sha, `${entry.path}/`)).entries);
    }
    return { tree: data.sha, entries, complete: false };
  }

  /** The files of a commit: one recursive tree listing (GitHub answers by commit SHA as well). */
  async readCommit(commit: string): Promise<BaseSnapshot> {
    const { tree, entries, complete } = await this.#listTree(commit, "");
    return { commit, tree, entries, complete };
  }

  /**
   * Reads one commit of this repository, a pull request's head from a fork included (GitHub keeps
   * it in the base repository): one listing, then blobs on demand, from the shared cache first, an
   * archive when many are announced; archived files count only where they equal the committed
   * blob, and symbolic links are resolved inside the repository (see `createCommitReader`).
   */
  commitReader(commit: string, snapshot?: () => Promise<BaseSnapshot>): GitHubCommitReader {
    return createCommitReader({
      // A snapshot already read (the base branch of a rollout) saves the listing request.
      listEntries: async () => (await (snapshot ? snapshot() : this.readCommit(commit))).entries,
      readBlob: (sha) => this.readBlob(sha),
      // GitHub documents only the redirect, but answers 404 for an unknown ref.
      downloadArchive: () => nullIfNotFound(this.downloadArchive(commit)),
      cache: this.#blobs,
    });
  }

  /** The RepoReader port over one base branch: one snapshot per request, blobs read on demand. */
  repoReader(baseBranch: string): RepoReader & { snapshot(): Promise<BaseSnapshot> } {
    let snapshot: Promise<BaseSnapshot> | null = null;
    const load = () => (snapshot ??= this.readBase(baseBranch));
    // The same reader as the policy check's: symbolic links resolve inside the repository, so a
    // linked template file reads as its target, never as the link's text.
    const reader = this.commitReader("", load);
    return { snapshot: load, listFiles: () => reader.listFiles(), readFile: (path) => reader.readFile(path) };
  }

  /**
   * The gzipped tar archive of a commit: one API request (GitHub answers with a redirect to its
   * download host, which fetch follows). https://docs.github.com/rest/repos/contents#download-a-repository-archive-tar
   */
  async downloadArchive(commit: string): Promise<Uint8Array> {
    const { data } = await this.#github.octokit.rest.repos.downloadTarballArchive({ ...this.#github.at, ref: commit });
    return new Uint8Array(data as ArrayBuffer);
  }

  /** A blob's text by SHA (cached: a blob never changes). */
  async readBlob(sha: string): Promise<string> {
    const cached = this.#blobs.get(sha);
    if (cached !== undefined) return cached;
    const { data } = await this.#github.octokit.rest.git.getBlob({ ...this.#github.at, file_sha: sha });
    const text = data.encoding === "base64" ? Buffer.from(data.content, "base64").toString("utf8") : data.content;
    this.#blobs.set(sha, text);
    return text;
  }

  /** A text file of the default branch (or of `ref`), or null when it does not exist (raw media type: no base64). */
  async readTextFile(path: string, ref?: string): Promise<string | null> {
    const found = await nullIfNotFound(
      this.#github.octokit.rest.repos.getContent({ ...this.#github.at, path, mediaType: { format: "raw" }, ...(ref ? { ref } : {}) }),
    );
    return found === null ? null : typeof found.data === "string" ? found.data : null;
  }

  /**
   * A configuration file through Probot's config loader (so `_extends` works): the merged
   * content, null when the file does not exist, or why it could not be read. `ref` reads this
   * repository's file at a commit or branch instead of the default branch (`_extends` bases
   * always come from their repository's default branch).
   */
  async readConfig(path: string, ref?: string): Promise<{ raw: unknown } | { error: ConfigReadError }> {
    try {
      const { config, files } = await this.#github.octokit.config.get({ ...this.#github.at, path, ...(ref ? { branch: ref } : {}) });
      return { raw: files.some((f) => f.config !== null) ? config : null };
    } catch (error) {
      if (isRequestError(error)) throw withContext(`reading ${path} of ${this.#github.fullName}`, error);
      // The loader throws plain errors for bad YAML and bad `_extends`; its cause has the position.
      const cause = (error as { cause?: { message?: unknown; linePos?: { line: number; col: number }[] } }).cause;
      const position = cause?.linePos?.[0];
      const reason =
        typeof cause?.message === "string"
          ? cause.message.split("\n")[0]!
          : (error as Error).message.replace(/^\[@probot\/octokit-plugin-config\] /, "");
      return { error: { reason, ...(position ? { line: position.line, column: position.col } : {}) } };
    }
  }
}
