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

const RULES: BaseFile = {
  path: "apps/shop/rules.yaml",
  content: `apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: {name: shop, namespace: shop}
spec:
  groups:
    - name: shop
      rules:
        - alert: ShopDown
          expr: |
            sum(up{job="shop"}
              == 0
          for: 5m
          labels: {severity: critical}
          annotations: {summary: The shop is down.}
          lables: {team: shop}
`,
};

describe("the pull request check carries the validation findings as annotations", () => {
  it("a broken PromQL expression and an unknown field are annotated at their lines, failing the check", async () => {
    const gh = new GitHubMock();
    mockDefaultConfig(gh);
    mockCheckRun(gh, 1);
    mockMergeBase(gh);
    mockCommitTree(gh, HEAD_COMMIT, [README, RULES]);
    mockCommitTree(gh, PR_BASE_COMMIT, [README]);
    mockTeams(gh, "alice", { platform: null, shop: "active" });
    mockBlobs(gh, [RULES]);
    const event = pullRequestEvent("opened", {
      repo: { owner: GITOPS.owner, name: GITOPS.repo },
      author: { login: "alice" },
      headSha: HEAD_COMMIT,
      baseSha: PR_BASE_COMMIT,
      changedFiles: 1,
    });
    await deliver(await createTestProbot(), "pull_request.opened", event);
    const done = gh.bodies("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}").at(-1);
    expect(done?.conclusion).toBe("failure");
    const annotations = (done?.output?.annotations ?? []).map(
      (a) => `${a.path}:${a.start_line}:${a.start_column ?? ""} ${a.annotation_level} ${a.title}`,
    );
    expect(annotations).toEqual([
      "apps/shop/rules.yaml:11:19 failure prometheus-rule/promql",
      "apps/shop/rules.yaml:15:11 failure schema/unknown-field",
    ]);
  });
});
