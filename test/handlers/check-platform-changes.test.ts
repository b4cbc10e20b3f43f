import { describe, expect, it } from "vitest";
import { GitHubMock } from "../helpers/github-mock.js";
import { GITOPS, README, mockConfig, type BaseFile } from "../helpers/github-scenario.js";
import { pullRequestEvent, type PullRequestEventOptions } from "../helpers/check-payloads.js";
import {
  HEAD_COMMIT,
  PR_BASE_COMMIT,
  mockBlobs,
  mockCheckRun,
  mockCommitTree,
  mockMergeBase,
  mockReviewRequest,
  mockReviews,
  mockTeams,
} from "../helpers/policy-check-scenario.js";
import { queueTemplateFiles } from "../helpers/queue-template.js";
import { createTestProbot, deliver } from "../helpers/probot.js";

const repo = { owner: GITOPS.owner, name: GITOPS.repo };
const CONFIG = "approvals:\n  platform: [acme/platform, carol]\n";

/** A repository policy: every ConfigMap needs a `team` label; Enforce makes it an error. */
function teamLabelPolicy(action: "Enforce" | "Audit"): string {
  return `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-team-label
spec:
  validationFailureAction: ${action}
  rules:
    - name: team-label
      match: { any: [{ resources: { kinds: [ConfigMap] } }] }
      validate:
        message: Every ConfigMap needs a team label.
        pattern: { metadata: { labels: { team: "?*" } } }
`;
}

const POLICY_PATH = "platform/policies/require-team-label.yaml";
const unlabelled: BaseFile = {
  path: "apps/shop/settings.yaml",
  content: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop-dev\ndata: { mode: fast }\n",
};

function opened(options: Partial<PullRequestEventOptions> = {}) {
  return pullRequestEvent("opened", { repo, author: { login: "alice" }, headSha: HEAD_COMMIT, baseSha: PR_BASE_COMMIT, ...options });
}

/** alice (a platform admin) changes `changed` on top of `base`; the blobs read are given. */
function mockChange(gh: GitHubMock, params: { base: BaseFile[]; changed: BaseFile[]; reads: BaseFile[]; config?: string }) {
  const head = [...params.base.filter((f) => !params.changed.some((c) => c.path === f.path)), ...params.changed];
  mockConfig(gh, GITOPS, params.config ?? CONFIG);
  mockCheckRun(gh, 1);
  mockMergeBase(gh);
  mockCommitTree(gh, HEAD_COMMIT, head);
  mockCommitTree(gh, PR_BASE_COMMIT, params.base);
  mockBlobs(gh, params.reads);
  mockTeams(gh, "alice", { platform: "active" });
}

function completed(gh: GitHubMock) {
  return gh.bodies("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}").at(-1);
}

