import { describe, expect, it } from "vitest";
import { gitBlobSha } from "../../../src/adapters/git-blob-sha.js";
import { BlobCache } from "../../../src/adapters/github/blob-cache.js";
import { GitHubGateway } from "../../../src/adapters/github/gateway.js";
import { describeRefusedReviewers } from "../../../src/core/report/refused-reviewers.js";
import { GitHubMock, githubError } from "../../helpers/github-mock.js";
import { GITOPS } from "../../helpers/github-scenario.js";
import {
  CHECK_RUN_ID,
  HEAD_COMMIT,
  PR_BASE_COMMIT,
  mockArchive,
  mockBlobs,
  mockCheckRun,
  mockCommitTree,
  mockMergeBase,
  mockReviewRequest,
} from "../../helpers/policy-check-scenario.js";
import { testOctokit } from "../../helpers/octokit.js";

function gateway(blobCache = new BlobCache()) {
  return new GitHubGateway({ octokit: testOctokit(), ...GITOPS, blobCache });
}

describe("GitHubGateway for the policy check", () => {
  it("asks GitHub's comparison for the merge base only, and takes unrelated histories (404) as none", async () => {
    const gh = new GitHubMock();
    mockMergeBase(gh, { mergeBase: "abc0000000000000000000000000000000000001" });
    expect(await gateway().pullRequests.mergeBase(PR_BASE_COMMIT, HEAD_COMMIT)).toBe("abc0000000000000000000000000000000000001");
    gh.on("GET /repos/{owner}/{repo}/compare/{basehead}", {
      params: { ...GITOPS, basehead: `${PR_BASE_COMMIT}...${HEAD_COMMIT}` },
      query: { per_page: 1 },
      reply: { status: 404, data: githubError("Not Found") },
    });
    expect(await gateway().pullRequests.mergeBase(PR_BASE_COMMIT, HEAD_COMMIT)).toBeNull();
  });

  it("reads a commit with one listing and each blob once, from the shared cache afterwards", async () => {
    const gh = new GitHubMock();
    const file = { path: "apps/a.yaml", content: "kind: ConfigMap\n" };
    mockCommitTree(gh, HEAD_COMMIT, [file]);
    mockBlobs(gh, [file]);
    const cache = new BlobCache();
    const reader = gateway(cache).commitReader(HEAD_COMMIT);
    expect(await reader.listFiles()).toEqual([{ path: "apps/a.yaml", sha: gitBlobSha(file.content) }]);
    expect(await reader.readFile("apps/a.yaml")).toBe(file.content);
    expect(await reader.readFile("apps/a.yaml")).toBe(file.content);
    expect(await reader.readFile("apps/missing.yaml")).toBeNull();
    expect(gh.count()).toBe(2);
  });

  it("reads 50 or more uncached files from one archive of the commit, fewer blob by blob", async () => {
    const gh = new GitHubMock();
    const files = Array.from({ length: 60 }, (_, i) => ({ path: `apps/f-${i}.yaml`, content: `i: ${i}\n` }));
    mockCommitTree(gh, HEAD_COMMIT, files);
    mockArchive(gh, HEAD_COMMIT, files);
    mockBlobs(gh, files.slice(0, 1));
    const reader = gateway().commitReader(HEAD_COMMIT);
    await reader.prefetch(files.slice(0, 49).map((f) => f.path));
    expect(await reader.readFile("apps/f-0.yaml")).toBe("i: 0\n");
    await reader.prefetch(files.map((f) => f.path));
    expect(await Promise.all(files.map((f) => reader.readFile(f.path)))).toEqual(files.map((f) => f.content));
    expect(gh.log()).toEqual([
      "GET /repos/{owner}/{repo}/git/trees/{tree_sha}",
      "GET /repos/{owner}/{repo}/git/blobs/{file_sha}",
      "GET /repos/{owner}/{repo}/tarball/{ref}",
    ]);
  });

  it("creates a Check Run in progress, then updates it with output, annotations and a conclusion", async () => {
    const gh = new GitHubMock();
    mockCheckRun(gh, 1);
    const gw = gateway();
    const id = await gw.checkRuns.create({ name: "gitops-bot / policies", headSha: HEAD_COMMIT });
    await gw.checkRuns.update(id, {
      output: {
        title: "t",
        summary: "s",
        annotations: [{ path: "a.yaml", start_line: 1, end_line: 1, annotation_level: "notice", message: "m" }],
      },
      conclusion: "neutral",
    });
    expect(id).toBe(CHECK_RUN_ID);
    expect(gh.bodies("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}")).toEqual([
      {
        output: {
          title: "t",
          summary: "s",
          annotations: [{ path: "a.yaml", start_line: 1, end_line: 1, annotation_level: "notice", message: "m" }],
        },
        status: "completed",
        conclusion: "neutral",
      },
    ]);
  });

  it("asks only reviewers not requested yet, and says so instead of failing when GitHub refuses", async () => {
    const gh = new GitHubMock();
    mockReviewRequest(gh, { number: 7, title: "", body: "", head: "feature", base: "main" });
    gh.on("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", {
      params: { ...GITOPS, pull_number: 8 },
      reply: { status: 422, data: githubError("Reviews may only be requested from collaborators.") },
    });
    const gw = gateway();
    expect(
      await gw.pullRequests.requestReviewers({ number: 7, requestedReviewers: ["carol"], requestedTeams: [] }, [
        "carol",
        "dave",
        "acme/platform",
      ]),
    ).toEqual({ requested: ["dave", "acme/platform"], refused: [] });
    expect(gh.bodies("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers")[0]).toEqual({
      reviewers: ["dave"],
      team_reviewers: ["platform"],
    });
    const refused = await gw.pullRequests.requestReviewers({ number: 8, requestedReviewers: [], requestedTeams: [] }, ["mallory"]);
    expect(refused).toEqual({ requested: [], refused: [{ reviewer: "mallory", reason: "no-access" }] });
    expect(describeRefusedReviewers({ refused: refused.refused, repository: gw.fullName }).map((p) => p.message)).toEqual([
      "GitHub refused the review request for `mallory`: give them access to `acme/gitops`.",
    ]);
  });

  it("reads the bot configuration as committed at a ref", async () => {
    const gh = new GitHubMock();
    gh.on("GET /repos/{owner}/{repo}/contents/{path}", {
      params: { ...GITOPS, path: ".github/gitops-bot.yml" },
      query: { ref: HEAD_COMMIT },
      reply: { status: 200, raw: "labels: [x]\n" },
    });
    expect(await gateway().contents.readConfig(".github/gitops-bot.yml", HEAD_COMMIT)).toEqual({ raw: { labels: ["x"] } });
  });
});
