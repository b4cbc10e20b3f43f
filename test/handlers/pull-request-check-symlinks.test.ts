import { describe, expect, it } from "vitest";
import { GitHubMock } from "../helpers/github-mock.js";
import { GITOPS, README, type BaseFile } from "../helpers/github-scenario.js";
import { pullRequestEvent } from "../helpers/check-payloads.js";
import {
  HEAD_COMMIT,
  PR_BASE_COMMIT,
  mockBlobs,
  mockCheckRun,
  mockCommitTree,
  mockDefaultConfig,
  mockMergeBase,
  mockTeams,
} from "../helpers/policy-check-scenario.js";
import { createTestProbot, deliver } from "../helpers/probot.js";

const PRIVILEGED = `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: shop}
spec:
  containers:
    - name: a
      image: registry.example.com/a:1.0.0
      securityContext: {privileged: true}
`;
const TARGET: BaseFile = { path: "hidden/pod.txt", content: PRIVILEGED };
const link = (path: string, target: string): BaseFile => ({ path, content: target, mode: "120000" });

async function check(links: BaseFile[], reads: BaseFile[]) {
  const gh = new GitHubMock();
  mockDefaultConfig(gh);
  mockCheckRun(gh, 1);
  mockMergeBase(gh);
  mockCommitTree(gh, HEAD_COMMIT, [README, TARGET, ...links]);
  mockCommitTree(gh, PR_BASE_COMMIT, [README]);
  mockTeams(gh, "alice", { platform: null, shop: "active" });
  // Each link's text is read once to resolve it, and the target once: never the link text as YAML.
  mockBlobs(gh, reads);
  const event = pullRequestEvent("opened", {
    repo: { owner: GITOPS.owner, name: GITOPS.repo },
    author: { login: "alice" },
    headSha: HEAD_COMMIT,
    baseSha: PR_BASE_COMMIT,
    changedFiles: links.length,
  });
  await deliver(await createTestProbot(), "pull_request.opened", event);
  const done = gh.bodies("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}").at(-1);
  return { done, annotations: (done?.output?.annotations ?? []).map((a) => `${a.path}:${a.start_line} ${a.annotation_level} ${a.title}`) };
}

describe("symbolic links in a pull request (tree mode 120000)", () => {
  it("a link to a file inside the repository is judged as that file, whatever the file's name", async () => {
    const pod = link("apps/shop/pod.yaml", "../../hidden/pod.txt");
    const { done, annotations } = await check([pod], [pod, TARGET]);
    expect(done?.conclusion).toBe("failure");
    expect(annotations).toContain("apps/shop/pod.yaml:8 failure disallow-privileged-containers/privileged-containers");
  });

  it.each([
    ["leaving the repository", "../../../etc/kubernetes/pod.yaml", "failure gitops-bot/manifest.symlink-outside"],
    ["absolute", "/etc/kubernetes/pod.yaml", "failure gitops-bot/manifest.symlink-outside"],
    ["to another link (a chain)", "other.yaml", "failure gitops-bot/manifest.symlink-chain"],
    ["to itself (a loop)", "pod.yaml", "failure gitops-bot/manifest.symlink-chain"],
    ["whose text starts with #", "#/../../../hidden/pod.txt", "warning gitops-bot/manifest.symlink-dangling"],
  ])("a link %s is a finding on the link, never its text read as YAML", async (_what, target, expected) => {
    const pod = link("apps/shop/pod.yaml", target);
    const other = link("apps/shop/other.yaml", "../../hidden/pod.txt");
    const links = target === "other.yaml" ? [pod, other] : [pod];
    const { annotations } = await check(links, target === "other.yaml" ? [pod, other, TARGET] : [pod]);
    expect(annotations).toContain(`apps/shop/pod.yaml:1 ${expected}`);
    expect(
      annotations.filter((a) => a.startsWith("apps/shop/pod.yaml")).some((a) => a.includes("yaml.") || a.includes("not-kubernetes")),
    ).toBe(false);
  });
});
