import { describe, expect, it } from "vitest";
import { GitHubMock } from "../helpers/github-mock.js";
import { GITOPS, README, type BaseFile } from "../helpers/github-scenario.js";
import { pullRequestEvent, type PullRequestEventOptions } from "../helpers/check-payloads.js";
import {
  HEAD_COMMIT,
  PR_BASE_COMMIT,
  mockBlobs,
  mockCheckRun,
  mockCommitTree,
  mockDefaultConfig,
  mockMergeBase,
  deployment,
  mockTeams,
} from "../helpers/policy-check-scenario.js";
import { createTestProbot, deliver } from "../helpers/probot.js";
import * as replies from "../helpers/github-replies.js";
import { renderPullRequestBody } from "../../src/core/report/pr-body.js";
import { aProvisionRequest } from "../helpers/requests.js";

const repo = { owner: GITOPS.owner, name: GITOPS.repo };
const alice = { login: "alice" };

function opened(options: Partial<PullRequestEventOptions> = {}) {
  return pullRequestEvent("opened", { repo, author: alice, headSha: HEAD_COMMIT, baseSha: PR_BASE_COMMIT, ...options });
}

/**
 * A pull request by alice (team shop, not platform) that changes `changed` on top of `base`:
 * config (none), check run, file list, both trees, team lookups and the blobs the check reads.
 */
function mockPullRequest(
  gh: GitHubMock,
  params: { base: BaseFile[]; changed: BaseFile[]; updates?: number; reads?: BaseFile[]; teams?: Record<string, "active" | null> | null },
) {
  const head = [...params.base.filter((f) => !params.changed.some((c) => c.path === f.path)), ...params.changed];
  mockDefaultConfig(gh);
  mockCheckRun(gh, params.updates ?? 1);
  mockMergeBase(gh);
  mockCommitTree(gh, HEAD_COMMIT, head);
  mockCommitTree(gh, PR_BASE_COMMIT, params.base);
  mockBlobs(gh, params.reads ?? head.filter((f) => f.path.endsWith(".yaml")));
  if (params.teams !== null) mockTeams(gh, "alice", params.teams ?? { platform: null, shop: "active" });
}

function updates(gh: GitHubMock) {
  return gh.bodies("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}");
}

