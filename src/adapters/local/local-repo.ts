import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { resolveSymlink } from "../../core/manifests/resolve-symlink.js";
import type { Problem } from "../../core/problems.js";
import { GitBlobBatch } from "./git-blob-batch.js";
import type { ChangePublisher, FileWrite, PublishResult, RepoReader, TreeEntry } from "../../ports.js";

const run = promisify(execFile);

/** Runs git with an argument array (never a shell string), optionally feeding stdin. */
async function git(cwd: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  if (options.input === undefined) {
    const { stdout } = await run("git", args, { cwd, env: options.env ?? process.env, maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  }
  return new Promise((resolve, reject) => {
    const child = execFile("git", args, { cwd, env: options.env ?? process.env, maxBuffer: 256 * 1024 * 1024 }, (error, stdout) => {
      // execFile's error is an Error; @types/node spells its type through Omit<>, which hides that.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      if (error) reject(error);
      else resolve(stdout);
    });
    child.stdin?.end(options.input);
  });
}

type Entry = { path: string; mode: string; type: string; sha: string };

/**
 * The workflow ports over a local clone of a GitOps repository, through real git plumbing:
 * files are read from the base branch and the request's branch is written with one commit
 * without touching the working tree or the current branch.
 *
 * Reads cost two git processes per command, not two per file: the base branch's tree is listed
 * once (`ls-tree -r`), and blobs come from one long-lived `git cat-file --batch`. The listing is a
 * snapshot of the base branch for the command; `publish` drops it, as it moves refs. `close()`
 * ends the batch process when the command is done.
 */
export class LocalRepo implements RepoReader, ChangePublisher {
  #entries: Promise<Map<string, Entry>> | null = null;
  readonly #blobs: GitBlobBatch;

  constructor(
    private readonly dir: string,
    private readonly baseBranch: string,
  ) {
    this.#blobs = new GitBlobBatch(dir);
  }

  async listFiles(): Promise<TreeEntry[]> {
    return [...(await this.listEntries()).values()].filter((e) => e.type === "blob").map((e) => ({ path: e.path, sha: e.sha }));
  }

  /**
   * A file's committed text at the base branch (`git cat-file`: no checkout filters, so no
   * `.gitattributes` rewrite). A symbolic link reads as the file it points to inside the
   * repository, as Argo CD reads it; a link leaving the repository, a chain or a dangling link reads
   * as null, and {@link linkProblem} says why.
   */
  async readFile(path: string): Promise<string | null> {
    const entry = await this.resolve(path);
    if (entry === null || "problem" in entry) return null;
    try {
      return await this.#blobs.read(entry.sha);
    } catch {
      return null;
    }
  }

  /** Why a symbolic link at `path` is not followed, or null when it is no link or a good one. */
  async linkProblem(path: string): Promise<Problem | null> {
    const entry = await this.resolve(path);
    return entry !== null && "problem" in entry ? entry.problem : null;
  }

  /** Ends the git process that reads blobs (a later read starts another). */
  close(): void {
    this.#blobs.close();
  }

  /** The base branch's whole tree, files and folders, listed once per command (a failed listing is not kept). */
  private listEntries(): Promise<Map<string, Entry>> {
    this.#entries ??= this.listTree().catch((error: unknown) => {
      this.#entries = null;
      throw error;
    });
    return this.#entries;
  }

  private async listTree(): Promise<Map<string, Entry>> {
    const out = await git(this.dir, ["ls-tree", "-r", "-t", "-z", "--full-tree", this.baseBranch]);
    const entries = new Map<string, Entry>();
    for (const record of out.split("\0")) {
      if (record === "") continue;
      const tab = record.indexOf("\t");
      const [mode = "", type = "", sha = ""] = record.slice(0, tab).split(" ");
      entries.set(record.slice(tab + 1), { path: record.slice(tab + 1), mode, type, sha });
    }
    return entries;
  }

  private async resolve(path: string): Promise<{ sha: string } | { problem: Problem } | null> {
    const entries = await this.listEntries().catch(() => new Map<string, Entry>());
    const entry = entries.get(path);
    if (!entry || entry.type !== "blob") return null;
    if (entry.mode !== "120000") return entry;
    const target = await this.#blobs.read(entry.sha);
    if (target === null) return null;
    const resolution = resolveSymlink({
      path,
      target,
      kindOf: (p) => {
        const found = entries.get(p);
        return found === undefined
          ? undefined
          : found.type === "tree"
            ? "folder"
            : found.type !== "blob"
              ? "other"
              : found.mode === "120000"
                ? "link"
                : "file";
      },
    });
    if (!resolution.ok) return { problem: resolution.problem };
    return entries.get(resolution.path) ?? null;
  }

  /** The commit a branch points at, or null when it does not exist. */
  async resolveBranch(branch: string): Promise<string | null> {
    try {
      return (await git(this.dir, ["rev-parse", "--verify", "--quiet", `refs/heads/${branch}^{commit}`])).trim();
    } catch {
      return null;
    }
  }

  async publish(params: { branch: string; baseBranch: string; commitMessage: string; changes: FileWrite[] }): Promise<PublishResult> {
    this.#entries = null;
    const base = (await git(this.dir, ["rev-parse", "--verify", `${params.baseBranch}^{commit}`])).trim();
    const tree = await this.writeTree(base, params.changes);
    const current = await this.resolveBranch(params.branch);
    if (current !== null) {
      const [currentTree, currentParent] = (await git(this.dir, ["show", "-s", "--format=%T %P", current])).trim().split(" ");
      // Converge: the branch already holds exactly this change on top of the base, so write nothing.
      if (currentTree === tree && currentParent === base) return { commit: null, pullRequest: null, warnings: [] };
    }
    const commit = (
      await git(this.dir, ["commit-tree", tree, "-p", base, "-m", params.commitMessage], {
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: "gitops-bot",
          GIT_AUTHOR_EMAIL: "gitops-bot@users.noreply.github.com",
          GIT_COMMITTER_NAME: "gitops-bot",
          GIT_COMMITTER_EMAIL: "gitops-bot@users.noreply.github.com",
        },
      })
    ).trim();
    await git(this.dir, ["update-ref", `refs/heads/${params.branch}`, commit]);
    return { commit, pullRequest: null, warnings: [] };
  }

  /**
   * Builds base's tree plus the changes in a private index, so the user's index stays untouched.
   * Blobs are hashed in one `hash-object` and staged in one `update-index`, whatever the file count.
   */
  private async writeTree(base: string, changes: readonly FileWrite[]): Promise<string> {
    const gitDir = (await git(this.dir, ["rev-parse", "--absolute-git-dir"])).trim();
    const scratch = await mkdtemp(join(tmpdir(), "gitops-bot-blobs-"));
    const env = { ...process.env, GIT_INDEX_FILE: join(gitDir, `gitops-bot-index-${process.pid}`) };
    try {
      await git(this.dir, ["read-tree", base], { env });
      const writes = changes.filter((c): c is FileWrite & { content: string } => c.content !== null);
      const blobFiles = await Promise.all(
        writes.map(async (change, i) => {
          const file = join(scratch, String(i));
          await writeFile(file, change.content);
          return file;
        }),
      );
      const shas = writes.length > 0 ? (await git(this.dir, ["hash-object", "-w", "--", ...blobFiles])).trim().split("\n") : [];
      const zero = "0".repeat(40);
      const lines = [
        ...changes.filter((c) => c.content === null).map((c) => `0 ${zero}\t${c.path}`),
        ...writes.map((c, i) => `100644 ${shas[i]}\t${c.path}`),
      ];
      if (lines.length > 0) await git(this.dir, ["update-index", "--index-info"], { env, input: `${lines.join("\n")}\n` });
      return (await git(this.dir, ["write-tree"], { env })).trim();
    } finally {
      await rm(env.GIT_INDEX_FILE, { force: true });
      await rm(scratch, { recursive: true, force: true });
    }
  }
}
