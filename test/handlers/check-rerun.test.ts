import { Writable } from "node:stream";
import { pino } from "pino";
import { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { createAppDeps, registerHandlers } from "../../src/handlers/register-handlers.js";
import { GitHubMock } from "../helpers/github-mock.js";
import { GITOPS, README, mockConfig, type BaseFile } from "../helpers/github-scenario.js";
import { checkRunRerequested, checkSuiteRerequested, pullRequestEvent, pullRequestEdited } from "../helpers/check-payloads.js";
import { TestOctokit } from "../helpers/octokit.js";
import {
  HEAD_COMMIT,
  PR_BASE_COMMIT,
  mockBlobs,
  mockCheckRun,
  mockCommitTree,
  mockGetPull,
  mockDefaultConfig,
  mockNoConfig,
  mockMergeBase,
  mockPullsForCommit,
  mockTeams,
  mockArchive,
  deployment,
} from "../helpers/policy-check-scenario.js";
import { createTestProbot, deliver } from "../helpers/probot.js";

const repo = { owner: GITOPS.owner, name: GITOPS.repo };
const web: BaseFile = { path: "apps/shop/web.yaml", content: deployment() };
const pull = { number: 7, title: "Add web", body: "", head: "feature", base: "main", headSha: HEAD_COMMIT, baseSha: PR_BASE_COMMIT };

/** Everything after the pull request is known: config, check run, files, trees, teams, blobs. */
function mockCheck(gh: GitHubMock, files: readonly BaseFile[] = [web], options: { config?: boolean; teams?: boolean } = {}) {
  if (options.config !== false) mockDefaultConfig(gh);
  mockCheckRun(gh, 1);
  mockMergeBase(gh);
  mockCommitTree(gh, HEAD_COMMIT, [README, ...files]);
  mockCommitTree(gh, PR_BASE_COMMIT, [README]);
  if (options.teams !== false) mockTeams(gh, "alice", { platform: null, shop: "active" });
  mockBlobs(gh, files);
}

/** A Probot whose log lines (debug and up) are kept, to see why an event was ignored. */
async function probotWithLog(): Promise<{ probot: Probot; lines: () => string[] }> {
  const lines: string[] = [];
  const stream = new Writable({ write: (chunk: Buffer, _encoding, done) => void (lines.push(String(chunk)), done()) });
  const probot = new Probot({ githubToken: "test", Octokit: TestOctokit, log: pino({ level: "debug" }, stream) });
  await probot.load((p: Probot) => registerHandlers(p, createAppDeps(p.log)));
  return { probot, lines: () => lines.map((l) => (JSON.parse(l) as { msg: string }).msg) };
}

describe("re-running the policy check", () => {
  it("check_suite.rerequested: checks the pull request the suite lists, at its current head", async () => {
    const gh = new GitHubMock();
    mockGetPull(gh, pull);
    mockCheck(gh);
    await deliver(
      await createTestProbot(),
      "check_suite.rerequested",
      checkSuiteRerequested({ repo, headSha: HEAD_COMMIT, pullRequests: [pull] }),
    );
    expect(gh.bodies("POST /repos/{owner}/{repo}/check-runs")).toEqual([
      { name: "gitops-bot / policies", head_sha: HEAD_COMMIT, status: "in_progress" },
    ]);
    expect(gh.bodies("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}")[0]?.conclusion).toBe("success");
  });

  it("check_run.rerequested of a fork's pull request (none listed): finds it by its head commit", async () => {
    const gh = new GitHubMock();
    mockPullsForCommit(gh, HEAD_COMMIT, [pull]);
    mockGetPull(gh, pull);
    mockCheck(gh);
    await deliver(await createTestProbot(), "check_run.rerequested", checkRunRerequested({ repo, headSha: HEAD_COMMIT, pullRequests: [] }));
    expect(gh.bodies("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}")[0]?.conclusion).toBe("success");
  });

  it("does not re-run another App's check, nor a commit the pull request has moved on from", async () => {
    const gh = new GitHubMock();
    await deliver(
      await createTestProbot(),
      "check_run.rerequested",
      checkRunRerequested({ repo, headSha: HEAD_COMMIT, pullRequests: [pull], checkName: "ci / build" }),
    );
    expect(gh.count()).toBe(0);

    mockGetPull(gh, { ...pull, headSha: "0ther00000000000000000000000000000000000" });
    await deliver(
      await createTestProbot(),
      "check_suite.rerequested",
      checkSuiteRerequested({ repo, headSha: HEAD_COMMIT, pullRequests: [pull] }),
    );
    expect(gh.log()).toEqual(["GET /repos/{owner}/{repo}/pulls/{pull_number}"]);
  });
});

describe("which pull requests are checked", () => {
  it("ignores, with a debug log, a pull request that does not target the GitOps base branch", async () => {
    const gh = new GitHubMock();
    mockDefaultConfig(gh);
    const { probot, lines } = await probotWithLog();
    await deliver(
      probot,
      "pull_request.opened",
      pullRequestEvent("opened", {
        repo,
        author: { login: "alice" },
        headSha: HEAD_COMMIT,
        baseSha: PR_BASE_COMMIT,
        baseRef: "release-1.2",
      }),
    );
    expect(gh.count("POST /repos/{owner}/{repo}/check-runs")).toBe(0);
    expect(lines()).toContain("ignored: pull request #7 targets release-1.2, not the GitOps base branch main");
  });

  it("ignores, with a debug log, a repository without .github/gitops-bot.yml (an organisation-wide install stays quiet)", async () => {
    const gh = new GitHubMock();
    mockNoConfig(gh);
    const { probot, lines } = await probotWithLog();
    await deliver(
      probot,
      "pull_request.opened",
      pullRequestEvent("opened", { repo, author: { login: "alice" }, headSha: HEAD_COMMIT, baseSha: PR_BASE_COMMIT }),
    );
    expect(gh.count("POST /repos/{owner}/{repo}/check-runs")).toBe(0);
    expect(lines()).toContain("ignored: acme/gitops has no .github/gitops-bot.yml, so it is not a GitOps repository of this App");
  });

  it("ignores pull requests of a request repository whose configuration names another GitOps repository", async () => {
    const gh = new GitHubMock();
    const requests = { owner: "acme", repo: "requests" };
    mockConfig(gh, requests, "gitops:\n  repository: acme/gitops\n");
    const { probot, lines } = await probotWithLog();
    await deliver(
      probot,
      "pull_request.opened",
      pullRequestEvent("opened", {
        repo: { owner: "acme", name: "requests" },
        author: { login: "alice" },
        headSha: HEAD_COMMIT,
        baseSha: PR_BASE_COMMIT,
      }),
    );
    expect(gh.count()).toBe(1);
    expect(lines()).toContain("ignored: acme/requests sends its requests to acme/gitops; only the GitOps repository is checked");
  });

  it("runs again when the pull request is retargeted to the GitOps base branch, not when only its title changes", async () => {
    const gh = new GitHubMock();
    mockCheck(gh);
    const event = { repo, author: { login: "alice" }, headSha: HEAD_COMMIT, baseSha: PR_BASE_COMMIT };
    const { probot, lines } = await probotWithLog();
    await deliver(probot, "pull_request.edited", pullRequestEdited(event, { baseFrom: { ref: "develop", sha: "d".repeat(40) } }));
    expect(gh.bodies("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}")[0]?.conclusion).toBe("success");

    const before = gh.count();
    await deliver(probot, "pull_request.edited", pullRequestEdited(event, { titleFrom: "Old title" }));
    expect(gh.count()).toBe(before);
    expect(lines()).toContain("ignored: pull request #7 was edited, its base branch was not");
  });

  it("the configured base branch decides, not the default branch", async () => {
    const gh = new GitHubMock();
    mockConfig(gh, GITOPS, "gitops:\n  baseBranch: production\n");
    mockCheck(gh, [web], { config: false });
    await deliver(
      await createTestProbot(),
      "pull_request.opened",
      pullRequestEvent("opened", {
        repo,
        author: { login: "alice" },
        headSha: HEAD_COMMIT,
        baseSha: PR_BASE_COMMIT,
        baseRef: "production",
      }),
    );
    expect(gh.count("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}")).toBe(1);
  });

  it("judges what the head changed since it branched (the merge base's tree against the head's), not what the base changed since", async () => {
    const gh = new GitHubMock();
    const mergeBase = "abc0000000000000000000000000000000000001";
    const bad: BaseFile = { path: "apps/shop/bad.yaml", content: deployment({ name: "bad", privileged: true }) };
    // Fixed on the base branch after the head branched off: the head still has the old version, untouched.
    const oldOther: BaseFile = { path: "apps/shop/other.yaml", content: deployment({ name: "other", privileged: true }) };
    const fixedOther: BaseFile = { path: "apps/shop/other.yaml", content: deployment({ name: "other" }) };
    mockDefaultConfig(gh);
    mockCheckRun(gh, 1);
    mockMergeBase(gh, { mergeBase });
    mockCommitTree(gh, mergeBase, [README, oldOther]);
    mockCommitTree(gh, PR_BASE_COMMIT, [README, fixedOther]);
    mockCommitTree(gh, HEAD_COMMIT, [README, oldOther, web, bad]);
    mockTeams(gh, "alice", { platform: null, shop: "active" });
    mockBlobs(gh, [web, bad, oldOther]);
    await deliver(
      await createTestProbot(),
      "pull_request.opened",
      pullRequestEvent("opened", { repo, author: { login: "alice" }, headSha: HEAD_COMMIT, baseSha: PR_BASE_COMMIT }),
    );
    const done = gh.bodies("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}")[0];
    expect(done?.output?.annotations?.map((a) => a.path)).toEqual(["apps/shop/bad.yaml"]);
    expect(done?.output?.summary).toMatch(/^Checked 2 files/);
  });

  it("a redelivered event makes a new run (annotations append, so a run is never rewritten) and reads no blob again", async () => {
    const gh = new GitHubMock();
    mockCheck(gh);
    mockDefaultConfig(gh);
    mockCheckRun(gh, 1);
    mockMergeBase(gh);
    mockCommitTree(gh, HEAD_COMMIT, [README, web]);
    mockCommitTree(gh, PR_BASE_COMMIT, [README]);
    mockTeams(gh, "alice", { platform: null, shop: "active" });
    const probot = await createTestProbot();
    const payload = pullRequestEvent("opened", { repo, author: { login: "alice" }, headSha: HEAD_COMMIT, baseSha: PR_BASE_COMMIT });
    await deliver(probot, "pull_request.opened", payload, "delivery-1");
    await deliver(probot, "pull_request.opened", payload, "delivery-1");
    expect(gh.count("GET /repos/{owner}/{repo}/git/blobs/{file_sha}")).toBe(1);
    expect(gh.bodies("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}").map((u) => u.conclusion)).toEqual(["success", "success"]);
  });
});

/** GitHub requests for checking a pull request that adds `count` manifests: first (cold) and again (blobs cached). */
async function checkRequests(count: number): Promise<{ cold: number; warm: number }> {
  const files = Array.from({ length: count }, (_, i) => ({ path: `apps/shop/svc-${i}.yaml`, content: deployment({ name: `svc-${i}` }) }));
  const probot = await createTestProbot();
  const payload = pullRequestEvent("synchronize", {
    repo,
    author: { login: "alice" },
    headSha: HEAD_COMMIT,
    baseSha: PR_BASE_COMMIT,
    changedFiles: count,
  });
  const counts: number[] = [];
  for (const warm of [false, true]) {
    const gh = new GitHubMock();
    mockDefaultConfig(gh);
    mockCheckRun(gh, 1);
    mockMergeBase(gh);
    mockCommitTree(gh, HEAD_COMMIT, [README, ...files]);
    mockCommitTree(gh, PR_BASE_COMMIT, [README]);
    mockTeams(gh, "alice", { platform: null, shop: "active" });
    // From 50 unread manifests on, one archive of the head replaces a request per blob.
    if (!warm && files.length >= 50) mockArchive(gh, HEAD_COMMIT, [README, ...files]);
    else if (!warm) mockBlobs(gh, files);
    await deliver(probot, "pull_request.synchronize", payload);
    expect(gh.bodies("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}")[0]?.conclusion).toBe("success");
    counts.push(gh.count());
  }
  return { cold: counts[0] ?? 0, warm: counts[1] ?? 0 };
}

describe("figures: GitHub API requests per pull request check", () => {
  it("costs a fixed 8 requests, plus one per manifest not read before, or one archive from 50 on", async () => {
    const [one, ten, hundred] = [await checkRequests(1), await checkRequests(10), await checkRequests(100)];
    console.log(
      `github requests per policy check: 1 manifest=${one.cold} (again: ${one.warm}), 10 manifests=${ten.cold} (again: ${ten.warm}), 100 manifests=${hundred.cold} (again: ${hundred.warm})`,
    );
    expect([one.cold, ten.cold, hundred.cold]).toEqual([9, 18, 9]);
    expect(new Set([one.warm, ten.warm, hundred.warm])).toEqual(new Set([8]));
  });
});
