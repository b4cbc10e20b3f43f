import type { ReviewRequestResult, RefusedReviewer } from "../../core/report/refused-reviewers.js";
import type { PullRequestDraft, PullRequestFacts } from "../../ports.js";
import { hasStatus, isPullRequestExists, nullIfNotFound, withContext } from "./errors.js";
import type { GitHubRepository } from "./github-repository.js";

/** A pull request and the reviews still pending on it: logins and team slugs. */
type PendingReviews = Pick<PullRequestFacts, "number" | "requestedReviewers" | "requestedTeams">;

/** The bot's own pull request of a branch, as found. */
export interface OpenPullRequest extends PendingReviews {
  url: string;
  title: string;
  body: string;
  labels: string[];
}

/** Pull requests of one repository: the bot's own (find or create, then converge) and those under check. */
export class PullRequests {
  readonly #github: GitHubRepository;

  constructor(github: GitHubRepository) {
    this.#github = github;
  }

  /** The open pull request whose head is `branch` of this repository, if any. */
  async findOpenPullRequest(branch: string): Promise<OpenPullRequest | null> {
    const { octokit, at } = this.#github;
    const pulls = await octokit.paginate(octokit.rest.pulls.list, { ...at, head: `${at.owner}:${branch}`, state: "open", per_page: 100 });
    const pull = pulls[0];
    if (!pull) return null;
    return {
      number: pull.number,
      url: pull.html_url,
      title: pull.title,
      body: pull.body ?? "",
      labels: pull.labels.map((l) => l.name),
      requestedReviewers: (pull.requested_reviewers ?? []).map((u) => u.login),
      requestedTeams: (pull.requested_teams ?? []).map((t) => t.slug),
    };
  }

  /**
   * Creates the pull request of `branch`, or updates its title and body; adds missing labels and
   * requests reviewers. `branchCreated` skips the search: a branch made a moment ago has no PR.
   * Reviewers GitHub would not ask are returned in `refused`; they do not fail the call.
   */
  async ensurePullRequest(params: {
    branch: string;
    baseBranch: string;
    draft: PullRequestDraft;
    branchCreated: boolean;
    contentChanged: boolean;
  }): Promise<{ number: number; url: string; created: boolean; refused: RefusedReviewer[] }> {
    const { octokit, at } = this.#github;
    const { branch, draft } = params;
    let open = params.branchCreated ? null : await this.findOpenPullRequest(branch);
    let created = false;
    if (open === null) {
      try {
        const { data } = await octokit.rest.pulls.create({
          ...at,
          title: draft.title,
          body: draft.body,
          head: branch,
          base: params.baseBranch,
        });
        open = {
          number: data.number,
          url: data.html_url,
          title: data.title,
          body: data.body ?? "",
          labels: [],
          requestedReviewers: [],
          requestedTeams: [],
        };
        created = true;
      } catch (error) {
        if (!isPullRequestExists(error)) throw withContext(`opening the pull request for ${branch}`, error);
        open = await this.findOpenPullRequest(branch);
        if (open === null) throw withContext(`opening the pull request for ${branch}`, error);
      }
    }
    if (!created && (open.title !== draft.title || open.body !== draft.body)) {
      await octokit.rest.pulls.update({ ...at, pull_number: open.number, title: draft.title, body: draft.body });
    }
    const missingLabels = draft.labels.filter((l) => !open.labels.includes(l));
    if (missingLabels.length > 0) {
      await octokit.rest.issues.addLabels({ ...at, issue_number: open.number, labels: missingLabels });
    }
    // Re-requesting on every run would nag reviewers who already approved: only new PRs or new content.
    const review = created || params.contentChanged ? await this.requestReviewers(open, draft.reviewers) : { requested: [], refused: [] };
    return { number: open.number, url: open.url, created, refused: review.refused };
  }

