/**
 * The merge gate's conversation with GitHub: webhook payloads (pull_request_review submitted and
 * dismissed, check_run completed, from @octokit/webhooks-examples) and replies for the pull
 * request, its commits, reviews, Check Runs and the merge, from GitHub's documented examples.
 */
import { webhookExample } from "./webhook-examples.js";
import type { EmitterWebhookEvent } from "@octokit/webhooks";
import { renderAutoMergeComment, type AutoMergeView } from "../../src/core/report/auto-merge-comment.js";
import { issueMarker } from "../../src/core/report/pr-body.js";
import { APPLICATION_TEXT, statusCommentBody } from "./argo-scenario.js";
import { fixture, githubError, type GitHubMock, type ReplyData } from "./github-mock.js";
import { appReply, branchReply, commentListReply, commentReply } from "./github-replies.js";
import {
  BASE_COMMIT,
  BRANCH,
  EXAMPLE_CONFIG,
  GITOPS,
  README,
  REQUESTS,
  mockBase,
  mockConfig,
  mockMembership,
  mockPermission,
  mockUpdateComment,
} from "./github-scenario.js";
import { INSTALLATION } from "./payloads.js";

export const APP = "gitops-bot[bot]";
export const HEAD = "feed000000000000000000000000000000000001";
export const OLD_HEAD = "feed000000000000000000000000000000000000";
export const MERGE_SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
export const PR_BODY = `${issueMarker({ repository: "acme/requests", number: 12 })}\n**Provision** of template web-service, size small, requested by @alice.`;
const REPO_ID = 186853002;

/** The example request repository's config with auto-merge on, and dev asking acme/sre for approval. */
export const AUTO_MERGE_CONFIG = EXAMPLE_CONFIG.replace(/autoMerge:\n {2}enabled: false/, "autoMerge:\n  enabled: true").replace(
  "    prod: [acme/sre]",
  "    dev: [acme/sre]",
);

type ReviewPayload<A extends "submitted" | "dismissed"> = EmitterWebhookEvent<`pull_request_review.${A}`>["payload"];

function repository<T>(base: T): T {
  const typed = base as { owner: object };
  return {
    ...(base as object),
    id: REPO_ID,
    name: GITOPS.repo,
    full_name: `${GITOPS.owner}/${GITOPS.repo}`,
    html_url: `https://github.com/${GITOPS.owner}/${GITOPS.repo}`,
    default_branch: "main",
    owner: { ...typed.owner, login: GITOPS.owner, type: "Organization" },
  } as T;
}

/** A review of pull request 7 by `reviewer`, as GitHub delivers it. */
export function pullRequestReview<A extends "submitted" | "dismissed">(
  action: A,
  options: { reviewer: string; state?: string; author?: { login: string; type: "User" | "Bot" }; body?: string | null; headSha?: string },
): ReviewPayload<A> {
  const base = webhookExample<ReviewPayload<"submitted">>("pull_request_review", action);
  const repo = repository(base.repository);
  const pr = base.pull_request;
  const author = options.author ?? { login: APP, type: "Bot" };
  const head = options.headSha ?? HEAD;
  return {
    ...base,
    installation: INSTALLATION,
    repository: repo,
    sender: { ...base.sender, login: options.reviewer, type: "User" },
    review: {
      ...base.review,
      state: options.state ?? (action === "dismissed" ? "dismissed" : "approved"),
      commit_id: head,
      user: { ...base.review.user, login: options.reviewer, type: "User" },
    },
    pull_request: {
      ...pr,
      number: 7,
      state: "open",
      body: options.body === undefined ? PR_BODY : options.body,
      user: { ...pr.user, login: author.login, type: author.type },
      head: { ...pr.head, sha: head, ref: BRANCH, repo: repo as typeof pr.head.repo },
      base: { ...pr.base, ref: "main", repo: repo as typeof pr.base.repo },
    },
  } as unknown as ReviewPayload<A>;
}

type CheckRunCompleted = EmitterWebhookEvent<"check_run.completed">["payload"];

/** The App's policy Check Run (or another app's) completed on pull request 7. */
export function checkRunCompleted(options: {
  conclusion: "success" | "failure" | "neutral";
  appSlug?: string;
  name?: string;
  headSha?: string;
}): CheckRunCompleted {
  const base = webhookExample<CheckRunCompleted>("check_run", "completed");
  const head = options.headSha ?? HEAD;
  return {
    ...base,
    installation: INSTALLATION,
    repository: repository(base.repository),
    check_run: {
      ...base.check_run,
      name: options.name ?? "gitops-bot / policies",
      head_sha: head,
      status: "completed",
      conclusion: options.conclusion,
      app: { ...base.check_run.app, slug: options.appSlug ?? "gitops-bot" },
      pull_requests: [pullRequestSeenByCheck(head)],
    },
  } as CheckRunCompleted;
}

