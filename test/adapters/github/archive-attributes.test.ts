import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { BlobCache } from "../../../src/adapters/github/blob-cache.js";
import { GitHubGateway } from "../../../src/adapters/github/gateway.js";
import { gitBlobSha } from "../../../src/adapters/git-blob-sha.js";
import { GitHubMock } from "../../helpers/github-mock.js";
import { GITOPS, README } from "../../helpers/github-scenario.js";
import { pullRequestEvent } from "../../helpers/check-payloads.js";
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
} from "../../helpers/policy-check-scenario.js";
import { testOctokit } from "../../helpers/octokit.js";
import { createTestProbot, deliver } from "../../helpers/probot.js";
import { makeRepo } from "../../helpers/temp-git-repo.js";

/**
 * `git archive`, and so GitHub's tarball, rewrites files by `.gitattributes`. Committed, this Pod
 * runs privileged; archived, `export-subst` turns its securityContext into a string.
 */
const HIDDEN_BY_EXPORT_SUBST = `apiVersion: v1
kind: Pod
metadata: {name: subst, namespace: shop}
spec:
  containers:
    - name: a
      image: registry.example.com/a:1.0.0
      securityContext: # $Format:%x0a      x: |$
        privileged: true
`;
const pod = (name: string, extra = "") => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: shop}
spec:
  containers:
    - name: a
      image: registry.example.com/a:1.0.0 ${extra}
      securityContext: {privileged: true}
`;
const REWRITTEN = [
  { path: "apps/shop/subst.yaml", content: HIDDEN_BY_EXPORT_SUBST },
  { path: "apps/shop/crlf.yaml", content: pod("crlf") },
  { path: "apps/shop/ident.yaml", content: pod("ident", "# $Id$") },
];
const ATTRIBUTES = {
  path: ".gitattributes",
  content: "apps/shop/subst.yaml export-subst\napps/shop/crlf.yaml text eol=crlf\napps/shop/ident.yaml ident\n",
};
const FILLERS = Array.from({ length: 60 }, (_, i) => ({ path: `apps/shop/svc-${i}.yaml`, content: deployment({ name: `svc-${i}` }) }));
const FILES = [README, ATTRIBUTES, ...REWRITTEN, ...FILLERS];

/** The archive real git writes for these files, with GitHub's top folder. */
function gitArchive(): Buffer {
  const repo = makeRepo(Object.fromEntries(FILES.map((f) => [f.path, f.content])));
  try {
    // The committed blobs are the files as written (LF, `$Id$` collapsed), so the tree mock's SHAs match.
    const listed = execFileSync("git", ["ls-tree", "-r", "HEAD"], { cwd: repo.dir, encoding: "utf8" });
    for (const file of FILES) expect(listed).toContain(`${gitBlobSha(file.content)}\t${file.path}`);
    return execFileSync(
      "git",
      ["archive", "--format=tar.gz", `--prefix=${GITOPS.owner}-${GITOPS.repo}-${HEAD_COMMIT.slice(0, 7)}/`, "HEAD"],
      { cwd: repo.dir },
    );
  } finally {
    repo.cleanup();
  }
}

describe("the check judges committed blobs, never an archive's rewrite of them", () => {
  it("reads from the archive only files whose bytes hash to the tree's blob SHA; the others come from the blobs API and only committed text is cached", async () => {
    const archive = gitArchive();
    const gh = new GitHubMock();
    mockCommitTree(gh, HEAD_COMMIT, FILES);
    mockArchive(gh, HEAD_COMMIT, archive);
    mockBlobs(gh, REWRITTEN);
    const cache = new BlobCache();
    const reader = new GitHubGateway({ octokit: testOctokit(), ...GITOPS, blobCache: cache }).commitReader(HEAD_COMMIT);
    await reader.prefetch([...REWRITTEN, ...FILLERS].map((f) => f.path));
    expect(reader.archiveMismatches()).toBe(3);
    for (const file of [...REWRITTEN, ...FILLERS]) expect(await reader.readFile(file.path)).toBe(file.content);
    for (const file of REWRITTEN) expect(cache.get(gitBlobSha(file.content))).toBe(file.content);
    expect(gh.count("GET /repos/{owner}/{repo}/git/blobs/{file_sha}")).toBe(3);
  });

  it("a pull request whose export-subst would hide a privileged Pod from the archive fails on the committed Pod", async () => {
    const archive = gitArchive();
    const gh = new GitHubMock();
    mockDefaultConfig(gh);
    mockCheckRun(gh, 1);
    const changed = [ATTRIBUTES, ...REWRITTEN, ...FILLERS];
    mockMergeBase(gh);
    mockCommitTree(gh, HEAD_COMMIT, FILES);
    mockCommitTree(gh, PR_BASE_COMMIT, [README]);
    mockTeams(gh, "alice", { platform: null, shop: "active" });
    mockArchive(gh, HEAD_COMMIT, archive);
    mockBlobs(gh, REWRITTEN);
    await deliver(
      await createTestProbot(),
      "pull_request.opened",
      pullRequestEvent("opened", {
        repo: { owner: GITOPS.owner, name: GITOPS.repo },
        author: { login: "alice" },
        headSha: HEAD_COMMIT,
        baseSha: PR_BASE_COMMIT,
        changedFiles: changed.length,
      }),
    );
    const done = gh.bodies("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}").at(-1);
    expect(done?.conclusion).toBe("failure");
    const privileged = (done?.output?.annotations ?? [])
      .filter((a) => a.title === "disallow-privileged-containers/privileged-containers")
      .map((a) => `${a.path}:${a.start_line}`);
    expect(privileged.sort()).toEqual(["apps/shop/crlf.yaml:8", "apps/shop/ident.yaml:8", "apps/shop/subst.yaml:9"]);
  });
});
