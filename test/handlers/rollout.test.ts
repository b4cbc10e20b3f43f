import { beforeAll, describe, expect, it } from "vitest";
import { readBuiltinCatalog } from "../../src/adapters/local/read-builtin-catalog.js";
import type { Catalog } from "../../src/core/catalog/load-catalog.js";
import { GitHubMock, githubError } from "../helpers/github-mock.js";
import { GITOPS } from "../helpers/github-scenario.js";
import { createTestProbot, deliver } from "../helpers/probot.js";
import {
  AFTER,
  loadBuiltinFiles,
  mockApplicationReads,
  mockCatalogReads,
  mockCreateRolloutIssue,
  mockNewUpgrade,
  mockOpenPulls,
  mockRolloutIssueList,
  mockRolloutReads,
  mockStatusUpdate,
  overrideFiles,
  pushPayload,
  repository,
} from "../helpers/rollout-scenario.js";

let catalog: Catalog;
beforeAll(async () => {
  catalog = (await readBuiltinCatalog()).catalog;
  await loadBuiltinFiles();
});

const WRITES = ["POST", "PATCH", "PUT", "DELETE"];
const writes = (gh: GitHubMock) => gh.calls.filter((c) => WRITES.includes(c.method)).map((c) => `${c.method} ${c.route.split(" ")[1]}`);