/** Pull request 7 as a check run or check suite event lists it: its head and base, both in the GitOps repository. */
function pullRequestSeenByCheck(head: string) {
  const repo = { id: REPO_ID, url: `https://api.github.com/repos/${GITOPS.owner}/${GITOPS.repo}`, name: GITOPS.repo };
  return {
    id: 7,
    number: 7,
    url: `${repo.url}/pulls/7`,
    head: { ref: BRANCH, sha: head, repo },
    base: { ref: "main", sha: BASE_COMMIT, repo },
  };
}

export interface PullState {
  state?: "open" | "closed";
  merged?: boolean;
  headSha?: string;
  author?: { login: string; type: "User" | "Bot" };
  body?: string;
  headRef?: string;
}

export function pullGetReply(fields: PullState = {}): ReplyData<"GET /repos/{owner}/{repo}/pulls/{pull_number}"> {
  const body = fixture("GET /repos/{owner}/{repo}/pulls/{pull_number}", "pull-request");
  const merged = fields.merged ?? false;
  const repo = { ...body.head.repo, full_name: `${GITOPS.owner}/${GITOPS.repo}`, name: GITOPS.repo };
  return {
    ...body,
    number: 7,
    url: `https://api.github.com/repos/acme/gitops/pulls/7`,
    html_url: "https://github.com/acme/gitops/pull/7",
    state: fields.state ?? (merged ? "closed" : "open"),
    merged,
    merged_at: merged ? "2026-01-01T00:00:00Z" : null,
    merge_commit_sha: merged ? MERGE_SHA : null,
    draft: false,
    body: fields.body ?? PR_BODY,
    user: { ...body.user, login: fields.author?.login ?? APP, type: fields.author?.type ?? "Bot" },
    head: { ...body.head, sha: fields.headSha ?? HEAD, ref: fields.headRef ?? BRANCH, repo },
    base: { ...body.base, ref: "main" },
  };
}

export interface CommitFields {
  sha?: string;
  author?: string | null;
  committer?: string | null;
  verified?: boolean;
}

