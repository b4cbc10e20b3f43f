import { describe, expect, it } from "vitest";
import { planManifestReads } from "../../../src/core/manifests/plan-manifest-reads.js";
import { problem } from "../../../src/core/problems.js";

const limits = { maxFiles: 3, maxBytes: 1_000, maxFileBytes: 400 };

describe("planManifestReads: a check reads a bounded amount, changed files first, and says what it left out", () => {
  it("reads judged files before context, and leaves out what passes the limits with one finding listing it", () => {
    const paths = ["ctx/a.yaml", "ctx/b.yaml", "pr/1.yaml", "pr/2.yaml", "pr/3.yaml", "pr/4.yaml"];
    const plan = planManifestReads({ paths, facts: paths.map(() => ({ size: 100 })), isJudged: (p) => p.startsWith("pr/"), limits });
    expect(plan.read).toEqual(["pr/1.yaml", "pr/2.yaml", "pr/3.yaml"]);
    expect(plan.skipped.map((s) => `${s.path} ${s.reason}`)).toEqual([
      "pr/4.yaml over-limit",
      "ctx/a.yaml over-limit",
      "ctx/b.yaml over-limit",
    ]);
    expect(plan.problems).toEqual([
      expect.objectContaining({
        code: "check.not-read",
        severity: "error",
        message: expect.stringMatching(
          /^1 changed manifest file was not read: the check reads at most 3 files and 1000 bytes\. Not read: `pr\/4\.yaml`\.$/,
        ),
      }),
    ]);
  });

  it("leaving out only context is a warning", () => {
    const paths = ["pr/1.yaml", "ctx/a.yaml"];
    const plan = planManifestReads({
      paths,
      facts: [{ size: 900 }, { size: 200 }],
      isJudged: (p) => p.startsWith("pr/"),
      limits: { ...limits, maxFileBytes: 1_000 },
    });
    expect(plan.read).toEqual(["pr/1.yaml"]);
    expect(plan.problems).toEqual([
      expect.objectContaining({
        code: "check.not-read",
        severity: "warning",
        message: expect.stringContaining("as context (quotas and references may be incomplete)"),
      }),
    ]);
  });

  it("never reads a file larger than maxFileBytes, and says so on the file", () => {
    const plan = planManifestReads({ paths: ["pr/big.yaml"], facts: [{ size: 10 * 1024 * 1024 }], isJudged: () => true, limits });
    expect(plan.read).toEqual([]);
    expect(plan.skipped).toEqual([{ path: "pr/big.yaml", reason: "too-large", detail: "10 MiB, over the 400 bytes limit" }]);
    expect(plan.problems).toEqual([expect.objectContaining({ code: "yaml.too-large", file: "pr/big.yaml", line: 1 })]);
  });

  it("does not read a file its source refuses (a link leaving the repository) and passes the source's problem on", () => {
    const refused = problem("manifest.symlink-outside", "outside", { file: "pr/link.yaml", line: 1, column: 1 });
    const plan = planManifestReads({
      paths: ["pr/link.yaml", "ctx/link.yaml"],
      facts: [{ problem: refused }, { problem: refused }],
      isJudged: (p) => p.startsWith("pr/"),
      limits,
    });
    expect(plan.read).toEqual([]);
    expect(plan.problems).toEqual([refused]);
    expect(plan.skipped.map((s) => s.reason)).toEqual(["unreadable", "unreadable"]);
  });
});