  /**
   * Requests review from the `reviewers` (logins, `org/team-slug`) not already requested. Returns
   * those GitHub accepted (teams as `org/slug`) and those it would not ask: a team of another
   * organisation, or everyone in a request GitHub refused (422). A refusal does not fail the call.
   */
  async requestReviewers(pull: PendingReviews, reviewers: readonly string[]): Promise<ReviewRequestResult> {
    const { octokit, at } = this.#github;
    const users: string[] = [];
    const teams: string[] = [];
    const refused: RefusedReviewer[] = [];
    for (const reviewer of reviewers) {
      const [org, slug] = reviewer.split("/");
      if (slug === undefined) {
        if (!pull.requestedReviewers.includes(reviewer)) users.push(reviewer);
      } else if (org?.toLowerCase() !== at.owner.toLowerCase()) {
        refused.push({ reviewer, reason: "other-organisation" });
      } else if (!pull.requestedTeams.includes(slug)) {
        teams.push(slug);
      }
    }
    if (users.length === 0 && teams.length === 0) return { requested: [], refused };
    const asked = [...users, ...teams.map((t) => `${at.owner}/${t}`)];
    try {
      await octokit.rest.pulls.requestReviewers({ ...at, pull_number: pull.number, reviewers: users, team_reviewers: teams });
      return { requested: asked, refused };
    } catch (error) {
      // 422: a reviewer is not a collaborator, or a team has no access. The PR stands; say so instead of failing.
      if (!hasStatus(error, 422)) throw withContext(`requesting reviewers on #${pull.number}`, error);
      return { requested: [], refused: [...refused, ...asked.map((reviewer) => ({ reviewer, reason: "no-access" as const }))] };
    }
  }

  /** A pull request of this repository, or null when it does not exist. */
  async getPullRequest(pullNumber: number): Promise<PullRequestFacts | null> {
    const found = await nullIfNotFound(this.#github.octokit.rest.pulls.get({ ...this.#github.at, pull_number: pullNumber }));
    if (!found) return null;
    const pull = found.data;
    return {
      number: pull.number,
      state: pull.state === "closed" ? "closed" : "open",
      headSha: pull.head.sha,
      baseSha: pull.base.sha,
      baseRef: pull.base.ref,
      author: { login: pull.user.login, type: pull.user.type },
      body: pull.body ?? null,
      changedFiles: pull.changed_files,
      requestedReviewers: (pull.requested_reviewers ?? []).map((u) => u.login),
      requestedTeams: (pull.requested_teams ?? []).map((t) => t.slug),
      headRef: pull.head.ref,
      headInRepository: pull.head.repo?.full_name.toLowerCase() === this.#github.fullName.toLowerCase(),
    };
  }

  /**
   * Open pull requests of this repository whose head is `commit`. A check suite of a fork's pull
   * request lists none in its payload, so they are looked up by commit.
   */
  async findOpenPullRequestsForCommit(commit: string): Promise<number[]> {
    const { octokit, at, fullName } = this.#github;
    const pulls = await octokit.paginate(octokit.rest.repos.listPullRequestsAssociatedWithCommit, {
      ...at,
      commit_sha: commit,
      per_page: 100,
    });
    return pulls
      .filter((p) => p.state === "open" && p.head.sha === commit && p.base.repo.full_name.toLowerCase() === fullName.toLowerCase())
      .map((p) => p.number);
  }

  /**
   * The commit a pull request's head branched from: the merge base GitHub's comparison of
   * `base...head` names (https://docs.github.com/rest/commits/commits#compare-two-commits). One
   * request whatever the size of the change: one commit and no file list are asked for. Null when
   * the two share no history (404).
   */
  async mergeBase(base: string, head: string): Promise<string | null> {
    const { octokit, at } = this.#github;
    const found = await nullIfNotFound(
      octokit.rest.repos.compareCommitsWithBasehead({ ...at, basehead: `${base}...${head}`, per_page: 1 }),
    );
    return found?.data.merge_base_commit.sha ?? null;
  }

  /** Logins of everyone who has submitted a review on the pull request. */
  async listReviewers(pullNumber: number): Promise<string[]> {
    const { octokit, at } = this.#github;
    const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, { ...at, pull_number: pullNumber, per_page: 100 });
    return [...new Set(reviews.flatMap((r) => (r.user ? [r.user.login] : [])))];
  }
}
