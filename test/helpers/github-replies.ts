/**
 * Reply bodies for the GitHub routes the app uses, built from GitHub's documented examples
 * (test/fixtures/github/) with the fields a test cares about overridden. Each is typed by its route.
 */
import { fixture, type ReplyData } from "./github-mock.js";

export interface RepoCoordinates {
  owner: string;
  repo: string;
}

const api = (path: string) => `https://api.github.com${path}`;

export function refReply(at: RepoCoordinates, ref: string, sha: string): ReplyData<"GET /repos/{owner}/{repo}/git/ref/{ref}"> {
  const body = fixture("GET /repos/{owner}/{repo}/git/ref/{ref}", "git-ref");
  return {
    ...body,
    ref: `refs/${ref}`,
    url: api(`/repos/${at.owner}/${at.repo}/git/refs/${ref}`),
    object: { ...body.object, sha, url: api(`/repos/${at.owner}/${at.repo}/git/commits/${sha}`) },
  };
}

export interface ListedEntry {
  path: string;
  sha: string;
  mode?: "100644" | "100755" | "040000" | "160000" | "120000";
  type?: "blob" | "tree" | "commit";
  /** The blob's size in bytes, as GitHub lists it. */
  size?: number;
}

export function treeReply(
  at: RepoCoordinates,
  sha: string,
  entries: readonly ListedEntry[],
  truncated = false,
): ReplyData<"GET /repos/{owner}/{repo}/git/trees/{tree_sha}"> {
  return {
    sha,
    url: api(`/repos/${at.owner}/${at.repo}/git/trees/${sha}`),
    truncated,
    tree: entries.map((e) => ({
      path: e.path,
      mode: e.mode ?? (e.type === "tree" ? "040000" : "100644"),
      type: e.type ?? "blob",
      sha: e.sha,
      ...(e.type === "tree" ? {} : { size: e.size ?? 100 }),
      url: api(`/repos/${at.owner}/${at.repo}/git/${e.type === "tree" ? "trees" : "blobs"}/${e.sha}`),
    })),
  };
}

export function createdTreeReply(at: RepoCoordinates, sha: string): ReplyData<"POST /repos/{owner}/{repo}/git/trees"> {
  return {
    ...fixture("POST /repos/{owner}/{repo}/git/trees", "git-tree"),
    sha,
    url: api(`/repos/${at.owner}/${at.repo}/git/trees/${sha}`),
  };
}

export function commitReply(
  at: RepoCoordinates,
  sha: string,
  tree: string,
  parent: string,
): ReplyData<"POST /repos/{owner}/{repo}/git/commits"> {
  const body = fixture("POST /repos/{owner}/{repo}/git/commits", "git-commit");
  return {
    ...body,
    sha,
    url: api(`/repos/${at.owner}/${at.repo}/git/commits/${sha}`),
    tree: { sha, url: api(`/repos/${at.owner}/${at.repo}/git/trees/${tree}`) },
    parents: [
      {
        sha: parent,
        url: api(`/repos/${at.owner}/${at.repo}/git/commits/${parent}`),
        html_url: `https://github.com/${at.owner}/${at.repo}/commit/${parent}`,
      },
    ],
  };
}

export function blobReply(at: RepoCoordinates, sha: string, text: string): ReplyData<"GET /repos/{owner}/{repo}/git/blobs/{file_sha}"> {
  const content = Buffer.from(text, "utf8").toString("base64");
  return {
    ...fixture("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", "blob"),
    sha,
    content,
    encoding: "base64",
    size: Buffer.byteLength(text),
    url: api(`/repos/${at.owner}/${at.repo}/git/blobs/${sha}`),
  };
}

export function branchReply(name: string, commit: string, tree: string): ReplyData<"GET /repos/{owner}/{repo}/branches/{branch}"> {
  const body = fixture("GET /repos/{owner}/{repo}/branches/{branch}", "branch");
  return {
    ...body,
    name,
    commit: { ...body.commit, sha: commit, commit: { ...body.commit.commit, tree: { ...body.commit.commit.tree, sha: tree } } },
  };
}

export interface PullFields {
  number: number;
  title: string;
  body: string;
  head: string;
  base: string;
  merged?: boolean;
  labels?: string[];
  reviewers?: string[];
  teams?: string[];
}

