import { describe, expect, it } from "vitest";
import {
  findMissingRequiredChecks,
  mergeRequiredChecks,
  needsStatuses,
  type CommitCheckRun,
  type CommitStatus,
} from "../../../src/core/merge/required-checks.js";

const run = (name: string, status: string, conclusion: string | null, appId: number | null = 1): CommitCheckRun => ({
  name,
  appId,
  status,
  conclusion,
  url: `https://ci/${name}`,
});
const status = (context: string, state: string): CommitStatus => ({ context, state, url: null });

describe("required checks on the head commit", () => {
  it.each([
    ["a passing run", [run("ci", "completed", "success")], [], null],
    ["a neutral run", [run("ci", "completed", "neutral")], [], null],
    ["a skipped run (GitHub counts it as passing)", [run("ci", "completed", "skipped")], [], null],
    ["a passing status", [], [status("ci", "success")], null],
    ["nothing reported", [], [], "expected"],
    ["a queued run", [run("ci", "queued", null)], [], "pending"],
    ["a pending status", [], [status("ci", "pending")], "pending"],
    ["a failed run", [run("ci", "completed", "failure")], [], "failed"],
    ["a timed-out run", [run("ci", "completed", "timed_out")], [], "failed"],
    ["a cancelled run", [run("ci", "completed", "cancelled")], [], "failed"],
    ["an errored status", [], [status("ci", "error")], "failed"],
    [
      "a passing run and a failed status of the same name (every report must pass)",
      [run("ci", "completed", "success")],
      [status("ci", "failure")],
      "failed",
    ],
    ["a run of another name", [run("lint", "completed", "success")], [], "expected"],
  ])("%s -> %s", (_, runs, statuses, state) => {
    const missing = findMissingRequiredChecks({ required: [{ context: "ci", appId: null }], runs, statuses });
    expect(missing.map((m) => m.state)).toEqual(state === null ? [] : [state]);
  });

  it("a check pinned to an App counts only that App's run, and no status", () => {
    const required = [{ context: "ci", appId: 7 }];
    expect(
      findMissingRequiredChecks({ required, runs: [run("ci", "completed", "success", 8)], statuses: [status("ci", "success")] }),
    ).toEqual([{ kind: "required-check", context: "ci", state: "expected", conclusion: null, url: null }]);
    expect(findMissingRequiredChecks({ required, runs: [run("ci", "completed", "success", 7)], statuses: [] })).toEqual([]);
    expect(needsStatuses({ required, runs: [] })).toBe(false);
  });

  it("leaves out the checks the caller judges itself, and reads statuses only for contexts no run reports", () => {
    const required = [
      { context: "gitops-bot / policies", appId: null },
      { context: "ci", appId: null },
    ];
    expect(
      findMissingRequiredChecks({ required, runs: [run("ci", "completed", "success")], statuses: [], judged: ["gitops-bot / policies"] }),
    ).toEqual([]);
    expect(needsStatuses({ required, runs: [run("ci", "completed", "success")], judged: ["gitops-bot / policies"] })).toBe(false);
    expect(needsStatuses({ required, runs: [], judged: ["gitops-bot / policies"] })).toBe(true);
  });

  it("branch protection and rulesets together: each context once, the pinned requirement winning", () => {
    expect(
      mergeRequiredChecks(
        [
          { context: "ci", appId: null },
          { context: "lint", appId: 3 },
        ],
        [
          { context: "ci", appId: 5 },
          { context: "docs", appId: null },
          { context: "lint", appId: null },
        ],
      ),
    ).toEqual([
      { context: "ci", appId: 5 },
      { context: "docs", appId: null },
      { context: "lint", appId: 3 },
    ]);
  });
});
