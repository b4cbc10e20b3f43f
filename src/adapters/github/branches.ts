import type { FileWrite } from "../../ports.js";
import { isReferenceExists, nullIfNotFound, withContext } from "./errors.js";
import { gitTreeSha } from "./git-tree-sha.js";
import type { GitHubRepository } from "./github-repository.js";
import type { BaseSnapshot } from "./repository-contents.js";

/** Writing a branch: one tree, one commit, one ref write, converging with what is already there. */
export class Branches {
  readonly #github: GitHubRepository;

  constructor(github: GitHubRepository) {
    this.#github = github;
  }

  /** The head commit and root tree of a branch, or null when it does not exist. */
  async getBranchHead(branch: string): Promise<{ commit: string; tree: string } | null> {
    const found = await nullIfNotFound(this.#github.octokit.rest.repos.getBranch({ ...this.#github.at, branch }));
    return found ? { commit: found.data.commit.sha, tree: found.data.commit.commit.tree.sha } : null;
  }

  /**
   * Makes `branch` hold the base commit plus `changes` in one commit: one tree (inline contents),
   * one commit, one ref write. Writes nothing when the branch's tree already equals the result.
   * `branchMayExist: false` skips the up-front branch read (a first request): a branch that
   * exists anyway is detected by GitHub's 422 and converged.
   */
  async ensureBranchCommit(params: {
    base: BaseSnapshot;
    branch: string;
    message: string;
    changes: readonly FileWrite[];
    branchMayExist: boolean;
  }): Promise<{ commit: string | null; created: boolean }> {
    const { octokit, at } = this.#github;
    const { base, branch } = params;
    const existing = new Set(base.entries.map((e) => e.path));
    // GitHub rejects the whole tree when `sha: null` names a path that does not exist.
    const changes = params.changes.filter((c) => c.content !== null || existing.has(c.path));
    let head = params.branchMayExist ? await this.getBranchHead(branch) : null;
    // The tree SHA is computed only when there is a branch to compare with: it hashes every folder.
    const expectedTree = head && base.complete ? gitTreeSha({ entries: base.entries, changes }) : null;
    if (head && expectedTree !== null && head.tree === expectedTree) return { commit: null, created: false };

    const modes = new Map(base.entries.map((e) => [e.path, e.mode]));
    const { data: tree } = await octokit.rest.git.createTree({
      ...at,
      base_tree: base.tree,
      tree: changes.map((c) =>
        c.content === null
          ? { path: c.path, mode: "100644" as const, type: "blob" as const, sha: null }
          : {
              path: c.path,
              mode: modes.get(c.path) === "100755" ? ("100755" as const) : ("100644" as const),
              type: "blob" as const,
              content: c.content,
            },
      ),
    });
    if (head && head.tree === tree.sha) return { commit: null, created: false };

    const { data: commit } = await octokit.rest.git.createCommit({
      ...at,
      message: params.message,
      tree: tree.sha,
      parents: [base.commit],
    });
    if (head) {
      await octokit.rest.git.updateRef({ ...at, ref: `heads/${branch}`, sha: commit.sha, force: true });
      return { commit: commit.sha, created: false };
    }
    try {
      await octokit.rest.git.createRef({ ...at, ref: `refs/heads/${branch}`, sha: commit.sha });
      return { commit: commit.sha, created: true };
    } catch (error) {
      if (!isReferenceExists(error)) throw withContext(`creating branch ${branch}`, error);
    }
    // Another replica or an earlier run made the branch: keep it if it already holds our tree.
    head = await this.getBranchHead(branch);
    if (head && head.tree === tree.sha) return { commit: null, created: false };
    await octokit.rest.git.updateRef({ ...at, ref: `heads/${branch}`, sha: commit.sha, force: true });
    return { commit: commit.sha, created: false };
  }

  /**
   * Adds one commit of `changes` on top of `base.commit` at the tip of `branch`, as a fast-forward
   * only: a push that happened meanwhile is never overwritten (GitHub's 422 for a non-fast-forward
   * gives null, and so does a change that leaves the tree as it is). Three writes.
   */
  async appendCommit(params: {
    base: BaseSnapshot;
    branch: string;
    message: string;
    changes: readonly FileWrite[];
  }): Promise<string | null> {
    const { octokit, at } = this.#github;
    const { base } = params;
    const changes = params.changes.filter((c) => c.content !== null);
    if (changes.length === 0 || (base.complete && gitTreeSha({ entries: base.entries, changes }) === base.tree)) return null;
    const { data: tree } = await octokit.rest.git.createTree({
      ...at,
      base_tree: base.tree,
      tree: changes.map((c) => ({ path: c.path, mode: "100644" as const, type: "blob" as const, content: c.content ?? "" })),
    });
    if (tree.sha === base.tree) return null;
    const { data: commit } = await octokit.rest.git.createCommit({
      ...at,
      message: params.message,
      tree: tree.sha,
      parents: [base.commit],
    });
    try {
      await octokit.rest.git.updateRef({ ...at, ref: `heads/${params.branch}`, sha: commit.sha, force: false });
    } catch (error) {
      if ((error as { status?: number }).status === 422) return null;
      throw withContext(`adding a commit to ${params.branch}`, error);
    }
    return commit.sha;
  }
}
