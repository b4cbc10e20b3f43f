import { describe, expect, it } from "vitest";
import { GitHubMock, githubError } from "../helpers/github-mock.js";
import { GITOPS, README, type BaseFile } from "../helpers/github-scenario.js";
import { pullRequestEvent } from "../helpers/check-payloads.js";
import {
  HEAD_COMMIT,
  PR_BASE_COMMIT,
  deployment,
  mockBlobs,
  mockCheckRun,
  mockCommitTree,
  mockDefaultConfig,
  mockMergeBase,
  mockTeams,
  mockTeamsOfUser,
} from "../helpers/policy-check-scenario.js";
import { createTestProbot, deliver } from "../helpers/probot.js";

const repo = { owner: GITOPS.owner, name: GITOPS.repo };

function opened() {
  return pullRequestEvent("opened", { repo, author: { login: "alice" }, headSha: HEAD_COMMIT, baseSha: PR_BASE_COMMIT });
}

/** alice's pull request changing one Deployment in each of `teams`' folders (its blobs read unless the check stops before). */
function mockPullRequest(gh: GitHubMock, teams: readonly string[], blobs = true): void {
  const changed: BaseFile[] = teams.map((team) => ({ path: `apps/${team}/web.yaml`, content: deployment({ name: `${team}-web` }) }));
  mockDefaultConfig(gh);
  mockCheckRun(gh, 1);
  mockMergeBase(gh);
  mockCommitTree(gh, HEAD_COMMIT, [README, ...changed]);
  mockCommitTree(gh, PR_BASE_COMMIT, [README]);
  if (blobs) mockBlobs(gh, changed);
}

function ownershipFindings(gh: GitHubMock): string[] {
  const [done] = gh.bodies("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}");
  return (done?.output?.annotations ?? []).filter((a) => a.title === "platform/namespace-ownership").map((a) => a.path);
}

describe("the author's teams in the policy check", () => {
  it("from three teams on, asks all of the author's teams in one GraphQL query instead of one request per team", async () => {
    const gh = new GitHubMock();
    mockPullRequest(gh, ["shop", "payments", "search"]);
    // A member of shop directly and of search through a child team.
    mockTeamsOfUser(gh, "alice", ["shop", { slug: "search-web", ancestors: ["search"] }]);
    await deliver(await createTestProbot(), "pull_request.opened", opened());
    expect(gh.graphqlRequests("TeamsOfUser")).toHaveLength(1);
    expect(gh.log().filter((l) => l.includes("/teams/"))).toEqual([]);
    expect([...new Set(ownershipFindings(gh))]).toEqual(["apps/payments/web.yaml"]);
  });

  it("a platform engineer's change across three teams passes on the same one query", async () => {
    const gh = new GitHubMock();
    mockPullRequest(gh, ["shop", "payments", "search"]);
    mockTeamsOfUser(gh, "alice", ["platform"]);
    await deliver(await createTestProbot(), "pull_request.opened", opened());
    expect(ownershipFindings(gh)).toEqual([]);
    expect(gh.bodies("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}")[0]?.conclusion).toBe("success");
  });

  it("up to two teams (the platform team and one owner) are still asked one by one, by REST: no throttled GraphQL request", async () => {
    const gh = new GitHubMock();
    mockPullRequest(gh, ["shop"]);
    mockTeams(gh, "alice", { platform: null, shop: "active" });
    await deliver(await createTestProbot(), "pull_request.opened", opened());
    expect(gh.graphqlRequests()).toEqual([]);
    expect(ownershipFindings(gh)).toEqual([]);
  });

  it.each([
    [
      "a GraphQL error (the App lacks members: read)",
      { data: null, errors: [{ type: "FORBIDDEN", message: "Resource not accessible by integration" }] },
    ],
    ["a 403", { status: 403 as const, data: githubError("Resource not accessible by integration") }],
  ])("%s is never read as 'member of no team': the check cannot finish, and says so", async (_, reply) => {
    const gh = new GitHubMock();
    mockPullRequest(gh, ["shop", "payments", "search"], false);
    mockTeamsOfUser(gh, "alice", reply);
    await expect(deliver(await createTestProbot(), "pull_request.opened", opened())).rejects.toThrow();
    const [done] = gh.bodies("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}");
    expect(done).toMatchObject({ conclusion: "failure", output: { title: "The policy check could not finish" } });
    expect(ownershipFindings(gh)).toEqual([]);
  });
});
