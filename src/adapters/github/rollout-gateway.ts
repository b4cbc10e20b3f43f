import type { GitHubGateway } from "./gateway.js";
import type { GitHubOctokit } from "./github-repository.js";
import type { BaseSnapshot } from "./repository-contents.js";
import { hasStatus } from "./errors.js";

/** The rollout issue as found: its number, body and state. */
export interface RolloutIssue {
  number: number;
  body: string;
  state: "open" | "closed";
}

/**
 * The GitHub calls only a template rollout makes, next to the gateway they extend (the gateway
 * keeps branches, pull requests and blobs): the open pull requests of the base branch, and the
 * rollout issue of the GitOps repository, found by label and marker and edited in place.
 */
export class RolloutGateway {
  readonly #octokit: GitHubOctokit;
  readonly #gateway: GitHubGateway;

  constructor(params: { octokit: GitHubOctokit; gateway: GitHubGateway }) {
    this.#octokit = params.octokit;
    this.#gateway = params.gateway;
  }

  /**
   * The base branch for a rollout: one snapshot (ref and listing), blobs from the shared cache,
   * and one archive of the commit instead of a request per blob when many are about to be read.
   */
  baseReader(baseBranch: string) {
    const reader = this.#gateway.repoReader(baseBranch);
    let atCommit: ReturnType<GitHubGateway["commitReader"]> | null = null;
    const inner = async () => (atCommit ??= this.#gateway.commitReader((await reader.snapshot()).commit, () => reader.snapshot()));
    return {
      snapshot: (): Promise<BaseSnapshot> => reader.snapshot(),
      commit: async () => (await reader.snapshot()).commit,
      listFiles: () => reader.listFiles(),
      readFile: async (path: string) => (await inner()).readFile(path),
      prefetch: async (paths: readonly string[]) => (await inner()).prefetch(paths),
    };
  }

  /** Head branches of this repository's open pull requests into `baseBranch` (forks excluded), all pages. */
  async listOpenPullRequestHeads(baseBranch: string): Promise<Set<string>> {
    const { owner, repo, fullName } = this.#gateway;
    const pulls = await this.#octokit.paginate(this.#octokit.rest.pulls.list, {
      owner,
      repo,
      state: "open",
      base: baseBranch,
      per_page: 100,
    });
    return new Set(pulls.filter((p) => p.head.repo?.full_name.toLowerCase() === fullName.toLowerCase()).map((p) => p.head.ref));
  }

  /** The bot's issue with `label` whose body carries `marker`, open or closed (only bot-authored issues are trusted). */
  async findIssue(label: string, marker: string): Promise<RolloutIssue | null> {
    const { owner, repo } = this.#gateway;
    const issues = await this.#octokit.paginate(this.#octokit.rest.issues.listForRepo, {
      owner,
      repo,
      labels: label,
      state: "all",
      per_page: 100,
    });
    const found = issues.find((i) => !i.pull_request && i.user?.type === "Bot" && (i.body ?? "").includes(marker));
    return found ? { number: found.number, body: found.body ?? "", state: found.state === "closed" ? "closed" : "open" } : null;
  }

  /**
   * Creates the issue, or edits it in place (body and open/closed). Returns false when the
   * repository has issues turned off (GitHub answers 410): the rollout goes on without its summary.
   */
  async ensureIssue(params: {
    existing: RolloutIssue | null;
    title: string;
    label: string;
    body: string;
    open: boolean;
  }): Promise<boolean> {
    const { owner, repo } = this.#gateway;
    try {
      if (params.existing === null) {
        if (!params.open) return true;
        await this.#octokit.rest.issues.create({ owner, repo, title: params.title, body: params.body, labels: [params.label] });
        return true;
      }
      const state = params.open ? "open" : "closed";
      if (params.existing.body === params.body && params.existing.state === state) return true;
      await this.#octokit.rest.issues.update({ owner, repo, issue_number: params.existing.number, body: params.body, state });
      return true;
    } catch (error) {
      if (hasStatus(error, 410)) return false;
      throw error;
    }
  }
}