describe("policy check of a pull request", () => {
  it("a clean pull request gets one successful Check Run: created in progress, completed with the summary", async () => {
    const gh = new GitHubMock();
    mockPullRequest(gh, { base: [README], changed: [{ path: "apps/shop/web.yaml", content: deployment() }] });
    await deliver(await createTestProbot(), "pull_request.opened", opened());

    expect(gh.bodies("POST /repos/{owner}/{repo}/check-runs")).toEqual([
      { name: "gitops-bot / policies", head_sha: HEAD_COMMIT, status: "in_progress" },
    ]);
    const [done] = updates(gh);
    expect(done).toMatchObject({ status: "completed", conclusion: "success", output: { title: "All policies pass", annotations: [] } });
    expect(done?.output?.summary).toMatch(
      /^Checked 1 file against \d+ policies: no findings\.\n\nSchemas: Kubernetes 1\.33 \(configured 1\.31, nearest shipped of 1\.27, 1\.33, 1\.34\), from kubernetes-models 4\.5\.\d+, .*\. Fields and kinds that changed between 1\.31 and 1\.33 are judged as 1\.33 has them\.$/,
    );
    expect(gh.log()).toEqual([
      "GET /repos/{owner}/{repo}/contents/{path}",
      "POST /repos/{owner}/{repo}/check-runs",
      // The merge base (the base commit here), both trees to tell the changed files, then the author's teams.
      "GET /repos/{owner}/{repo}/compare/{basehead}",
      "GET /repos/{owner}/{repo}/git/trees/{tree_sha}",
      "GET /repos/{owner}/{repo}/git/trees/{tree_sha}",
      "GET /orgs/{org}/teams/{team_slug}/memberships/{username}",
      "GET /orgs/{org}/teams/{team_slug}/memberships/{username}",
      "GET /repos/{owner}/{repo}/git/blobs/{file_sha}",
      "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}",
    ]);
  });

  it("a privileged container fails the check with an annotation at the line and column of `privileged:`", async () => {
    const gh = new GitHubMock();
    const text = deployment({ privileged: true });
    mockPullRequest(gh, { base: [README], changed: [{ path: "apps/shop/web.yaml", content: text }] });
    await deliver(await createTestProbot(), "pull_request.opened", opened());

    const [done] = updates(gh);
    expect(done).toMatchObject({ conclusion: "failure", output: { title: "1 error, 0 warnings" } });
    const line = text.split("\n").findIndex((l) => l.includes("privileged: true")) + 1;
    const column = (text.split("\n")[line - 1]?.indexOf("privileged") ?? -1) + 1;
    expect([line, column]).toEqual([20, 13]);
    expect(done?.output?.annotations).toEqual([
      {
        path: "apps/shop/web.yaml",
        start_line: 20,
        end_line: 20,
        start_column: 13,
        end_column: 13,
        annotation_level: "failure",
        title: "disallow-privileged-containers/privileged-containers",
        message: expect.stringContaining("Privileged mode is not allowed"),
        raw_details: "Field: spec.template.spec.containers[0].securityContext.privileged",
      },
    ]);
    expect(done?.output?.summary).toContain("| `disallow-privileged-containers` | `privileged-containers` | 1 | 0 | 0 |");
  });

  it("120 findings go out in three requests of 50, 50 and 20 annotations; only the last completes the run", async () => {
    const gh = new GitHubMock();
    const pods = Array.from({ length: 120 }, (_, i) => deployment({ name: `job-${i}`, privileged: true })).join("---\n");
    mockPullRequest(gh, { base: [README], changed: [{ path: "apps/shop/jobs.yaml", content: pods }], updates: 3 });
    await deliver(await createTestProbot(), "pull_request.opened", opened());

    const sent = updates(gh);
    expect(sent.map((u) => u.output?.annotations?.length)).toEqual([50, 50, 20]);
    expect(sent.map((u) => u.conclusion)).toEqual([undefined, undefined, "failure"]);
    expect(sent[0]?.output?.summary).toBe("Adding annotations: 50 of 120.");
    expect(sent[2]?.output?.title).toBe("120 errors, 0 warnings");
    const lines = sent.flatMap((u) => u.output?.annotations ?? []).map((a) => a.start_line);
    expect(new Set(lines).size).toBe(120);
  });

  it("malformed YAML is one finding at its line; the file's other problems are not guessed at", async () => {
    const gh = new GitHubMock();
    const broken = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\n  labels: [unclosed\ndata: {}\n";
    mockPullRequest(gh, { base: [README], changed: [{ path: "apps/shop/broken.yaml", content: broken }] });
    await deliver(await createTestProbot(), "pull_request.opened", opened());

    const [done] = updates(gh);
    expect(done?.conclusion).toBe("failure");
    expect(done?.output?.annotations).toHaveLength(1);
    expect(done?.output?.annotations?.[0]).toMatchObject({
      path: "apps/shop/broken.yaml",
      start_line: 6,
      annotation_level: "failure",
      title: "gitops-bot/yaml.syntax",
    });
  });

  it("annotates only the changed files: a broken manifest elsewhere in the repository is not the author's", async () => {
    const gh = new GitHubMock();
    const elsewhere = { path: "apps/shop/legacy.yaml", content: deployment({ name: "legacy", privileged: true }) };
    mockPullRequest(gh, { base: [README, elsewhere], changed: [{ path: "apps/shop/web.yaml", content: deployment() }] });
    await deliver(await createTestProbot(), "pull_request.opened", opened());
    expect(updates(gh)[0]).toMatchObject({ conclusion: "success", output: { annotations: [] } });
  });

  describe("pull requests of bots keep the ownership checks", () => {
    const file = {
      path: "apps/payments/checkout/dev/deployment.yaml",
      content: deployment().replace("namespace: shop-dev", "namespace: payments-dev"),
    };
    /** GET /app: who this App is, asked once per process with the App's own credentials. */
    const mockApp = (gh: GitHubMock) => gh.on("GET /app", { params: {}, reply: { status: 200, data: replies.appReply("gitops-bot") } });

    it("judges the App's own pull request as the requester it records: alice of team shop may not change payments' files", async () => {
      const gh = new GitHubMock();
      mockPullRequest(gh, { base: [README], changed: [file], teams: null });
      mockApp(gh);
      mockTeams(gh, "alice", { platform: null, payments: null });
      const body = renderPullRequestBody({
        request: aProvisionRequest(),
        changeset: { changes: [], diff: "", isEmpty: true },
        reviewers: [],
      });
      await deliver(await createTestProbot(), "pull_request.opened", opened({ author: { login: "gitops-bot[bot]", type: "Bot" }, body }));

      const [done] = updates(gh);
      expect(done?.conclusion).toBe("failure");
      expect(done?.output?.annotations?.map((a) => a.title)).toEqual(["platform/namespace-ownership", "platform/namespace-ownership"]);
      expect(done?.output?.summary).toContain(
        "**Namespace ownership:** this pull request of the bot was judged as @alice, who asked for it.",
      );
    });

    it("passes the App's own pull request when its requester is in the owning team", async () => {
      const gh = new GitHubMock();
      mockPullRequest(gh, { base: [README], changed: [file], teams: null });
      mockApp(gh);
      mockTeams(gh, "bob", { platform: null, payments: "active" });
      await deliver(
        await createTestProbot(),
        "pull_request.opened",
        opened({ author: { login: "gitops-bot[bot]", type: "Bot" }, body: "<!-- gitops-bot:requester bob -->\nProvision" }),
      );
      expect(updates(gh)[0]?.conclusion).toBe("success");
    });

    it.each([
      ["github-actions[bot]", "<!-- gitops-bot:requester bob -->"],
      ["renovate[bot]", null],
    ])("judges another bot (%s) like a person in no team, whatever its body claims", async (login, body) => {
      const gh = new GitHubMock();
      mockPullRequest(gh, { base: [README], changed: [file], teams: null });
      mockApp(gh);
      await deliver(await createTestProbot(), "pull_request.opened", opened({ author: { login, type: "Bot" }, body }));

      const [done] = updates(gh);
      expect(done?.conclusion).toBe("failure");
      expect(done?.output?.annotations?.map((a) => a.title)).toEqual(["platform/namespace-ownership", "platform/namespace-ownership"]);
      expect(done?.output?.summary).toContain(`**Namespace ownership:** \`${login}\` is a bot, and bots belong to no team`);
      expect(gh.count("GET /orgs/{org}/teams/{team_slug}/memberships/{username}")).toBe(0);
    });
  });

  it("judges namespace ownership for people: a file of another team's folder is an error", async () => {
    const gh = new GitHubMock();
    mockPullRequest(gh, {
      base: [README],
      changed: [{ path: "apps/payments/web.yaml", content: deployment() }],
      teams: { platform: null, payments: null },
    });
    await deliver(await createTestProbot(), "pull_request.opened", opened());

    const [done] = updates(gh);
    expect(done?.conclusion).toBe("failure");
    expect(done?.output?.annotations?.map((a) => a.title)).toEqual(["platform/namespace-ownership", "platform/namespace-ownership"]);
  });

  it.each(["synchronize", "reopened"] as const)("runs on %s", async (action) => {
    const gh = new GitHubMock();
    mockPullRequest(gh, { base: [README], changed: [{ path: "apps/shop/web.yaml", content: deployment() }] });
    await deliver(
      await createTestProbot(),
      `pull_request.${action}`,
      pullRequestEvent(action, { repo, author: alice, headSha: HEAD_COMMIT, baseSha: PR_BASE_COMMIT }),
    );
    expect(updates(gh)[0]?.conclusion).toBe("success");
  });

  it("the check still concludes (failure) when GitHub fails half-way, and the delivery fails", async () => {
    const gh = new GitHubMock();
    mockDefaultConfig(gh);
    mockCheckRun(gh, 1);
    gh.on("GET /repos/{owner}/{repo}/compare/{basehead}", {
      params: { ...GITOPS, basehead: `${PR_BASE_COMMIT}...${HEAD_COMMIT}` },
      query: { per_page: 1 },
      reply: { status: 503, data: { message: "Service unavailable", documentation_url: "https://docs.github.com/rest" } },
    });
    await expect(deliver(await createTestProbot(), "pull_request.opened", opened())).rejects.toThrow();
    expect(updates(gh)).toEqual([
      expect.objectContaining({ conclusion: "failure", output: expect.objectContaining({ title: "The policy check could not finish" }) }),
    ]);
  });
});
