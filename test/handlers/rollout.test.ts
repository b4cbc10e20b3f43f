import { beforeAll, describe, expect, it } from "vitest";
import { readBuiltinCatalog } from "../../src/adapters/local/read-builtin-catalog.js";
import { loadCatalog, mergeCatalogs, type Catalog } from "../../src/core/catalog/load-catalog.js";
import { GitHubMock, githubError } from "../helpers/github-mock.js";
import { pullReply, refReply } from "../helpers/github-replies.js";
import { GITOPS, mockBranch, mockFindPull, mockTreeAndCommit, type BaseFile } from "../helpers/github-scenario.js";
import { pullRequestClosed } from "../helpers/payloads.js";
import { mockBlobs } from "../helpers/policy-check-scenario.js";
import { createTestProbot, deliver } from "../helpers/probot.js";
import {
  AFTER,
  BEFORE,
  GITOPS_CONFIG,
  GITOPS_CONFIG_TEXT,
  instance,
  loadBuiltinFiles,
  mockUpdateRolloutIssue,
  upgradeBranchOf,
  type InstanceFixture,
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
      expect(tree.tree?.map((t) => t.path)).toEqual([
        expect.stringMatching(/^apps\/payments\/svc-\d+\/dev\/deployment\.yaml$/),
        expect.stringMatching(/^argocd\/dev\/payments-svc-\d+\.yaml$/),
      ]);
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
    [
      "the bot's own branch write",
      pushPayload({ ref: "refs/heads/gitops-bot/upgrade/web-service/x", sender: { login: "gitops-bot[bot]", type: "Bot" } }),
      0,
    ],
  ])("ignores %s", async (_, payload, reads) => {
    const gh = new GitHubMock();
    if (reads > 0)
      gh.on("GET /repos/{owner}/{repo}/contents/{path}", {
        params: { ...GITOPS, path: ".github/gitops-bot.yml" },
        reply: { status: 200, raw: "gitops: { baseBranch: main }\n" },
      });
    await deliver(await createTestProbot(), "push", payload);
    expect(gh.count()).toBe(reads);
  });

  it("ignores a repository that sends its requests elsewhere (not the GitOps repository)", async () => {
    const gh = new GitHubMock();
    gh.on("GET /repos/{owner}/{repo}/contents/{path}", {
      params: { ...GITOPS, path: ".github/gitops-bot.yml" },
      reply: { status: 200, raw: "gitops: { repository: acme/other }\n" },
    });
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

describe("rollout limits and hand edits", () => {
  const LIMIT_2 = `${GITOPS_CONFIG_TEXT}rollout:\n  maxOpenPullRequests: 2\n`;

  it("holds rollout.maxOpenPullRequests: updates the open upgrade, waits with the rest, and follows when one closes", async () => {
    const repo = repository({ catalog, count: 4 });
    const [first, second, third, fourth] = repo.instances;
    let gh = new GitHubMock();
    const entries = mockRolloutReads(gh, repo, { configText: LIMIT_2 });
    mockRolloutIssueList(gh, null);
    mockCatalogReads(gh);
    mockApplicationReads(gh, repo.instances, repo.after);
    // One upgrade pull request of an earlier change is open already, and one of someone else's pull requests.
    const firstBranch = upgradeBranchOf(first!);
    mockOpenPulls(gh, [
      { number: 30, title: "Upgrade", body: "", head: firstBranch, base: "main", labels: GITOPS_CONFIG.labels },
      { number: 31, title: "Fix", body: "", head: "feature/x", base: "main" },
    ]);
    mockBranch(gh, firstBranch, { commit: "c0ffee000000000000000000000000000000bb01", tree: "c0ffee000000000000000000000000000000bb02" });
    mockTreeAndCommit(gh, entries, { commit: "c0ffee00000000000000000000000000000000a0" });
    gh.on("PATCH /repos/{owner}/{repo}/git/refs/{ref}", {
      params: { ...GITOPS, ref: `heads/${firstBranch}` },
      reply: { status: 200, data: refReply(GITOPS, `heads/${firstBranch}`, "c0ffee00000000000000000000000000000000a0") },
    });
    mockFindPull(gh, firstBranch, [
      { number: 30, title: "Upgrade", body: "old", head: firstBranch, base: "main", labels: GITOPS_CONFIG.labels },
    ]);
    gh.on("PATCH /repos/{owner}/{repo}/pulls/{pull_number}", {
      params: { ...GITOPS, pull_number: 30 },
      reply: ({ body }) => ({
        status: 200,
        data: pullReply(GITOPS, { number: 30, title: String(body.title), body: String(body.body), head: firstBranch, base: "main" }),
      }),
    });
    mockStatusUpdate(gh, first!, 700);
    mockNewUpgrade(gh, { entries, item: second!, number: 41, commit: "c0ffee00000000000000000000000000000000a1" });
    mockStatusUpdate(gh, second!, 701);
    mockCreateRolloutIssue(gh);
    await deliver(await createTestProbot(), "push", pushPayload());

    expect(gh.count("POST /repos/{owner}/{repo}/pulls")).toBe(1);
    expect(gh.count("PATCH /repos/{owner}/{repo}/pulls/{pull_number}")).toBe(1);
    const issueBody = gh.bodies("POST /repos/{owner}/{repo}/issues")[0]?.body ?? "";
    expect(issueBody).toContain("#### ⏳ Waiting (2)");
    expect(issueBody).toContain("At most 2 upgrade pull requests are open at once (`rollout.maxOpenPullRequests`)");
    expect(issueBody).toContain(`\`${third!.application}\``);
    expect(issueBody).toContain(`"pending":[{"before":"${BEFORE}","applications":["${third!.application}","${fourth!.application}"]}]`);

    // The upgrade of `first` merges: one slot frees, and the first waiting upgrade follows.
    gh = new GitHubMock();
    const merged = repository({ catalog, count: 4 });
    const upgradedFirst = [...merged.after.filter((f) => !first!.files.some((g) => g.path === f.path)), ...renderedAfter(first!)];
    const NEXT_HEAD = "af70000000000000000000000000000000000003";
    const entries2 = mockRolloutReads(gh, { before: merged.before, after: upgradedFirst }, { configText: LIMIT_2, head: NEXT_HEAD });
    mockRolloutIssueList(gh, issueBody);
    mockCatalogReads(gh);
    mockApplicationReads(gh, [third!, fourth!], upgradedFirst, NEXT_HEAD);
    mockOpenPulls(gh, [{ number: 41, title: "Upgrade", body: "", head: upgradeBranchOf(second!), base: "main" }]);
    mockNewUpgrade(gh, { entries: entries2, item: third!, number: 42, commit: "c0ffee00000000000000000000000000000000a2" });
    mockStatusUpdate(gh, third!, 702);
    mockUpdateRolloutIssue(gh);
    await deliver(
      await createTestProbot(),
      "pull_request.closed",
      pullRequestClosed({
        repo: { owner: "acme", name: "gitops" },
        number: 30,
        merged: true,
        body: "no marker",
        head: firstBranch,
        author: { login: "gitops-bot[bot]", type: "Bot" },
      }),
    );

    expect(gh.bodies("POST /repos/{owner}/{repo}/git/refs").map((r) => r.ref)).toEqual([`refs/heads/${upgradeBranchOf(third!)}`]);
    const updated = gh.bodies("PATCH /repos/{owner}/{repo}/issues/{issue_number}")[0];
    expect(updated?.state).toBe("open");
    expect(updated?.body).toContain("#### ⏳ Waiting (1)");
    expect(updated?.body).toContain(`"applications":["${fourth!.application}"]`);
  });

  it("shows drift and never loses it: a non-conflicting edit is merged, a conflicting one is listed with its lost lines", async () => {
    const [item] = repository({ catalog, count: 1 }).instances;
    const deploymentPath = `apps/payments/${item!.name}/dev/deployment.yaml`;
    const servicePath = `apps/payments/${item!.name}/dev/service.yaml`;
    // Someone raised the revision history (conflicts with the template's change) and renamed a port (does not).
    const edited = item!.files.map((f) =>
      f.path === deploymentPath
        ? {
            ...f,
            content: f.content
              .replace("revisionHistoryLimit: 5", "revisionHistoryLimit: 20")
              .replace("terminationGracePeriodSeconds: 30", "terminationGracePeriodSeconds: 45"),
          }
        : f,
    );
    expect(edited.find((f) => f.path === deploymentPath)!.content).toContain("terminationGracePeriodSeconds: 45");
    const before = [{ path: ".github/gitops-bot.yml", content: GITOPS_CONFIG_TEXT }, ...edited];
    const after = [...before, ...overrideFiles((d) => d.replace("revisionHistoryLimit: 5", "revisionHistoryLimit: 3"))];
    const gh = new GitHubMock();
    const entries = mockRolloutReads(gh, { before, after });
    mockRolloutIssueList(gh, null);
    mockCatalogReads(gh);
    mockApplicationReads(gh, [item!], after);
    mockBlobs(
      gh,
      edited.filter((f) => f.path === deploymentPath),
    );
    mockOpenPulls(gh, []);
    mockNewUpgrade(gh, { entries, item: item!, number: 40, commit: "c0ffee00000000000000000000000000000000a0" });
    mockStatusUpdate(gh, item!, 700);
    await deliver(await createTestProbot(), "push", pushPayload());

    const body = gh.bodies("POST /repos/{owner}/{repo}/pulls")[0]?.body ?? "";
    expect(body).toContain("### ⚠️ Files edited by hand since the bot last wrote them");
    expect(body).toContain(
      `\`${deploymentPath}\`: the edit conflicts with the template's change: there the template's lines **overwrite** it (its other edits are kept).`,
    );
    expect(body).toContain("Lines lost:\n\n  ```diff\n  -  revisionHistoryLimit: 20\n  ```");
    expect(body).toContain("**Review needed:**");
    expect(body).not.toContain(servicePath);
    const written = gh.bodies("POST /repos/{owner}/{repo}/git/trees")[0]?.tree?.find((t) => t.path === deploymentPath)?.content ?? "";
    expect(written).toContain("revisionHistoryLimit: 3");
    // The edit that does not conflict is kept.
    expect(written).toContain("terminationGracePeriodSeconds: 45");
    const comment = gh.bodies("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}")[0]?.body ?? "";
    expect(comment).toContain("edited by hand since the bot wrote it");
  });
});

/** An instance's files as its merged upgrade leaves them (rendered with the override). */
function renderedAfter(item: InstanceFixture): BaseFile[] {
  const override = overrideFiles();
  const files = new Map(override.map((f) => [f.path.slice("platform/templates/".length), f.content]));
  const merged = mergeCatalogs(catalog, loadCatalog({ files, root: "platform/templates" }).catalog);
  return instance({ catalog: merged, template: item.template, name: item.name, issue: item.issue }).files;
}
