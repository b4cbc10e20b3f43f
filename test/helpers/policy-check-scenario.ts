/**
 * The GitHub side of a pull request's policy check, as reusable mocks: the repository's config,
 * the merge base of the pull request, the trees of its base and head commits, the blobs read, the Check Run
 * created and updated, team memberships and review requests. Replies are built from GitHub's
 * documented examples and typed by route; every request is checked against the OpenAPI description.
 */
import nock from "nock";
import { gitBlobSha } from "../../src/adapters/git-blob-sha.js";
import { gitTreeSha } from "../../src/adapters/github/git-tree-sha.js";
import { fixture, type GitHubMock, type GraphqlReply, type ReplyData } from "./github-mock.js";
import {
  blobReply,
  pullListReply,
  pullReply,
  reviewRequestReply,
  teamsOfUserReply,
  treeReply,
  type ListedEntry,
  type PullFields,
  type RepoCoordinates,
  type TeamOfUser,
} from "./github-replies.js";
import { GITOPS, mockConfig, mockMembership, treeEntries, type BaseFile } from "./github-scenario.js";
import { makeTarball } from "./tarball.js";

export const HEAD_COMMIT = "feed000000000000000000000000000000000001";
export const PR_BASE_COMMIT = "base000000000000000000000000000000000001";
export const CHECK_RUN_ID = 4242;

/** One recursive tree listing of a commit. */
export function mockCommitTree(gh: GitHubMock, commit: string, files: readonly BaseFile[], at: RepoCoordinates = GITOPS): void {
  const entries = treeEntries(files);
  gh.on("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", {
    params: { ...at, tree_sha: commit },
    query: { recursive: "1" },
    reply: { status: 200, data: treeReply(at, gitTreeSha({ entries, changes: [] }), entries as ListedEntry[]) },
  });
}

/** One blob read per distinct content (the App caches blobs by SHA). */
export function mockBlobs(gh: GitHubMock, files: readonly BaseFile[], at: RepoCoordinates = GITOPS): void {
  const seen = new Set<string>();
  for (const file of files) {
    const sha = gitBlobSha(file.content);
    if (seen.has(sha)) continue;
    seen.add(sha);
    gh.on("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", {
      params: { ...at, file_sha: sha },
      reply: { status: 200, data: blobReply(at, sha, file.content) },
    });
  }
}

/**
 * The commit's archive: the API answers 302 with the download URL, as GitHub does, and the download
 * host (not part of the REST API, so plain nock) serves the gzipped tar.
 */
export function mockArchive(gh: GitHubMock, commit: string, files: readonly BaseFile[] | Buffer, at: RepoCoordinates = GITOPS): void {
  const location = `https://codeload.github.com/${at.owner}/${at.repo}/legacy.tar.gz/${commit}`;
  gh.on("GET /repos/{owner}/{repo}/tarball/{ref}", {
    params: { ...at, ref: commit },
    reply: { status: 302, data: undefined as never, headers: { location } },
  });
  nock("https://codeload.github.com")
    .get(`/${at.owner}/${at.repo}/legacy.tar.gz/${commit}`)
    .reply(200, Buffer.isBuffer(files) ? files : makeTarball(files, { top: `${at.owner}-${at.repo}-${commit.slice(0, 7)}` }), {
      "content-type": "application/x-gzip",
    });
}

/**
 * GitHub's comparison of the pull request's base and head, asked for the merge base only (one
 * commit, no file list): by default the head branched from the base commit itself, whose tree the
 * check reads anyway.
 */
export function mockMergeBase(
  gh: GitHubMock,
  options: { base?: string; head?: string; mergeBase?: string; at?: RepoCoordinates } = {},
): void {
  const at = options.at ?? GITOPS;
  const base = options.base ?? PR_BASE_COMMIT;
  const head = options.head ?? HEAD_COMMIT;
  const reply = fixture("GET /repos/{owner}/{repo}/compare/{basehead}", "commit-comparison");
  gh.on("GET /repos/{owner}/{repo}/compare/{basehead}", {
    params: { ...at, basehead: `${base}...${head}` },
    query: { per_page: 1 },
    reply: { status: 200, data: { ...reply, merge_base_commit: { ...reply.merge_base_commit, sha: options.mergeBase ?? base } } },
  });
}

export function checkRunReply(
  at: RepoCoordinates,
  fields: { id: number; name: string; headSha: string; status: "in_progress" | "completed"; conclusion?: string | null },
): ReplyData<"POST /repos/{owner}/{repo}/check-runs"> {
  const body = fixture("POST /repos/{owner}/{repo}/check-runs", "check-run");
  return {
    ...body,
    id: fields.id,
    name: fields.name,
    head_sha: fields.headSha,
    status: fields.status,
    conclusion: (fields.conclusion ?? null) as ReplyData<"POST /repos/{owner}/{repo}/check-runs">["conclusion"],
    completed_at: fields.status === "completed" ? body.completed_at : null,
    url: `https://api.github.com/repos/${at.owner}/${at.repo}/check-runs/${fields.id}`,
    html_url: `https://github.com/${at.owner}/${at.repo}/runs/${fields.id}`,
  };
}

