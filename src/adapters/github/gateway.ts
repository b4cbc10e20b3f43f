import { describeRefusedReviewers } from "../../core/report/refused-reviewers.js";
import type { AccessReader, ChangePublisher, Conversation, DeliveryIssue, PublishResult, RepoReader } from "../../ports.js";
import { BlobCache } from "./blob-cache.js";
import { Branches } from "./branches.js";
import { CheckRuns } from "./check-runs.js";
import type { GitHubCommitReader } from "./commit-reader.js";
import { GitHubDeliveryIssue } from "./github-delivery-issue.js";
import type { GitHubOctokit, GitHubRepository } from "./github-repository.js";
import { IssueComments, type MarkedComment, type Reaction } from "./issue-comments.js";
import { People } from "./people.js";
import { PullRequests } from "./pull-requests.js";
import { RepositoryContents, type BaseSnapshot } from "./repository-contents.js";

/**
 * Every GitHub API call of the App goes through this gateway (STYLE.md section 4). It is built for
 * one repository of the installation; `ensure*` methods converge, so repeating them is harmless.
 *
 * The calls live in one class per concern, each in its own file, which handlers reach through the
 * gateway: `contents` (trees, blobs, archives, files, config), `branches` (the one-commit write),
 * `pullRequests`, `checkRuns`, `issues` (marker comments, reactions, labels) and `people`
 * (permissions, teams). The gateway itself builds the ports the workflows take (src/ports.ts).
 */
export class GitHubGateway {
  readonly owner: string;
  readonly repo: string;
  readonly contents: RepositoryContents;
  readonly branches: Branches;
  readonly pullRequests: PullRequests;
  readonly checkRuns: CheckRuns;
  readonly issues: IssueComments;
  readonly people: People;
  readonly #github: GitHubRepository;

  /** `appLogin`: the App's own login, asked once per process, by which the App knows its own reactions. */
  constructor(params: {
    octokit: GitHubOctokit;
    owner: string;
    repo: string;
    blobCache?: BlobCache;
    appLogin?: () => Promise<string | null>;
  }) {
    this.owner = params.owner;
    this.repo = params.repo;
    const github: GitHubRepository = { octokit: params.octokit, at: { owner: params.owner, repo: params.repo }, fullName: this.fullName };
    this.#github = github;
    this.contents = new RepositoryContents({ github, blobs: params.blobCache ?? new BlobCache() });
    this.branches = new Branches(github);
    this.pullRequests = new PullRequests(github);
    this.checkRuns = new CheckRuns(github);
    this.issues = new IssueComments(github, params.appLogin);
    this.people = new People(github);
  }

  get fullName(): string {
    return `${this.owner}/${this.repo}`;
  }

  /** The RepoReader port over one base branch: one snapshot per request, blobs read on demand. */
  repoReader(baseBranch: string): RepoReader & { snapshot(): Promise<BaseSnapshot> } {
    return this.contents.repoReader(baseBranch);
  }

  /** One commit of this repository as the policy check reads it (see {@link RepositoryContents.commitReader}). */
  commitReader(commit: string, snapshot?: () => Promise<BaseSnapshot>): GitHubCommitReader {
    return this.contents.commitReader(commit, snapshot);
  }

  /**
   * The ChangePublisher port. `branchMayExist` comes from the request's own history (a status
   * comment says it was published before); when false, the first write skips reading the branch.
   * Reviewers GitHub would not ask come back as warnings of the result.
   */
  publisher(params: { reader: ReturnType<GitHubGateway["repoReader"]>; branchMayExist: boolean }): ChangePublisher {
    return {
      publish: async (request): Promise<PublishResult> => {
        const base = await params.reader.snapshot();
        const written = await this.branches.ensureBranchCommit({
          base,
          branch: request.branch,
          message: request.commitMessage,
          changes: request.changes,
          branchMayExist: params.branchMayExist,
        });
        const { refused, ...pullRequest } = await this.pullRequests.ensurePullRequest({
          branch: request.branch,
          baseBranch: request.baseBranch,
          draft: request.pullRequest,
          branchCreated: written.created,
          contentChanged: written.commit !== null,
        });
        return { commit: written.commit, pullRequest, warnings: describeRefusedReviewers({ refused, repository: this.fullName }) };
      },
    };
  }

  /**
   * The Conversation port for one request issue: the status comment is looked up once, then
   * created or edited in place.
   */
  conversation(params: { issueNumber: number; commentId?: number; marker: string }): Conversation {
    let existing: Promise<MarkedComment | null> | null = null;
    // A failed read is read again next time (the fault report needs it), never remembered.
    const find = () =>
      (existing ??= this.issues.findMarkedComment(params.issueNumber, params.marker).catch((error: unknown) => {
        existing = null;
        throw error;
      }));
    return {
      readStatusComment: async () => (await find())?.body ?? null,
      ensureStatusComment: async (body: string) => {
        const written = await this.issues.ensureComment({ issueNumber: params.issueNumber, existing: await find(), body });
        existing = Promise.resolve(written);
      },
      react: (content: Reaction) =>
        this.issues.react(
          { issueNumber: params.issueNumber, ...(params.commentId !== undefined ? { commentId: params.commentId } : {}) },
          content,
        ),
      hasReaction: (content: Reaction) =>
        this.issues.hasReaction(
          { issueNumber: params.issueNumber, ...(params.commentId !== undefined ? { commentId: params.commentId } : {}) },
          content,
        ),
      close: () => this.issues.closeIssue(params.issueNumber, "completed"),
    };
  }

  /**
   * The request issue as Argo CD's statuses need it (GraphQL: one read, one write; see
   * {@link GitHubDeliveryIssue}). An issue that is gone reads as null, so nothing is written.
   */
  deliveryIssue(params: { issueNumber: number; marker: string; label: string }): DeliveryIssue {
    return new GitHubDeliveryIssue({ github: this.#github, ...params });
  }

  /** The AccessReader port over this (request) repository and its organisation's teams. */
  accessReader(): AccessReader {
    return {
      permissionOf: (login) => this.people.getPermission(login),
      isTeamMember: (team, login) => this.people.isTeamMember(team, login),
    };
  }
}