export function commitsReply(commits: readonly CommitFields[]): ReplyData<"GET /repos/{owner}/{repo}/pulls/{pull_number}/commits"> {
  const [template] = fixture("GET /repos/{owner}/{repo}/pulls/{pull_number}/commits", "pull-request-commit-items");
  type Account = Exclude<NonNullable<typeof template>["author"], null | Record<string, never>>;
  const user = template?.author as Account | undefined;
  if (!template || !user?.login) throw new Error("pull-request-commit-items fixture has no author");
  const account = (login: string | null | undefined): Account | null =>
    login === null ? null : { ...user, login: login ?? APP, type: (login ?? APP).endsWith("[bot]") ? "Bot" : "User" };
  return commits.map((c) => {
    const verified = c.verified ?? true;
    return {
      ...template,
      sha: c.sha ?? HEAD,
      author: account(c.author),
      committer: account(c.committer),
      commit: {
        ...template.commit,
        verification: verified
          ? {
              verified: true,
              reason: "valid",
              signature: "-----BEGIN PGP SIGNATURE-----",
              payload: "tree",
              verified_at: "2026-01-01T00:00:00Z",
            }
          : { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
      },
    };
  });
}

export interface ReviewFields {
  login: string;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED";
  commit?: string;
}

export function reviewsReply(reviews: readonly ReviewFields[]): ReplyData<"GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews"> {
  const [template] = fixture("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", "pull-request-review-items");
  if (!template?.user) throw new Error("pull-request-review-items fixture has no user");
  return reviews.map((r, i) => ({
    ...template,
    id: 80 + i,
    state: r.state,
    commit_id: r.commit ?? HEAD,
    user: { ...template.user!, login: r.login, type: "User" },
  }));
}

export function checkRunsReply(
  runs: readonly { conclusion: "success" | "failure" | "neutral" | null; appSlug?: string }[],
): ReplyData<"GET /repos/{owner}/{repo}/commits/{ref}/check-runs"> {
  const body = fixture("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", "check-run-list");
  const [template] = body.check_runs;
  if (!template?.app) throw new Error("check-run-list fixture has no app");
  return {
    total_count: runs.length,
    check_runs: runs.map((r, i) => ({
      ...template,
      id: 900 + i,
      name: "gitops-bot / policies",
      head_sha: HEAD,
      html_url: `https://github.com/acme/gitops/runs/${900 + i}`,
      status: r.conclusion === null ? "in_progress" : "completed",
      conclusion: r.conclusion,
      app: { ...template.app!, slug: r.appSlug ?? "gitops-bot" },
    })),
  };
}

/** Everything the gate reads of pull request 7, in the order it reads it; each part can be changed. */
export interface GateReads {
  pull?: PullState;
  /** False: the event's lookup already read the pull request (a commit status), so the gate does not. */
  pullRead?: false;
  /** The request repository's configuration (default: AUTO_MERGE_CONFIG). */
  config?: string;
  /** The GitOps repository's own configuration, read for a template upgrade. */
  gitopsConfig?: string;
  commits?: CommitFields[];
  checkRuns?: Parameters<typeof checkRunsReply>[0];
  reviews?: ReviewFields[];
  /** Approvers with their permission on the GitOps repository, in the order asked. */
  permissions?: [string, string | null][];
  /** Team memberships asked: [team, login, state]. */
  memberships?: [string, string, "active" | null][];
  /** Whether the gate gets as far as the base branch (only when it decides on reviewers). */
  base?: boolean;
  /** The gate's own comment on pull request 7, if it wrote one before; `false`: the gate never reads it. */
  report?: string | null | false;
  /** GET /app, asked once per process. */
  app?: boolean;
  /** The required checks and their state, read once everything else is in (mocked only when the gate gets there). */
  required?: RequiredChecksReads;
}

/** CI's app id in these tests (GitHub Actions' on github.com). */
export const CI_APP_ID = 15368;

/** Branch protection's and rulesets' required checks of acme/gitops main, and the head's check runs and statuses. */
export interface RequiredChecksReads {
  /** Contexts branch protection requires (pinned to CI's app when `pinned`). */
  protection?: string[];
  pinned?: boolean;
  /** Contexts an active ruleset requires. */
  rulesets?: string[];
  /** The head's latest check runs of other apps (the App's own policy run is added). */
  runs?: { name: string; conclusion: "success" | "failure" | "skipped" | null; appId?: number }[];
  /** The head's commit statuses; undefined: the gate does not read them. */
  statuses?: { context: string; state: "success" | "pending" | "failure" | "error" }[];
}

/** Mocks what the gate reads of the required checks of acme/gitops main and of the head commit. */
export function mockRequiredChecks(gh: GitHubMock, reads: RequiredChecksReads, head = HEAD): void {
  const protection = reads.protection ?? [];
  const appId = reads.pinned ? CI_APP_ID : -1;
  gh.on("GET /repos/{owner}/{repo}/branches/{branch}", {
    params: { ...GITOPS, branch: "main" },
    reply: {
      status: 200,
      data: {
        ...branchReply("main", BASE_COMMIT, BASE_COMMIT),
        protected: protection.length > 0,
        protection: {
          enabled: protection.length > 0,
          required_status_checks: {
            enforcement_level: protection.length > 0 ? "non_admins" : "off",
            contexts: protection,
            checks: protection.map((context) => ({ context, app_id: appId })),
          },
        },
      },
    },
  });
  const rulesets = reads.rulesets ?? [];
  gh.on("GET /repos/{owner}/{repo}/rules/branches/{branch}", {
    params: { ...GITOPS, branch: "main" },
    query: { per_page: 100 },
    reply: {
      status: 200,
      data:
        rulesets.length === 0
          ? []
          : [
              {
                type: "required_status_checks",
                ruleset_source_type: "Organization",
                ruleset_source: GITOPS.owner,
                ruleset_id: 73,
                parameters: {
                  strict_required_status_checks_policy: false,
                  required_status_checks: rulesets.map((context) => ({ context })),
                },
              },
            ],
    },
  });
  if ([...protection, ...rulesets].every((c) => c === "gitops-bot / policies")) return;
  const own = checkRunsReply([{ conclusion: "success" }]).check_runs;
  const [template] = own;
  const app = template?.app;
  if (!template || !app) throw new Error("check-run-list fixture has no app");
  const others = (reads.runs ?? []).map((r, i) => ({
    ...template,
    id: 950 + i,
    name: r.name,
    head_sha: head,
    html_url: `https://github.com/acme/gitops/runs/${950 + i}`,
    status: r.conclusion === null ? ("in_progress" as const) : ("completed" as const),
    conclusion: r.conclusion,
    app: { ...app, id: r.appId ?? CI_APP_ID, slug: "github-actions" },
  }));
  gh.on("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
    params: { ...GITOPS, ref: head },
    query: { filter: "latest", per_page: 100 },
    reply: { status: 200, data: { total_count: own.length + others.length, check_runs: [...own, ...others] } },
  });
  if (reads.statuses === undefined) return;
  const combined = fixture("GET /repos/{owner}/{repo}/commits/{ref}/status", "combined-commit-status");
  const [status] = combined.statuses;
  if (!status) throw new Error("combined-commit-status fixture has no status");
  gh.on("GET /repos/{owner}/{repo}/commits/{ref}/status", {
    params: { ...GITOPS, ref: head },
    query: { per_page: 100 },
    reply: {
      status: 200,
      data: {
        ...combined,
        sha: head,
        state: reads.statuses.some((s) => s.state !== "success") ? "pending" : "success",
        total_count: reads.statuses.length,
        statuses: reads.statuses.map((s, i) => ({
          ...status,
          id: 60 + i,
          context: s.context,
          state: s.state,
          target_url: `https://ci.example.com/${60 + i}`,
        })),
      },
    },
  });
}

