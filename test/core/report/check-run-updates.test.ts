import { describe, expect, it } from "vitest";
import { MAX_CHECK_TEXT_LENGTH, renderCheckOutput } from "../../../src/core/report/check-output.js";
import { planCheckRunUpdates, renderCheckNotes } from "../../../src/core/report/check-run-updates.js";
import { selectPullRequestFindings } from "../../../src/core/report/select-pull-request-findings.js";
import type { Finding } from "../../../src/core/policy/types.js";

function finding(overrides: Partial<Finding> = {}): Finding {
  return { policy: "p", rule: "r", severity: "error", file: "apps/a.yaml", line: 3, column: 5, path: "spec", message: "bad", ...overrides };
}

const review = {
  files: { templates: [], policies: ["platform/policies/a.yaml"], config: [] },
  needed: true,
  reviewers: ["acme/platform"],
  toRequest: ["acme/platform"],
};

describe("planCheckRunUpdates", () => {
  it("sends a clean result in one completing request", () => {
    const updates = planCheckRunUpdates({ report: renderCheckOutput({ findings: [], checkedFiles: 1, policyCount: 2 }) });
    expect(updates).toEqual([
      {
        output: { title: "All policies pass", summary: "Checked 1 file against 2 policies: no findings.", annotations: [] },
        conclusion: "success",
      },
    ]);
  });

  it.each([
    [50, [50]],
    [51, [50, 1]],
    [120, [50, 50, 20]],
  ])("%i annotations: batches of %j, the last one completing with the full output", (count, sizes) => {
    const findings = Array.from({ length: count }, (_, i) => finding({ line: i + 1 }));
    const updates = planCheckRunUpdates({ report: renderCheckOutput({ findings }) });
    expect(updates.map((u) => u.output.annotations.length)).toEqual(sizes);
    expect(updates.map((u) => u.conclusion ?? null)).toEqual([...sizes.slice(1).map(() => null), "failure"]);
    expect(updates.at(-1)?.output.text).toContain("### `apps/a.yaml`");
  });

  it("keeps the notes whole and shortens the summary when both would pass GitHub's limit", () => {
    const findings = Array.from({ length: 3000 }, (_, i) => finding({ policy: `policy-${i}-${"x".repeat(20)}` }));
    const report = renderCheckOutput({ findings });
    const update = planCheckRunUpdates({ report, notes: { platformReview: { ...review, requested: ["acme/platform"] } } }).at(-1);
    const summary = update?.output.summary ?? "";
    expect(new TextEncoder().encode(summary).length).toBeLessThanOrEqual(MAX_CHECK_TEXT_LENGTH);
    expect(summary).toContain("_…summary shortened to fit GitHub's limit._");
    expect(summary.endsWith("Review requested from @acme/platform.")).toBe(true);
  });
});

describe("renderCheckNotes", () => {
  it("says what it asked, where the rules came from, and what it could not judge", () => {
    expect(
      renderCheckNotes({
        platformReview: { ...review, requested: [] },
        baseCommit: "0123456789abcdef",
        ownershipSkipped: "the pull request was opened by a bot (`renovate[bot]`).",
        remarks: ["GitHub refused the review request for `acme/platform`."],
      }),
    ).toEqual([
      "**Platform change.** This pull request changes policies (`platform/policies/a.yaml`), which need the platform team's review. Review could not be requested from @acme/platform (see below).",
      "**Judged by the base branch's rules.** Policies, the platform configuration and the bot configuration were read at the base commit `0123456`, so a pull request cannot relax the rules that judge it. The changed versions were validated; they apply once merged.",
      "**Namespace ownership not judged:** the pull request was opened by a bot (`renovate[bot]`).",
      "GitHub refused the review request for `acme/platform`.",
    ]);
  });

  it("lists at most ten files and tells when no platform reviewer is configured", () => {
    const policies = Array.from({ length: 12 }, (_, i) => `platform/policies/p${i}.yaml`);
    const [line] = renderCheckNotes({
      platformReview: { files: { templates: [], policies, config: [] }, needed: true, reviewers: [], toRequest: [], requested: [] },
    });
    expect(line).toContain("`platform/policies/p9.yaml` and 2 more)");
    expect(line).toContain("No platform reviewers are configured: set `approvals.platform` in `.github/gitops-bot.yml`.");
  });
});

describe("selectPullRequestFindings", () => {
  const changed = new Set(["apps/a.yaml", "platform/policies/changed.yaml"]);
  it.each([
    ["a finding in a changed file", true, finding()],
    ["a finding in an unchanged file", false, finding({ file: "apps/b.yaml" })],
    ["a finding without a file", true, finding({ file: "" })],
    ["an error of an unchanged base policy (it judges nothing)", true, finding({ file: "platform/policies/old.yaml" })],
    ["a warning of an unchanged base policy", false, finding({ file: "platform/policies/old.yaml", severity: "warning" })],
    ["the base version of a policy the pull request changes", false, finding({ file: "platform/policies/changed.yaml" })],
  ])("%s: shown %s", (_, shown, input) => {
    expect(selectPullRequestFindings({ findings: [input], changedFiles: changed, policiesPath: "platform/policies" })).toHaveLength(
      shown ? 1 : 0,
    );
  });
});
