import { codeSpan } from "./markdown.js";

/** Why a GitHub request failed, in the classes the retry policy knows. */
export type FailureKind = "server-error" | "network" | "too-many-requests" | "secondary-rate-limit" | "rate-limit" | "refused";

/** A GitHub request that failed for good, after the retries: what was asked and what went wrong. */
export interface GitHubFault {
  /** The route template, `POST /repos/{owner}/{repo}/git/refs`: never a filled-in path. */
  route: string;
  kind: FailureKind;
  /** The HTTP status, or null when GitHub could not be reached. */
  status: number | null;
  attempts: number;
}

/** What each request of the App does, in the words of the person who asked. */
const ACTIONS: Record<string, string> = {
  "GET /repos/{owner}/{repo}/contents/{path}": "read the configuration",
  "GET /repos/{owner}/{repo}/collaborators/{username}/permission": "check the requester's permission",
  "GET /orgs/{org}/teams/{team_slug}/memberships/{username}": "check a team membership",
  "POST /graphql (TeamsOfUser)": "list the author's teams",
  "GET /repos/{owner}/{repo}/issues/{issue_number}/comments": "read this issue's comments",
  "POST /repos/{owner}/{repo}/issues/{issue_number}/comments": "write the status comment",
  "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}": "update the status comment",
  "DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}": "remove a duplicate status comment",
  "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions": "react to the command",
  "POST /repos/{owner}/{repo}/issues/{issue_number}/reactions": "react to the issue",
  "GET /repos/{owner}/{repo}/git/ref/{ref}": "read the base branch",
  "GET /repos/{owner}/{repo}/git/trees/{tree_sha}": "list the files of the GitOps repository",
  "GET /repos/{owner}/{repo}/git/blobs/{file_sha}": "read a file of the GitOps repository",
  "GET /repos/{owner}/{repo}/tarball/{ref}": "download the GitOps repository",
  "POST /repos/{owner}/{repo}/git/trees": "write the files",
  "POST /repos/{owner}/{repo}/git/commits": "create the commit",
  "GET /repos/{owner}/{repo}/branches/{branch}": "read the request's branch",
  "POST /repos/{owner}/{repo}/git/refs": "create the branch",
  "PATCH /repos/{owner}/{repo}/git/refs/{ref}": "update the branch",
  "GET /repos/{owner}/{repo}/pulls": "look for the pull request",
  "POST /repos/{owner}/{repo}/pulls": "open the pull request",
  "PATCH /repos/{owner}/{repo}/pulls/{pull_number}": "update the pull request",
  "POST /repos/{owner}/{repo}/issues/{issue_number}/labels": "label the pull request",
  "POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers": "request reviewers",
  "PATCH /repos/{owner}/{repo}/issues/{issue_number}": "close this issue",
};

const CAUSES: Record<FailureKind, (status: number | null) => string> = {
  "secondary-rate-limit": () => "secondary rate limit (too many requests in a short time)",
  "rate-limit": () => "the App's hourly rate limit is used up",
  "too-many-requests": () => "too many requests (429)",
  "server-error": (status) => `server error ${status ?? ""}`.trim(),
  network: () => "GitHub could not be reached (network error)",
  refused: (status) => `it answered ${status ?? "an error"}`,
};

/**
 * One plain sentence for a fault, "GitHub refused to create the branch: secondary rate limit
 * (…), after 4 attempts." A fault without a recorded request is a bug of the bot.
 */
export function renderFaultMessage(fault: GitHubFault | null): string {
  if (fault === null)
    return "The bot failed unexpectedly while handling this request (an error on our side, logged for the App's operators).";
  const action = ACTIONS[fault.route] ?? `make a request (${codeSpan(fault.route, 200)})`;
  const verb = fault.kind === "server-error" || fault.kind === "network" ? "failed to" : "refused to";
  const tries = fault.attempts > 1 ? `, after ${fault.attempts} attempts` : "";
  return `GitHub ${verb} ${action}: ${CAUSES[fault.kind](fault.status)}${tries}.`;
}