/**
 * Mocks the gate's reads of pull request 7 of acme/gitops (its request issue acme/requests#12 with
 * the status comment tracking it). Returns nothing: the test adds what it expects written.
 */
export function mockGateReads(gh: GitHubMock, reads: GateReads = {}): void {
  if (reads.pullRead !== false)
    gh.on("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
      params: { ...GITOPS, pull_number: 7 },
      reply: { status: 200, data: pullGetReply(reads.pull) },
    });
  mockConfig(gh, REQUESTS, reads.config ?? AUTO_MERGE_CONFIG);
  if (reads.gitopsConfig !== undefined) mockConfig(gh, GITOPS, reads.gitopsConfig);
  if (!/autoMerge:\n {2}enabled: true/.test(reads.gitopsConfig ?? reads.config ?? AUTO_MERGE_CONFIG)) return;
  if (reads.app !== false) gh.on("GET /app", { params: {}, reply: { status: 200, data: appReply("gitops-bot") } });
  gh.on("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    params: { ...REQUESTS, issue_number: 12 },
    query: { per_page: 100 },
    reply: { status: 200, data: commentListReply(REQUESTS, 12, [{ id: 501, body: statusCommentBody(undefined) }]) },
  });
  gh.on("GET /repos/{owner}/{repo}/pulls/{pull_number}/commits", {
    params: { ...GITOPS, pull_number: 7 },
    query: { per_page: 100 },
    reply: { status: 200, data: commitsReply(reads.commits ?? [{}]) },
  });
  const foreign = (reads.commits ?? [{}]).some(
    (c) => (c.author !== undefined && c.author !== APP) || (c.committer !== undefined && c.committer !== APP) || c.verified === false,
  );
  if (!foreign) {
    gh.on("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
      params: { ...GITOPS, ref: reads.pull?.headSha ?? HEAD },
      query: { check_name: "gitops-bot / policies", filter: "latest", per_page: 100 },
      reply: { status: 200, data: checkRunsReply(reads.checkRuns ?? [{ conclusion: "success" }]) },
    });
    gh.on("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", {
      params: { ...GITOPS, pull_number: 7 },
      query: { per_page: 100 },
      reply: { status: 200, data: reviewsReply(reads.reviews ?? []) },
    });
    if (reads.base !== false) mockBase(gh, [README]);
    for (const [login, role] of reads.permissions ?? []) mockPermission(gh, login, role, GITOPS);
    for (const [team, login, state] of reads.memberships ?? []) mockMembership(gh, team, login, state);
    // Read only once the policy check passed and the approvals are in.
    const passed = (reads.checkRuns ?? [{ conclusion: "success" }]).every((r) => r.conclusion === "success" || r.conclusion === "neutral");
    if (reads.required && passed) mockRequiredChecks(gh, reads.required, reads.pull?.headSha ?? HEAD);
  }
  if (reads.report === false) return;
  const existing = reads.report ?? null;
  gh.on("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    params: { ...GITOPS, issue_number: 7 },
    query: { per_page: 100 },
    reply: { status: 200, data: commentListReply(GITOPS, 7, existing === null ? [] : [{ id: 700, body: existing }]) },
  });
}

/** The gate's comment as the bot wrote it (for a later event that finds it). */
export function gateComment(view: AutoMergeView): string {
  return renderAutoMergeComment(view);
}

/** The new gate comment on pull request 7: its body is returned by `posted()`. */
export function mockPostGateComment(gh: GitHubMock): { posted: () => string } {
  let text = "";
  gh.on("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    params: { ...GITOPS, issue_number: 7 },
    reply: ({ body }) => {
      text = String(body.body ?? "");
      return { status: 201, data: commentReply(GITOPS, 7, { id: 700, body: text }) };
    },
  });
  return { posted: () => text };
}

