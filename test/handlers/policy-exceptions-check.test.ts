import { describe, expect, it } from "vitest";
import { GitHubMock } from "../helpers/github-mock.js";
import { GITOPS, README, mockConfig, type BaseFile } from "../helpers/github-scenario.js";
import { pullRequestEvent } from "../helpers/check-payloads.js";
import { WEB_EXCEPTION, hostPortDeployment } from "../helpers/policy-exception-fixtures.js";
import {
  HEAD_COMMIT,
  PR_BASE_COMMIT,
  mockBlobs,
  mockCheckRun,
  mockCommitTree,
  mockMergeBase,
  mockReviewRequest,
  mockTeams,
} from "../helpers/policy-check-scenario.js";
import { createTestProbot, deliver } from "../helpers/probot.js";

const repo = { owner: GITOPS.owner, name: GITOPS.repo };
const CONFIG = "approvals:\n  platform: [carol]\n";

const WEB = "apps/shop/web.yaml";
const EXCEPTION_PATH = "apps/shop/web.policy-exception.yaml";

function mockChange(gh: GitHubMock, params: { base: BaseFile[]; changed: BaseFile[] }) {
  const head = [...params.base.filter((f) => !params.changed.some((c) => c.path === f.path)), ...params.changed];
  mockConfig(gh, GITOPS, CONFIG);
  mockCheckRun(gh, 1);
  mockMergeBase(gh);
  mockCommitTree(gh, HEAD_COMMIT, head);
  mockCommitTree(gh, PR_BASE_COMMIT, params.base);
  mockBlobs(
    gh,
    head.filter((f) => f.path.endsWith(".yaml")),
  );
  mockTeams(gh, "alice", { platform: null, shop: "active" });
}

function completed(gh: GitHubMock) {
  return gh.bodies("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}").at(-1);
}

const opened = (changedFiles: number) =>
  pullRequestEvent("opened", { repo, author: { login: "alice" }, headSha: HEAD_COMMIT, baseSha: PR_BASE_COMMIT, changedFiles });

describe("Kyverno PolicyExceptions in the pull request check", () => {
  it("a PolicyException on the base branch is honoured: its violation is a notice naming it, and the check passes", async () => {
    const gh = new GitHubMock();
    mockChange(gh, {
      base: [README, { path: EXCEPTION_PATH, content: WEB_EXCEPTION }],
      changed: [{ path: WEB, content: hostPortDeployment() }],
    });
    await deliver(await createTestProbot(), "pull_request.opened", opened(1));

    const done = completed(gh);
    expect(done).toMatchObject({ conclusion: "success", output: { title: "0 errors, 0 warnings, 1 notice" } });
    expect(done?.output?.annotations).toEqual([
      expect.objectContaining({
        path: WEB,
        start_line: 21,
        annotation_level: "notice",
        title: "disallow-host-ports/host-ports",
        message: expect.stringMatching(
          /^Excepted by PolicyException shop-dev\/web-host-port: Deployment "web": Host ports are not allowed/,
        ) as unknown as string,
      }),
    ]);
    expect(gh.bodies("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers")).toEqual([]);
  });

  it("a PolicyException added in the same pull request is not honoured (tampering), is said so at its line, and asks the platform review", async () => {
    const gh = new GitHubMock();
    mockChange(gh, {
      base: [README],
      changed: [
        { path: WEB, content: hostPortDeployment() },
        { path: EXCEPTION_PATH, content: WEB_EXCEPTION },
      ],
    });
    mockReviewRequest(gh, { number: 7, title: "", body: "", head: "feature", base: "main", reviewers: ["carol"], teams: [] });
    await deliver(await createTestProbot(), "pull_request.opened", opened(2));

    const done = completed(gh);
    expect(done).toMatchObject({ conclusion: "failure" });
    const annotations = done?.output?.annotations ?? [];
    expect(annotations.map((a) => [a.path, a.annotation_level, a.title])).toEqual([
      [WEB, "failure", "disallow-host-ports/host-ports"],
      [EXCEPTION_PATH, "notice", "gitops-bot/policy-exception.not-honoured"],
    ]);
    expect(annotations[1]?.message).toMatch(
      /PolicyException shop-dev\/web-host-port is added or changed by this change, so it does not except anything in it/,
    );
    expect(gh.bodies("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers")).toEqual([
      { reviewers: ["carol"], team_reviewers: [] },
    ]);
    expect(done?.output?.summary).toContain("Kyverno PolicyExceptions (`apps/shop/web.policy-exception.yaml`)");
  });

  it("a PolicyException on the base that the pull request changes is not honoured either", async () => {
    const gh = new GitHubMock();
    const widened = WEB_EXCEPTION.replace("names: [web]", 'names: ["*"]');
    mockChange(gh, {
      base: [README, { path: EXCEPTION_PATH, content: WEB_EXCEPTION }],
      changed: [
        { path: WEB, content: hostPortDeployment() },
        { path: EXCEPTION_PATH, content: widened },
      ],
    });
    mockReviewRequest(gh, { number: 7, title: "", body: "", head: "feature", base: "main", reviewers: ["carol"], teams: [] });
    await deliver(await createTestProbot(), "pull_request.opened", opened(2));
    expect(completed(gh)).toMatchObject({ conclusion: "failure" });
  });
});
