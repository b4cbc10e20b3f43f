import type { Conversation } from "../../ports.js";
import { nullIfNotFound } from "./errors.js";
import type { GitHubRepository } from "./github-repository.js";

export type Reaction = Parameters<Conversation["react"]>[0];

/** A comment of the bot found by its hidden marker. */
export interface MarkedComment {
  id: number;
  body: string;
  /** Later comments with the same marker, to be deleted on the next write. */
  duplicates?: number[];
}

/** Issues of one repository as the bot talks on them: marker comments, reactions, labels, closing. */
export class IssueComments {
  readonly #github: GitHubRepository;
  readonly #appLogin: (() => Promise<string | null>) | undefined;

  /** `appLogin`: the App's own login (`slug[bot]`), asked once per process; without it no reaction is taken for the App's. */
  constructor(github: GitHubRepository, appLogin?: () => Promise<string | null>) {
    this.#github = github;
    this.#appLogin = appLogin;
  }

  /**
   * The bot's comment carrying `marker`, searched on every page. Only comments written by a bot
   * account are trusted: anyone can paste the marker into a comment of their own. The oldest one
   * is the status comment; later ones are duplicates (two replicas created one each in a race).
   */
  async findMarkedComment(issueNumber: number, marker: string): Promise<MarkedComment | null> {
    const { octokit, at } = this.#github;
    const found: { id: number; body: string }[] = [];
    await octokit.paginate(octokit.rest.issues.listComments, { ...at, issue_number: issueNumber, per_page: 100 }, (response) => {
      for (const comment of response.data) {
        if (comment.user?.type === "Bot" && comment.body?.includes(marker)) found.push({ id: comment.id, body: comment.body });
      }
      return [];
    });
    const [first, ...duplicates] = found;
    return first ? { ...first, ...(duplicates.length > 0 ? { duplicates: duplicates.map((d) => d.id) } : {}) } : null;
  }

  /**
   * Creates the comment, or edits `existing` in place; an unchanged body is not written again.
   * Duplicates of `existing` are deleted, so a race converges on the next write.
   */
  async ensureComment(params: { issueNumber: number; existing: MarkedComment | null; body: string }): Promise<MarkedComment> {
    const { octokit, at } = this.#github;
    if (params.existing) {
      if (params.existing.body !== params.body) {
        await octokit.rest.issues.updateComment({ ...at, comment_id: params.existing.id, body: params.body });
      }
      for (const duplicate of params.existing.duplicates ?? []) {
        // 404: the other replica deleted it first.
        await nullIfNotFound(octokit.rest.issues.deleteComment({ ...at, comment_id: duplicate }));
      }
      return { id: params.existing.id, body: params.body };
    }
    const id = await this.createComment(params.issueNumber, params.body);
    return { id, body: params.body };
  }

  /** A new comment: unlike an edit, it notifies everyone subscribed to the issue. */
  async createComment(issueNumber: number, body: string): Promise<number> {
    const { data } = await this.#github.octokit.rest.issues.createComment({ ...this.#github.at, issue_number: issueNumber, body });
    return data.id;
  }

  /** Reacts on a comment, or on the issue itself when it was the issue that triggered us. */
  async react(target: { issueNumber: number; commentId?: number }, content: Reaction): Promise<void> {
    const { octokit, at } = this.#github;
    if (target.commentId !== undefined) {
      await octokit.rest.reactions.createForIssueComment({ ...at, comment_id: target.commentId, content });
    } else {
      await octokit.rest.reactions.createForIssue({ ...at, issue_number: target.issueNumber, content });
    }
  }

  /**
   * Whether the App itself already reacted with `content` on the comment (or the issue). A read:
   * asked only when the status comment would stay as it is, so that a redelivery writes nothing.
   * Only the App's own login counts: a person's or another bot's reaction does not stand in for it.
   * When the App's login is unknown, the answer is no, and the App reacts (GitHub keeps one
   * reaction per person and content, so reacting again adds none).
   */
  async hasReaction(target: { issueNumber: number; commentId?: number }, content: Reaction): Promise<boolean> {
    const own = (await this.#appLogin?.())?.toLowerCase();
    if (!own) return false;
    const { octokit, at } = this.#github;
    let found = false;
    const seek = (response: { data: readonly { user: { login?: string } | null }[] }, done: () => void) => {
      if (response.data.some((r) => r.user?.login?.toLowerCase() === own)) {
        found = true;
        done();
      }
      return [];
    };
    if (target.commentId !== undefined) {
      await octokit.paginate(
        octokit.rest.reactions.listForIssueComment,
        { ...at, comment_id: target.commentId, content, per_page: 100 },
        seek,
      );
    } else {
      await octokit.paginate(
        octokit.rest.reactions.listForIssue,
        { ...at, issue_number: target.issueNumber, content, per_page: 100 },
        seek,
      );
    }
    return found;
  }

  async closeIssue(issueNumber: number, reason: "completed" | "not_planned"): Promise<void> {
    await this.#github.octokit.rest.issues.update({ ...this.#github.at, issue_number: issueNumber, state: "closed", state_reason: reason });
  }

  /** Adds labels to an issue; GitHub creates a label the repository does not have yet. */
  async addLabels(issueNumber: number, labels: readonly string[]): Promise<void> {
    await this.#github.octokit.rest.issues.addLabels({ ...this.#github.at, issue_number: issueNumber, labels: [...labels] });
  }
}