describe("push to the GitOps base branch: template rollout", () => {
  it("opens one upgrade pull request per instance of the changed template, none for other templates, and links each from its request issue", async () => {
    const repo = repository({ catalog, count: 3, others: 2 });
    const gh = new GitHubMock();
    const entries = mockRolloutReads(gh, repo);
    mockRolloutIssueList(gh, null);
    mockCatalogReads(gh);
    mockApplicationReads(gh, repo.instances, repo.after);
    mockOpenPulls(gh, []);
    const upgraded = repo.instances.filter((i) => i.template === "web-service");
    upgraded.forEach((item, n) => {
      mockNewUpgrade(gh, { entries, item, number: 40 + n, commit: `c0ffee00000000000000000000000000000000a${n}` });
      mockStatusUpdate(gh, item, 700 + n);
    });
    await deliver(await createTestProbot(), "push", pushPayload());

    expect(gh.count("POST /repos/{owner}/{repo}/pulls")).toBe(3);
    const branches = gh.bodies("POST /repos/{owner}/{repo}/git/refs").map((b) => b.ref);
    expect(branches).toEqual(upgraded.map((i) => `refs/heads/gitops-bot/upgrade/web-service/payments-${i.name}-dev`));
    // One commit each, parented on the pushed head, with only the changed files.
    for (const tree of gh.bodies("POST /repos/{owner}/{repo}/git/trees")) {
      expect(tree.tree?.map((t) => t.path)).toEqual([expect.stringMatching(/^apps\/payments\/svc-\d+\/dev\/deployment\.yaml$/), expect.stringMatching(/^argocd\/dev\/payments-svc-\d+\.yaml$/)]);
    }
    expect(gh.bodies("POST /repos/{owner}/{repo}/git/commits").map((c) => c.parents)).toEqual([[AFTER], [AFTER], [AFTER]]);
    const body = gh.bodies("POST /repos/{owner}/{repo}/pulls")[0]?.body ?? "";
    expect(body).toContain("<!-- gitops-bot:issue acme/requests#100 -->");
    expect(body).toContain(`[${AFTER.slice(0, 12)}](https://github.com/acme/gitops/commit/${AFTER})`);
    expect(body).toContain("Request issue: [acme/requests#100](https://github.com/acme/requests/issues/100)");
    expect(body).toContain("-  revisionHistoryLimit: 5\n+  revisionHistoryLimit: 3");
    expect(body).toContain("No file was edited by hand since the bot last wrote it.");
    const comment = gh.bodies("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}")[0]?.body ?? "";
    expect(comment).toContain("### ⬆️ Template upgrade: [acme/gitops#40](https://github.com/acme/gitops/pull/40)");
    expect(comment).toContain('"pullRequest":{"repository":"acme/gitops","number":40');
    // Nothing waits and nothing failed: no rollout issue is written.
    expect(gh.count("POST /repos/{owner}/{repo}/issues")).toBe(0);
  });

  it("writes nothing for a push that changes no template", async () => {
    const repo = repository({ catalog, count: 2 });
    const gh = new GitHubMock();
    mockRolloutReads(gh, { before: repo.before, after: repo.before });
    await deliver(await createTestProbot(), "push", pushPayload());
    expect(writes(gh)).toEqual([]);
    expect(gh.count()).toBe(4);
  });

  it("writes nothing when the template change renders the same files for every instance", async () => {
    // Only a comment changes in the Deployment template: the parsed tree, so every rendering, is the same.
    const override = overrideFiles((d) => `# tuned by the platform team\n${d}`);
    const repo = repository({ catalog, count: 2, override });
    const gh = new GitHubMock();
    mockRolloutReads(gh, repo);
    mockRolloutIssueList(gh, null);
    mockCatalogReads(gh, override);
    mockApplicationReads(gh, repo.instances, repo.after);
    await deliver(await createTestProbot(), "push", pushPayload());
    expect(writes(gh)).toEqual([]);
  });

  it.each([
    ["a push to another branch", pushPayload({ ref: "refs/heads/feature" }), 1],
    ["a tag", pushPayload({ ref: "refs/tags/v1" }), 0],
    ["a new branch", pushPayload({ before: "0".repeat(40) }), 0],
    ["the bot's own branch write", pushPayload({ ref: "refs/heads/gitops-bot/upgrade/web-service/x", sender: { login: "gitops-bot[bot]", type: "Bot" } }), 0],
  ])("ignores %s", async (_, payload, reads) => {
    const gh = new GitHubMock();
    if (reads > 0) gh.on("GET /repos/{owner}/{repo}/contents/{path}", { params: { ...GITOPS, path: ".github/gitops-bot.yml" }, reply: { status: 200, raw: "gitops: { baseBranch: main }\n" } });
    await deliver(await createTestProbot(), "push", payload);
    expect(gh.count()).toBe(reads);
  });

  it("ignores a repository that sends its requests elsewhere (not the GitOps repository)", async () => {
    const gh = new GitHubMock();
    gh.on("GET /repos/{owner}/{repo}/contents/{path}", { params: { ...GITOPS, path: ".github/gitops-bot.yml" }, reply: { status: 200, raw: "gitops: { repository: acme/other }\n" } });
    await deliver(await createTestProbot(), "push", pushPayload());
    expect(gh.count()).toBe(1);
  });

  it("a failed instance does not stop the others: it is reported in the rollout issue", async () => {
    const repo = repository({ catalog, count: 3 });
    const gh = new GitHubMock();
    const entries = mockRolloutReads(gh, repo);
    mockRolloutIssueList(gh, null);
    mockCatalogReads(gh);
    mockApplicationReads(gh, repo.instances, repo.after);
    mockOpenPulls(gh, []);
    const [first, second, third] = repo.instances;
    mockNewUpgrade(gh, { entries, item: first!, number: 40, commit: "c0ffee00000000000000000000000000000000a0" });
    mockStatusUpdate(gh, first!, 700);
    // The second one's tree write fails on GitHub's side.
    gh.on("POST /repos/{owner}/{repo}/git/trees", { params: GITOPS, reply: { status: 500, data: githubError("Server Error") } });
    mockNewUpgrade(gh, { entries, item: third!, number: 42, commit: "c0ffee00000000000000000000000000000000a2" });
    mockStatusUpdate(gh, third!, 702);
    mockCreateRolloutIssue(gh);
    await deliver(await createTestProbot(), "push", pushPayload());

    expect(gh.count("POST /repos/{owner}/{repo}/pulls")).toBe(2);
    const issue = gh.bodies("POST /repos/{owner}/{repo}/issues")[0];
    expect(issue?.title).toBe("gitops-bot: template rollout");
    expect(issue?.labels).toEqual(["gitops-bot-rollout"]);
    expect(issue?.body).toContain("#### ⚠️ Not upgraded (1)");
    expect(issue?.body).toContain(`\`${second!.application}\``);
    expect(issue?.body).toContain("[#40](https://github.com/acme/gitops/pull/40)");
  });
});

