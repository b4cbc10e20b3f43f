import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/core/catalog/load-catalog.js";
import { GitHubMock } from "../helpers/github-mock.js";
import {
  EXAMPLE_CONFIG,
  PROVISION,
  README,
  REQUESTS,
  mockBase,
  mockCommentReaction,
  mockComments,
  mockConfig,
  mockCreateComment,
  mockFirstPublish,
  mockMembership,
  mockPermission,
  postedStatus,
  type BaseFile,
} from "../helpers/github-scenario.js";
import { issueCommentCreated } from "../helpers/payloads.js";
import { createTestProbot, deliver } from "../helpers/probot.js";

const repo = { owner: REQUESTS.owner, name: REQUESTS.repo };

describe("GitHub Enterprise Server", () => {
  it("talks to the configured API base URL and points Argo CD at the server's own clone URL", async () => {
    const gh = new GitHubMock("https://ghe.acme.example/api/v3");
    mockConfig(gh, REQUESTS, EXAMPLE_CONFIG.replace(/^ {2}repoURL: .*\n/m, ""));
    mockPermission(gh, "alice", "write");
    mockMembership(gh, "acme/payments", "alice", "active");
    mockComments(gh, 12, []);
    const entries = mockBase(gh, [README]);
    mockFirstPublish(gh, entries, { number: 7, labels: ["gitops-bot", "infrastructure"] });
    mockCreateComment(gh, 12);
    mockCommentReaction(gh, 9001, "rocket");
    // The default export, as `probot run` loads it.
    const probot = await createTestProbot({ baseUrl: "https://ghe.acme.example/api/v3", realApp: true });
    await deliver(
      probot,
      "issue_comment.created",
      issueCommentCreated({ repo, body: PROVISION, sender: { login: "alice" }, htmlBase: "https://ghe.acme.example" }),
    );

    expect(gh.count()).toBe(13);
    const application = gh
      .bodies("POST /repos/{owner}/{repo}/git/trees")[0]
      ?.tree?.find((t) => t.path === "argocd/dev/payments-checkout.yaml");
    expect(application?.content).toContain("repoURL: https://ghe.acme.example/acme/gitops.git");
    expect(postedStatus(gh).body).toContain("### ✅ Opened pull request");
  });
});

/** A catalog whose one template renders `count` manifests (plus the Argo CD Application). */
function bulkCatalog(count: number) {
  const names = Array.from({ length: count }, (_, i) => `cm-${i}.yaml`);
  const size = "{ replicas: 1, cpu: { request: 100m, limit: 200m }, memory: { request: 64Mi, limit: 128Mi } }";
  const files = new Map<string, string>([
    ["argocd-application.yaml", readFileSync(new URL("../../templates/argocd-application.yaml", import.meta.url), "utf8")],
    [
      "bulk/template.yaml",
      `apiVersion: gitops-bot.dev/v1\nkind: Template\nname: bulk\ndescription: ${count} config maps\nsizes:\n  small: ${size}\n  medium: ${size}\n  large: ${size}\nfiles: [${names.join(", ")}]\n`,
    ],
  ]);
  for (const [i, name] of names.entries()) {
    files.set(
      `bulk/${name}`,
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \${{ values.name }}-${i}\n  namespace: \${{ environment.namespace }}\ndata:\n  index: "${i}"\n`,
    );
  }
  const loaded = loadCatalog({ files, root: "test" });
  expect(loaded.problems).toEqual([]);
  return loaded.catalog;
}

/** Requests of one `/provision` of a template with `count` files, into a repository of as many files. */
async function provisionRequests(count: number): Promise<{ total: number; writingPullRequest: number; files: number }> {
  const gh = new GitHubMock();
  const existing: BaseFile[] = [
    README,
    ...Array.from({ length: count }, (_, i) => ({ path: `apps/other/svc-${i}/dev/cm.yaml`, content: `i: ${i}\n` })),
  ];
  mockConfig(gh, REQUESTS, EXAMPLE_CONFIG);
  mockPermission(gh, "alice", "write");
  mockMembership(gh, "acme/payments", "alice", "active");
  mockComments(gh, 12, []);
  const entries = mockBase(gh, existing);
  mockFirstPublish(gh, entries, { number: 7, labels: ["gitops-bot", "infrastructure"], branch: "gitops-bot/bulk/payments-checkout-dev" });
  mockCreateComment(gh, 12);
  mockCommentReaction(gh, 9001, "rocket");
  const probot = await createTestProbot({ catalog: async () => bulkCatalog(count), manifestCacheBytes: 0 });
  await deliver(
    probot,
    "issue_comment.created",
    issueCommentCreated({
      repo,
      body: "/provision small template=bulk name=checkout team=payments environment=dev",
      sender: { login: "alice" },
    }),
  );
  const pullRequestRoutes = new Set([
    "GET /repos/{owner}/{repo}/git/ref/{ref}",
    "POST /repos/{owner}/{repo}/git/trees",
    "POST /repos/{owner}/{repo}/git/commits",
    "POST /repos/{owner}/{repo}/git/refs",
    "PATCH /repos/{owner}/{repo}/git/refs/{ref}",
    "GET /repos/{owner}/{repo}/pulls",
    "POST /repos/{owner}/{repo}/pulls",
  ]);
  return {
    total: gh.count(),
    writingPullRequest: gh.calls.filter((c) => pullRequestRoutes.has(c.route)).length,
    files: gh.bodies("POST /repos/{owner}/{repo}/git/trees")[0]?.tree?.length ?? 0,
  };
}

describe("figures: GitHub API requests per provision", () => {
  it("costs the same few requests for 1, 40 and 200 files, at most 13 (one of them: is the requester in the team), and at most 6 to write the pull request", async () => {
    const one = await provisionRequests(1);
    const forty = await provisionRequests(40);
    const twoHundred = await provisionRequests(200);
    console.log(
      `github requests per provision: 1 file=${one.total}, 40 files=${forty.total}, 200 files=${twoHundred.total}; writing the PR: ${twoHundred.writingPullRequest}`,
    );
    expect([one.files, forty.files, twoHundred.files]).toEqual([2, 41, 201]);
    expect(new Set([one.total, forty.total, twoHundred.total]).size).toBe(1);
    expect(one.total).toBeLessThanOrEqual(13);
    expect(Math.max(one.writingPullRequest, forty.writingPullRequest, twoHundred.writingPullRequest)).toBeLessThanOrEqual(6);
  });
});