function pullUrls(at: RepoCoordinates, number: number) {
  return {
    url: api(`/repos/${at.owner}/${at.repo}/pulls/${number}`),
    html_url: `https://github.com/${at.owner}/${at.repo}/pull/${number}`,
  };
}

export function pullReply(at: RepoCoordinates, fields: PullFields): ReplyData<"POST /repos/{owner}/{repo}/pulls"> {
  const body = fixture("POST /repos/{owner}/{repo}/pulls", "pull-request");
  const label = body.labels[0];
  const user = body.requested_reviewers?.[0];
  const team = body.requested_teams?.[0];
  return {
    ...body,
    ...pullUrls(at, fields.number),
    number: fields.number,
    title: fields.title,
    body: fields.body,
    head: { ...body.head, ref: fields.head, label: `${at.owner}:${fields.head}` },
    base: { ...body.base, ref: fields.base, label: `${at.owner}:${fields.base}` },
    labels: label ? (fields.labels ?? []).map((name, i) => ({ ...label, id: i + 1, name })) : [],
    requested_reviewers: user ? (fields.reviewers ?? []).map((login, i) => ({ ...user, id: i + 100, login })) : [],
    requested_teams: team ? (fields.teams ?? []).map((slug, i) => ({ ...team, id: i + 200, slug, name: slug })) : [],
    merged: fields.merged ?? false,
  };
}

export function pullListReply(at: RepoCoordinates, pulls: readonly PullFields[]): ReplyData<"GET /repos/{owner}/{repo}/pulls"> {
  const [template] = fixture("GET /repos/{owner}/{repo}/pulls", "pull-request-simple-items");
  if (!template) throw new Error("pull-request-simple-items fixture is empty");
  return pulls.map((fields) => {
    const full = pullReply(at, fields);
    const team = template.requested_teams?.[0];
    const label = template.labels[0];
    return {
      ...template,
      ...pullUrls(at, fields.number),
      number: fields.number,
      title: fields.title,
      body: fields.body,
      head: full.head,
      base: full.base,
      labels: label ? (fields.labels ?? []).map((name, i) => ({ ...label, id: i + 1, name })) : [],
      requested_reviewers: full.requested_reviewers,
      requested_teams: team ? (fields.teams ?? []).map((slug, i) => ({ ...team, id: i + 200, slug, name: slug })) : [],
    };
  });
}

export function reviewRequestReply(
  at: RepoCoordinates,
  fields: PullFields,
): ReplyData<"POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers"> {
  const [simple] = pullListReply(at, [fields]);
  if (!simple) throw new Error("unreachable");
  return simple;
}

export function labelsReply(names: readonly string[]): ReplyData<"POST /repos/{owner}/{repo}/issues/{issue_number}/labels"> {
  const [label] = fixture("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", "label-items");
  if (!label) throw new Error("label-items fixture is empty");
  return names.map((name, i) => ({ ...label, id: i + 1, name }));
}

export interface CommentFields {
  id: number;
  body: string;
  login?: string;
  /** `Bot` for App accounts. */
  type?: "User" | "Bot";
}

export function commentReply(
  at: RepoCoordinates,
  issueNumber: number,
  fields: CommentFields,
): ReplyData<"POST /repos/{owner}/{repo}/issues/{issue_number}/comments"> {
  const body = fixture("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", "issue-comment");
  const login = fields.login ?? "gitops-bot[bot]";
  return {
    ...body,
    id: fields.id,
    body: fields.body,
    url: api(`/repos/${at.owner}/${at.repo}/issues/comments/${fields.id}`),
    html_url: `https://github.com/${at.owner}/${at.repo}/issues/${issueNumber}#issuecomment-${fields.id}`,
    issue_url: api(`/repos/${at.owner}/${at.repo}/issues/${issueNumber}`),
    user: body.user ? { ...body.user, login, type: fields.type ?? "Bot" } : null,
  };
}

export function commentListReply(
  at: RepoCoordinates,
  issueNumber: number,
  comments: readonly CommentFields[],
): ReplyData<"GET /repos/{owner}/{repo}/issues/{issue_number}/comments"> {
  return comments.map((c) => commentReply(at, issueNumber, c));
}

export function reactionReply(
  content: "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes",
): ReplyData<"POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"> {
  return { ...fixture("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", "reaction"), content };
}

