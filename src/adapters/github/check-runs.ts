import type { CheckRunUpdate } from "../../core/report/check-run-updates.js";
import type { GitHubRepository } from "./github-repository.js";

/** Check Runs of one repository: created in progress, then updated until they conclude. */
export class CheckRuns {
  readonly #github: GitHubRepository;

  constructor(github: GitHubRepository) {
    this.#github = github;
  }

  /** Starts a Check Run on `headSha` (status in_progress, so the pull request shows it at once). */
  async create(params: { name: string; headSha: string }): Promise<number> {
    const { data } = await this.#github.octokit.rest.checks.create({
      ...this.#github.at,
      name: params.name,
      head_sha: params.headSha,
      status: "in_progress",
    });
    return data.id;
  }

  /**
   * Updates a Check Run: the output's title, summary and text replace the previous ones, its
   * annotations (at most 50 per request) are appended; a conclusion completes the run.
   */
  async update(checkRunId: number, params: CheckRunUpdate): Promise<void> {
    await this.#github.octokit.rest.checks.update({
      ...this.#github.at,
      check_run_id: checkRunId,
      output: params.output,
      ...(params.conclusion ? { status: "completed" as const, conclusion: params.conclusion } : {}),
    });
  }

  /**
   * Completed runs named `name` on a commit, newest first (the first 20), with their summary and
   * the slug of the App that wrote each: only runs of this App may be trusted.
   */
  async listCompleted(params: { ref: string; name: string }): Promise<{ id: number; summary: string | null; app: string | null }[]> {
    const { data } = await this.#github.octokit.rest.checks.listForRef({
      ...this.#github.at,
      ref: params.ref,
      check_name: params.name,
      status: "completed",
      filter: "all",
      per_page: 20,
    });
    return data.check_runs.map((run) => ({ id: run.id, summary: run.output.summary ?? null, app: run.app?.slug ?? null }));
  }
}