/** The Check Run: created once, then `updates` PATCH requests answered with what they set. */
export function mockCheckRun(gh: GitHubMock, updates: number, options: { headSha?: string; at?: RepoCoordinates } = {}): void {
  const at = options.at ?? GITOPS;
  const headSha = options.headSha ?? HEAD_COMMIT;
  gh.on("POST /repos/{owner}/{repo}/check-runs", {
    params: at,
    reply: ({ body }) => ({
      status: 201,
      data: checkRunReply(at, { id: CHECK_RUN_ID, name: String(body.name), headSha: String(body.head_sha), status: "in_progress" }),
    }),
  });
  if (updates === 0) return;
  gh.on("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
    params: { ...at, check_run_id: CHECK_RUN_ID },
    times: updates,
    reply: ({ body }) => ({
      status: 200,
      data: checkRunReply(at, {
        id: CHECK_RUN_ID,
        name: "gitops-bot / policies",
        headSha,
        status: body.conclusion ? "completed" : "in_progress",
        conclusion: body.conclusion ?? null,
      }),
    }),
  });
}

/** The GitOps repository has no `.github/gitops-bot.yml`, nor does its organisation: it is not checked. */
export function mockNoConfig(gh: GitHubMock, at: RepoCoordinates = GITOPS): void {
  mockConfig(gh, at, null);
}

/** The GitOps repository opts in with a config file that keeps every default. */
export function mockDefaultConfig(gh: GitHubMock, at: RepoCoordinates = GITOPS): void {
  mockConfig(gh, at, "# The GitOps repository of gitops-bot; every key keeps its default.\ngitops:\n  baseBranch: main\n");
}

/** Membership of `login` in the teams the check asks about (null: not a member). */
export function mockTeams(gh: GitHubMock, login: string, teams: Record<string, "active" | null>, org = GITOPS.owner): void {
  for (const [team, state] of Object.entries(teams)) mockMembership(gh, `${org}/${team}`, login, state);
}

/**
 * All of `login`'s teams in one GraphQL query (the check asks so from three candidate teams on):
 * the slugs, or a reply that fails the query.
 */
export function mockTeamsOfUser(
  gh: GitHubMock,
  login: string,
  teams: readonly (string | TeamOfUser)[] | GraphqlReply,
  org = GITOPS.owner,
): void {
  gh.graphql("TeamsOfUser", {
    variables: { org, login, after: null },
    reply: Array.isArray(teams) ? teamsOfUserReply(teams) : (teams as GraphqlReply),
  });
}

/** GET pulls/{number}, for the re-run events. */
export function mockGetPull(
  gh: GitHubMock,
  fields: PullFields & { headSha: string; baseSha: string; author?: string; changedFiles?: number; state?: "open" | "closed" },
  at: RepoCoordinates = GITOPS,
): void {
  const body = pullReply(at, fields);
  gh.on("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
    params: { ...at, pull_number: fields.number },
    reply: {
      status: 200,
      data: {
        ...body,
        state: fields.state ?? "open",
        changed_files: fields.changedFiles ?? 1,
        user: { ...body.user, login: fields.author ?? "alice", type: "User" },
        // The head branch lives in the repository itself unless a test says otherwise (a fork).
        head: {
          ...body.head,
          sha: fields.headSha,
          repo: body.head.repo ? { ...body.head.repo, full_name: `${at.owner}/${at.repo}` } : body.head.repo,
        },
        base: { ...body.base, sha: fields.baseSha },
      },
    },
  });
}

/** GET commits/{sha}/pulls: the pull requests a commit belongs to (forks' check suites list none). */
export function mockPullsForCommit(
  gh: GitHubMock,
  commit: string,
  pulls: readonly (PullFields & { headSha: string })[],
  at: RepoCoordinates = GITOPS,
): void {
  const listed = pullListReply(at, pulls).map((pull, i) => ({
    ...pull,
    state: "open",
    head: { ...pull.head, sha: pulls[i]?.headSha ?? "" },
    base: { ...pull.base, repo: { ...pull.base.repo, full_name: `${at.owner}/${at.repo}` } },
  }));
  gh.on("GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls", {
    params: { ...at, commit_sha: commit },
    query: { per_page: 100 },
    reply: { status: 200, data: listed },
  });
}

export function mockReviews(gh: GitHubMock, pullNumber: number, logins: readonly string[], at: RepoCoordinates = GITOPS): void {
  const [template] = fixture("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", "pull-request-review-items");
  if (!template) throw new Error("pull-request-review-items fixture is empty");
  gh.on("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", {
    params: { ...at, pull_number: pullNumber },
    query: { per_page: 100 },
    reply: {
      status: 200,
      data: logins.map((login, i) => ({
        ...template,
        id: i + 1,
        user: template.user ? { ...template.user, login } : null,
        state: "APPROVED",
      })),
    },
  });
}

export function mockReviewRequest(gh: GitHubMock, fields: PullFields, at: RepoCoordinates = GITOPS): void {
  gh.on("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", {
    params: { ...at, pull_number: fields.number },
    reply: { status: 201, data: reviewRequestReply(at, fields) },
  });
}

/** A Deployment that passes every default policy in dev, or breaks exactly one when privileged. */
export function deployment(options: { name?: string; privileged?: boolean } = {}): string {
  const name = options.name ?? "web";
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: shop-dev
spec:
  replicas: 1
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      securityContext:
        runAsNonRoot: true
      containers:
        - name: app
          image: ghcr.io/acme/${name}:1.4.2
          securityContext:
${options.privileged ? "            privileged: true\n" : ""}            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { memory: 256Mi }
          readinessProbe: { httpGet: { path: /readyz, port: 8080 } }
          livenessProbe: { httpGet: { path: /healthz, port: 8080 } }
`;
}
