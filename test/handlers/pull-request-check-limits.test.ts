import { describe, expect, it } from "vitest";
import { GitHubMock } from "../helpers/github-mock.js";
import { GITOPS, README, type BaseFile } from "../helpers/github-scenario.js";
import { pullRequestEvent } from "../helpers/check-payloads.js";
import {
  HEAD_COMMIT,
  PR_BASE_COMMIT,
  deployment,
  mockArchive,
  mockBlobs,
  mockCheckRun,
  mockCommitTree,
  mockDefaultConfig,
  mockMergeBase,
  mockTeams,
} from "../helpers/policy-check-scenario.js";
import { createTestProbot, deliver } from "../helpers/probot.js";

const event = (changedFiles: number) =>
  pullRequestEvent("opened", {
    repo: { owner: GITOPS.owner, name: GITOPS.repo },
    author: { login: "alice" },
    headSha: HEAD_COMMIT,
    baseSha: PR_BASE_COMMIT,
    changedFiles,
  });

/** A pull request adding `changed` to a repository holding only a README, by alice of team shop. */
function mockPullRequest(gh: GitHubMock, params: { changed: BaseFile[]; updates: number; blobs?: BaseFile[]; archive?: BaseFile[] }) {
  mockDefaultConfig(gh);
  mockCheckRun(gh, params.updates);
  // GitHub lists at most 3,000 files of a pull request.
  mockMergeBase(gh);
  mockCommitTree(gh, HEAD_COMMIT, [README, ...params.changed]);
  mockCommitTree(gh, PR_BASE_COMMIT, [README]);
  mockTeams(gh, "alice", { platform: null, shop: "active" });
  if (params.blobs) mockBlobs(gh, params.blobs);
  if (params.archive) mockArchive(gh, HEAD_COMMIT, params.archive);
}

/** A `kind: List` of Ingresses without TLS just under the 1 MiB YAML limit: thousands of findings in one file. */
function hugeList(): BaseFile {
  const item = (i: number) =>
    `  - {apiVersion: networking.k8s.io/v1, kind: Ingress, metadata: {name: i-${i}, namespace: shop}, spec: {rules: [{host: h${i}.example.com}]}}\n`;
  let text = "apiVersion: v1\nkind: List\nitems:\n";
  for (let i = 0; text.length + item(i).length < 1024 * 1024; i++) text += item(i);
  return { path: "apps/shop/list.yaml", content: text };
}

describe("bounded cost: findings are capped per Check Run", () => {
  it(
    "one 1 MiB kind: List costs a few dozen GitHub requests: at most 1,000 annotations in 20 updates, and the summary says how to see the rest",
    { timeout: 120_000 },
    async () => {
      const list = hugeList();
      const gh = new GitHubMock();
      mockPullRequest(gh, { changed: [list], updates: 20, blobs: [list] });
      const started = performance.now();
      await deliver(await createTestProbot(), "pull_request.opened", event(1));
      const updates = gh.bodies("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}");
      const done = updates.at(-1);
      const annotations = updates.reduce((sum, u) => sum + (u.output?.annotations?.length ?? 0), 0);
      const findings = Number(/table above counts all ([\d,]+)/.exec(done?.output?.summary ?? "")?.[1]?.replace(/,/g, "") ?? 0);
      console.log(
        `1 MiB kind: List (${(list.content.length / 1024).toFixed(0)} KiB, ${list.content.split("kind: Ingress").length - 1} Ingresses): ${gh.count()} GitHub requests, ${updates.length} Check Run updates, ${annotations} annotations of ${findings.toLocaleString("en-US")} findings, ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      expect(gh.count()).toBeLessThanOrEqual(30);
      expect(updates).toHaveLength(20);
      expect(annotations).toBe(1_000);
      expect(findings).toBeGreaterThan(5_000);
      expect(done?.conclusion).toBe("neutral");
      expect(done?.output?.summary).toMatch(
        /\*\*[\d,]+ more findings are not annotated\.\*\* This check annotates at most 1,000 findings \(errors first\)/,
      );
      expect(done?.output?.summary).toContain("`npx gitops-bot check --format json`");
    },
  );
});

describe("bounded time: a huge pull request ends with a finding", () => {
  it("a single 10 MB file is never downloaded nor parsed: one finding at its first line", async () => {
    const big: BaseFile = { path: "apps/shop/big.yaml", content: `# ${"x".repeat(10 * 1024 * 1024)}\n` };
    const gh = new GitHubMock();
    mockPullRequest(gh, { changed: [big], updates: 1 });
    const started = performance.now();
    await deliver(await createTestProbot(), "pull_request.opened", event(1));
    const done = gh.bodies("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}").at(-1);
    console.log(
      `pull request with one 10 MB file: ${gh.count()} GitHub requests, ${((performance.now() - started) / 1000).toFixed(1)} s, conclusion ${done?.conclusion}`,
    );
    expect(gh.count("GET /repos/{owner}/{repo}/git/blobs/{file_sha}")).toBe(0);
    expect(done?.conclusion).toBe("failure");
    expect(done?.output?.annotations).toEqual([
      expect.objectContaining({ path: "apps/shop/big.yaml", start_line: 1, title: "gitops-bot/yaml.too-large" }),
    ]);
    expect(done?.output?.summary).toContain("1 file too large to read");
  });

  // Heavy on purpose (3,000 files through the OpenAPI-checked mock): a generous timeout, and no timed assertion.
  it("3,000 changed files are read from one archive and judged", { timeout: 120_000 }, async () => {
    const files = Array.from({ length: 3_000 }, (_, i) => ({ path: `apps/shop/svc-${i}.yaml`, content: deployment({ name: `svc-${i}` }) }));
    const gh = new GitHubMock();
    mockPullRequest(gh, { changed: files, updates: 1, archive: [README, ...files] });
    const started = performance.now();
    await deliver(await createTestProbot(), "pull_request.opened", event(3_000));
    const done = gh.bodies("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}").at(-1);
    console.log(
      `pull request with 3,000 files: ${gh.count()} GitHub requests, ${((performance.now() - started) / 1000).toFixed(1)} s, conclusion ${done?.conclusion}`,
    );
    expect(gh.count("GET /repos/{owner}/{repo}/git/blobs/{file_sha}")).toBe(0);
    expect(done?.output?.summary).toMatch(/^Checked 3,?000 files/);
  });
});