describe("pull requests that change policies, templates or the bot configuration", () => {
  it("are judged by the base branch's policies (a relaxed policy does not let its own violation through) and ask the platform reviewers", async () => {
    const gh = new GitHubMock();
    const base = [README, { path: POLICY_PATH, content: teamLabelPolicy("Enforce") }];
    const changed = [{ path: POLICY_PATH, content: teamLabelPolicy("Audit") }, unlabelled];
    mockChange(gh, { base, changed, reads: [...changed, base[1]!] });
    mockReviewRequest(gh, { number: 7, title: "", body: "", head: "feature", base: "main", reviewers: ["carol"], teams: ["platform"] });
    await deliver(await createTestProbot(), "pull_request.opened", opened({ changedFiles: 2 }));

    expect(gh.bodies("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers")).toEqual([
      { reviewers: ["carol"], team_reviewers: ["platform"] },
    ]);
    const done = completed(gh);
    expect(done?.conclusion).toBe("failure");
    expect(done?.output?.annotations).toEqual([
      expect.objectContaining({ path: "apps/shop/settings.yaml", annotation_level: "failure", title: "require-team-label/team-label" }),
    ]);
    expect(done?.output?.summary).toContain(
      `**Platform change.** This pull request changes policies (\`${POLICY_PATH}\`), which need the platform team's review. Review requested from @carol, @acme/platform.`,
    );
    expect(done?.output?.summary).toContain(`read at the base commit \`${PR_BASE_COMMIT.slice(0, 7)}\``);
  });

  it("treats deleting a policy as a platform change: the platform reviewers are asked", async () => {
    const gh = new GitHubMock();
    const policy = { path: POLICY_PATH, content: teamLabelPolicy("Enforce") };
    mockConfig(gh, GITOPS, CONFIG);
    mockCheckRun(gh, 1);
    mockMergeBase(gh);
    mockCommitTree(gh, PR_BASE_COMMIT, [README, policy]);
    mockCommitTree(gh, HEAD_COMMIT, [README]);
    mockBlobs(gh, [policy]);
    mockTeams(gh, "alice", { platform: "active" });
    mockReviewRequest(gh, { number: 7, title: "", body: "", head: "feature", base: "main" });
    await deliver(await createTestProbot(), "pull_request.opened", opened());

    expect(gh.bodies("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers")).toEqual([
      { reviewers: ["carol"], team_reviewers: ["platform"] },
    ]);
    expect(completed(gh)).toMatchObject({ conclusion: "success" });
    expect(completed(gh)?.output?.summary).toContain(`changes policies (\`${POLICY_PATH}\`)`);
  });

  it("reports a broken policy of the pull request at its line, and does not ask reviewers twice or again after their review", async () => {
    const gh = new GitHubMock();
    const broken = {
      path: "platform/policies/broken.yaml",
      content:
        "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: broken\nspec:\n  rules:\n    - match: { any: [{ resources: { kinds: [Pod] } }] }\n      validate: { pattern: { spec: {} } }\n",
    };
    mockChange(gh, { base: [README], changed: [broken], reads: [broken] });
    mockReviews(gh, 7, ["carol"]);
    await deliver(
      await createTestProbot(),
      "pull_request.synchronize",
      pullRequestEvent("synchronize", {
        repo,
        author: { login: "alice" },
        headSha: HEAD_COMMIT,
        baseSha: PR_BASE_COMMIT,
        requestedTeams: ["platform"],
      }),
    );

    expect(gh.count("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers")).toBe(0);
    const done = completed(gh);
    expect(done?.conclusion).toBe("failure");
    const [annotation] = done?.output?.annotations ?? [];
    expect(annotation).toMatchObject({
      path: "platform/policies/broken.yaml",
      start_line: 7,
      annotation_level: "failure",
      title: "gitops-bot/policy.invalid",
    });
    expect(done?.output?.summary).toContain("Platform reviewers (@acme/platform, @carol) are already requested or have reviewed.");
  });

  it("validates the pull request's version of the bot configuration, at its line", async () => {
    const gh = new GitHubMock();
    const proposed = `${CONFIG}aprovals: {}\n`;
    const file = { path: ".github/gitops-bot.yml", content: proposed };
    // Argo CD reads YAML in hidden folders too, so the check reads the changed configuration as a candidate manifest (and finds no Kubernetes object in it).
    mockChange(gh, { base: [README, { path: file.path, content: CONFIG }], changed: [file], reads: [file] });
    for (let read = 0; read < 2; read++) {
      gh.on("GET /repos/{owner}/{repo}/contents/{path}", {
        params: { ...GITOPS, path: file.path },
        query: { ref: HEAD_COMMIT },
        reply: { status: 200, raw: proposed },
      });
    }
    mockReviewRequest(gh, { number: 7, title: "", body: "", head: "feature", base: "main" });
    await deliver(await createTestProbot(), "pull_request.opened", opened());

    const done = completed(gh);
    expect(done?.conclusion).toBe("failure");
    expect(done?.output?.annotations?.[0]).toMatchObject({
      path: ".github/gitops-bot.yml",
      start_line: 3,
      title: "gitops-bot/config.unknown-key",
    });
    expect(done?.output?.annotations?.[0]?.raw_details).toContain("Did you mean `approvals`?");
  });

  it("validates a changed template folder and does not judge templates as manifests", async () => {
    const gh = new GitHubMock();
    const template = {
      path: "platform/templates/queue/template.yaml",
      content: "apiVersion: gitops-bot.dev/v1\nkind: Template\nname: queue\nsizes: {}\nfiles: [missing.yaml]\n",
    };
    mockChange(gh, { base: [README], changed: [template], reads: [template] });
    mockReviewRequest(gh, { number: 7, title: "", body: "", head: "feature", base: "main" });
    await deliver(await createTestProbot(), "pull_request.opened", opened());

    const done = completed(gh);
    const rules = (done?.output?.annotations ?? []).map((a) => `${a.path} ${a.title}`);
    expect(rules).toEqual(["platform/templates/queue/template.yaml gitops-bot/catalog.invalid-template"]);
    expect(done?.output?.summary).toContain("changes templates (`platform/templates/queue/template.yaml`)");
  });

  it("renders a changed template in every size with its examples and fails a privileged container at the template's line", async () => {
    const gh = new GitHubMock();
    const { template, deployment } = queueTemplateFiles({ privileged: true });
    mockChange(gh, { base: [README], changed: [template, deployment], reads: [template, deployment] });
    mockReviewRequest(gh, { number: 7, title: "", body: "", head: "feature", base: "main" });
    await deliver(await createTestProbot(), "pull_request.opened", opened({ changedFiles: 2 }));

    const done = completed(gh);
    expect(done?.conclusion).toBe("failure");
    const line = deployment.content.split("\n").findIndex((l) => l.includes("privileged: true")) + 1;
    expect(done?.output?.annotations).toEqual([
      expect.objectContaining({
        path: deployment.path,
        start_line: line,
        annotation_level: "failure",
        message: expect.stringMatching(/^In sizes small, medium, large: Deployment .*privileged/i),
      }),
    ]);
  });

  it("passes a changed template whose every size meets the policies", async () => {
    const gh = new GitHubMock();
    const { template, deployment } = queueTemplateFiles();
    mockChange(gh, { base: [README], changed: [template, deployment], reads: [template, deployment] });
    mockReviewRequest(gh, { number: 7, title: "", body: "", head: "feature", base: "main" });
    await deliver(await createTestProbot(), "pull_request.opened", opened({ changedFiles: 2 }));

    const done = completed(gh);
    expect(done?.conclusion).toBe("success");
    expect(done?.output?.annotations ?? []).toEqual([]);
  });

  it("asks a changed template for an example of each required parameter, at template.yaml", async () => {
    const gh = new GitHubMock();
    const { template, deployment } = queueTemplateFiles({ example: false });
    mockChange(gh, { base: [README], changed: [template, deployment], reads: [template, deployment] });
    mockReviewRequest(gh, { number: 7, title: "", body: "", head: "feature", base: "main" });
    await deliver(await createTestProbot(), "pull_request.opened", opened({ changedFiles: 2 }));

    const done = completed(gh);
    expect(done?.conclusion).toBe("failure");
    expect(done?.output?.annotations).toEqual([
      expect.objectContaining({
        path: template.path,
        start_line: 6,
        title: "gitops-bot/catalog.missing-example",
        message: expect.stringContaining("required parameter `image` has no example under `examples`"),
      }),
    ]);
  });
});
