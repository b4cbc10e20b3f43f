import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { ChangePublisher, FileWrite, PublishResult, RepoReader, TreeEntry } from "../../ports.js";

const run = promisify(execFile);

/** Runs git with an argument array (never a shell string), optionally feeding stdin. */
async function git(cwd: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  if (options.input === undefined) {
    const { stdout } = await run("git", args, { cwd, env: options.env ?? process.env, maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  }
  return new Promise((resolve, reject) => {
    const child = execFile("git", args, { cwd, env: options.env ?? process.env, maxBuffer: 256 * 1024 * 1024 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
    child.stdin?.end(options.input);
  });
}

/**
 * The workflow ports over a local clone of a GitOps repository, through real git plumbing:
 * files are read from the base branch and the request's branch is written with one commit
 * without touching the working tree or the current branch.
 */
export class LocalRepo implements RepoReader, ChangePublisher {
  constructor(
    private readonly dir: string,
    private readonly baseBranch: string,
  ) {}

  async listFiles(): Promise<TreeEntry[]> {
    const out = await git(this.dir, ["ls-tree", "-r", "-z", "--full-tree", this.baseBranch]);
    const entries: TreeEntry[] = [];
    for (const record of out.split("\0")) {
      if (record === "") continue;
      const tab = record.indexOf("\t");
      const [, type, sha] = record.slice(0, tab).split(" ");
      if (type === "blob" && sha) entries.push({ path: record.slice(tab + 1), sha });
    }
    return entries;
  }

  async readFile(path: string): Promise<string | null> {
    try {
      return await git(this.dir, ["show", `${this.baseBranch}:${path}`]);
    } catch {
      return null;
    }
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
    const base = (await git(this.dir, ["rev-parse", "--verify", `${params.baseBranch}^{commit}`])).trim();
    const tree = await this.writeTree(base, params.changes);
    const current = await this.resolveBranch(params.branch);
    if (current !== null) {
      const [currentTree, currentParent] = (await git(this.dir, ["show", "-s", "--format=%T %P", current])).trim().split(" ");
      // Converge: the branch already holds exactly this change on top of the base, so write nothing.
      if (currentTree === tree && currentParent === base) return { commit: null, pullRequest: null };
    }
    const commit = (
      await git(this.dir, ["commit-tree", tree, "-p", base, "-m", params.commitMessage], {
        env: { ...process.env, GIT_AUTHOR_NAME: "gitops-bot", GIT_AUTHOR_EMAIL: "gitops-bot@users.noreply.github.com", GIT_COMMITTER_NAME: "gitops-bot", GIT_COMMITTER_EMAIL: "gitops-bot@users.noreply.github.com" },
      })
    ).trim();
    await git(this.dir, ["update-ref", `refs/heads/${params.branch}`, commit]);
    return { commit, pullRequest: null };
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