/** PUT pulls/7/merge: merged, or GitHub's refusal. */
export function mockMerge(gh: GitHubMock, refusal?: { status: 405 | 409 | 422; message: string }): void {
  gh.on("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge", {
    params: { ...GITOPS, pull_number: 7 },
    reply: refusal
      ? { status: refusal.status, data: githubError(refusal.message) }
      : {
          status: 200,
          data: { ...fixture("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge", "pull-request-merge-result"), sha: MERGE_SHA },
        },
  });
}

type CheckSuiteCompleted = EmitterWebhookEvent<"check_suite.completed">["payload"];

/** A check suite of `appSlug` (default: GitHub Actions, CI) completed on the head of pull request 7, or of no pull request. */
export function checkSuiteCompleted(options: {
  conclusion: "success" | "failure";
  appSlug?: string;
  pullRequests?: boolean;
  headSha?: string;
}): CheckSuiteCompleted {
  const base = webhookExample<CheckSuiteCompleted>("check_suite", "completed");
  const head = options.headSha ?? HEAD;
  return {
    ...base,
    installation: INSTALLATION,
    repository: repository(base.repository),
    check_suite: {
      ...base.check_suite,
      head_sha: head,
      head_branch: BRANCH,
      status: "completed",
      conclusion: options.conclusion,
      app: { ...base.check_suite.app, slug: options.appSlug ?? "github-actions" },
      pull_requests: options.pullRequests === false ? [] : [pullRequestSeenByCheck(head)],
    },
  };
}

type StatusEvent = EmitterWebhookEvent<"status">["payload"];

/** A commit status from CI on `sha`, with the branches GitHub lists as holding it (name -> their head). */
export function ciStatus(options: {
  state: "success" | "failure" | "error" | "pending";
  sha?: string;
  context?: string;
  branches: [string, string][];
}): StatusEvent {
  const base = webhookExample<StatusEvent>("status");
  const sha = options.sha ?? HEAD;
  const [template] = base.branches;
  if (!template) throw new Error("status example has no branch");
  return {
    ...base,
    sha,
    name: `${GITOPS.owner}/${GITOPS.repo}`,
    context: options.context ?? "ci/jenkins",
    state: options.state,
    target_url: "https://ci.example.com/1000/output",
    commit: { ...base.commit, sha },
    branches: options.branches.map(([name, commit]) => ({ ...template, name, commit: { ...template.commit, sha: commit } })),
    repository: repository({ ...base.repository, default_branch: "main" }),
    installation: INSTALLATION,
  };
}

/** GET commits/{sha}/pulls: the pull requests GitHub associates with the commit (pull request 7 as `pullGetReply` has it). */
export function mockCommitPulls(gh: GitHubMock, pulls: PullState[], sha = HEAD): void {
  const [template] = fixture("GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls", "pull-request-simple-items");
  if (!template) throw new Error("pull-request-simple-items fixture is empty");
  gh.on("GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls", {
    params: { ...GITOPS, commit_sha: sha },
    query: { per_page: 100 },
    reply: {
      status: 200,
      data: pulls.map((fields) => {
        const full = pullGetReply(fields);
        return {
          ...template,
          number: full.number,
          url: full.url,
          html_url: full.html_url,
          state: full.state,
          body: full.body,
          draft: full.draft,
          merged_at: full.merged_at,
          merge_commit_sha: full.merge_commit_sha,
          user: full.user,
          head: {
            ...template.head,
            sha: full.head.sha,
            ref: full.head.ref,
            repo: { ...template.head.repo, full_name: full.head.repo?.full_name ?? "" },
          },
          base: { ...template.base, ref: "main", repo: { ...template.base.repo, full_name: `${GITOPS.owner}/${GITOPS.repo}` } },
        };
      }),
    },
  });
}

/** After the merge: the pull request as GitHub has it, the Application at the merge commit, and the status comment's edit. */
export function mockMergedAfterwards(gh: GitHubMock): void {
  gh.on("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
    params: { ...GITOPS, pull_number: 7 },
    reply: { status: 200, data: pullGetReply({ merged: true }) },
  });
  gh.on("GET /repos/{owner}/{repo}/contents/{path}", {
    params: { ...GITOPS, path: "argocd/dev/payments-checkout.yaml" },
    query: { ref: MERGE_SHA },
    reply: { status: 200, raw: APPLICATION_TEXT },
  });
  mockUpdateComment(gh, 501);
}