export function permissionReply(
  login: string,
  role: string,
  permission: string = role === "maintain" ? "write" : role === "triage" ? "read" : role,
): ReplyData<"GET /repos/{owner}/{repo}/collaborators/{username}/permission"> {
  const body = fixture("GET /repos/{owner}/{repo}/collaborators/{username}/permission", "collaborator-permission");
  return { ...body, permission, role_name: role, user: body.user ? { ...body.user, login, role_name: role } : null };
}

export function membershipReply(state: "active" | "pending"): ReplyData<"GET /orgs/{org}/teams/{team_slug}/memberships/{username}"> {
  return { ...fixture("GET /orgs/{org}/teams/{team_slug}/memberships/{username}", "team-membership"), state, role: "member" };
}

/** A team as the App's TeamsOfUser query selects it: its slug and the slugs of the teams above it. */
export interface TeamOfUser {
  slug: string;
  ancestors?: string[];
}

/** One page of the App's TeamsOfUser GraphQL query (`src/adapters/github/people.ts`). */
export function teamsOfUserReply(teams: readonly (string | TeamOfUser)[], next: string | null = null) {
  const nodes = teams
    .map((team) => (typeof team === "string" ? { slug: team } : team))
    .map((team) => ({
      slug: team.slug,
      ancestors: { nodes: (team.ancestors ?? []).map((slug) => ({ slug })), pageInfo: { hasNextPage: false } },
    }));
  return { data: { organization: { teams: { nodes, pageInfo: { hasNextPage: next !== null, endCursor: next } } } } };
}

export function issueReply(
  at: RepoCoordinates,
  number: number,
  state: "open" | "closed",
): ReplyData<"PATCH /repos/{owner}/{repo}/issues/{issue_number}"> {
  const body = fixture("PATCH /repos/{owner}/{repo}/issues/{issue_number}", "issue");
  return {
    ...body,
    number,
    state,
    url: api(`/repos/${at.owner}/${at.repo}/issues/${number}`),
    html_url: `https://github.com/${at.owner}/${at.repo}/issues/${number}`,
  };
}

export interface DeliveryFields {
  id: number;
  guid: string;
  /** Epoch milliseconds. */
  at: number;
  statusCode: number;
  redelivery?: boolean;
  event?: string;
  action?: string | null;
}

/** One page of `GET /app/hook/deliveries` (GitHub's `hook-delivery-item`). */
export function deliveriesReply(items: readonly DeliveryFields[]): ReplyData<"GET /app/hook/deliveries"> {
  return items.map((d) => ({
    id: d.id,
    guid: d.guid,
    delivered_at: new Date(d.at).toISOString(),
    redelivery: d.redelivery ?? false,
    duration: 0.27,
    status: d.statusCode >= 200 && d.statusCode < 300 ? "OK" : d.statusCode === 0 ? "timed out" : "Internal Server Error",
    status_code: d.statusCode,
    event: d.event ?? "issue_comment",
    action: d.action === undefined ? "created" : d.action,
    installation_id: 1,
    repository_id: 1296269,
  }));
}

/** `GET /app`: the App itself, as GitHub describes it (its slug names its bot account `slug[bot]`). */
export function appReply(slug: string, id = 31337): ReplyData<"GET /app"> {
  const owner = {
    login: "acme",
    id: 1,
    node_id: "MDEyOk9yZ2FuaXphdGlvbjE=",
    avatar_url: "https://avatars.githubusercontent.com/u/1",
    gravatar_id: "",
    url: "https://api.github.com/users/acme",
    html_url: "https://github.com/acme",
    followers_url: "https://api.github.com/users/acme/followers",
    following_url: "",
    gists_url: "",
    starred_url: "",
    subscriptions_url: "https://api.github.com/users/acme/subscriptions",
    organizations_url: "https://api.github.com/users/acme/orgs",
    repos_url: "https://api.github.com/users/acme/repos",
    events_url: "",
    received_events_url: "https://api.github.com/users/acme/received_events",
    type: "Organization",
    site_admin: false,
  };
  return {
    id,
    slug,
    node_id: "MDM6QXBwMzEzMzc=",
    client_id: "Iv1.0000000000000000",
    owner,
    name: slug,
    description: "test",
    external_url: "https://example.com",
    html_url: `https://github.com/apps/${slug}`,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    permissions: { contents: "write" },
    events: ["issues"],
  };
}
