import { describe, expect, it } from "vitest";
import type { Changeset } from "../../../src/core/plan/plan-changeset.js";
import { problem } from "../../../src/core/problems.js";
import { MAX_STATUS_COMMENT, renderStatusComment, STATUS_MARKER } from "../../../src/core/report/status-comment.js";
import { deriveRequest } from "../../../src/core/request/derive-request.js";
import type { ProvisionRequest } from "../../../src/core/request/request.js";
import { parseStoredRequest, type StoredRequest } from "../../../src/core/request/stored-request.js";
import { aProvisionRequest } from "../../helpers/requests.js";

const request: ProvisionRequest = aProvisionRequest({
  values: { name: "api", image: "ghcr.io/acme/api:1.0.0" },
  issue: { repository: "acme/requests", number: 12, url: "https://github.com/acme/requests/issues/12" },
});
const changeset: Changeset = {
  changes: [{ path: "apps/payments/api/dev/deployment.yaml", kind: "added", before: null, after: "kind: Deployment\n" }],
  diff: "--- /dev/null\n+++ b/apps/payments/api/dev/deployment.yaml\n@@ -0,0 +1 @@\n+kind: Deployment\n",
  isEmpty: false,
};
const stored: StoredRequest = {
  v: 1,
  request: aProvisionRequest({ values: request.values }),
  pullRequest: { repository: "acme/gitops", number: 7, url: "https://github.com/acme/gitops/pull/7" },
};
const pr = { repository: "acme/gitops", number: 7, url: "https://github.com/acme/gitops/pull/7", created: true };

describe("renderStatusComment", () => {
  it("says a PR was opened, for what, who approves, and keeps the request in a marker", () => {
    const text = renderStatusComment({
      view: { kind: "published", request, pullRequest: pr, commit: "abc", changeset, reviewers: ["acme/platform-team"] },
      stored,
    });
    expect(text.startsWith(`${STATUS_MARKER}\n### ✅ Opened pull request [acme/gitops#7](https://github.com/acme/gitops/pull/7)`)).toBe(
      true,
    );
    expect(text).toContain("**Provision** `web-service` size `small` for `payments/api` in `dev`, requested by @alice.");
    expect(text).toContain("Approval requested from @acme/platform-team.");
    expect(text).toContain("- added `apps/payments/api/dev/deployment.yaml`");
    expect(parseStoredRequest(text)).toEqual(stored);
  });

  it("renders a refusal with the reason and what would allow it", () => {
    expect(
      renderStatusComment({
        view: {
          kind: "refused",
          requester: "guest",
          reason: "@guest may not make requests here.",
          howToAllow: "Ask for write permission.",
        },
        stored: null,
      }),
    ).toMatchInlineSnapshot(`
      "<!-- gitops-bot:status -->
      ### 🚫 Not allowed

      @guest may not make requests here.

      Ask for write permission.

      Nothing was written.

      <sub>Commands: \`/provision <size> [key=value ...]\`, \`/resize <size>\`, \`/deprovision\`, \`/preview\`, \`/help\`. This comment is updated in place.</sub>
      "
    `);
  });

  it("lists problems with where and how to fix, and still links the issue's pull request", () => {
    const text = renderStatusComment({
      view: {
        kind: "rejected",
        request,
        problems: [problem("value.pattern", "`image` must be pinned.", { path: "image", hint: "Use a tag other than latest." })],
      },
      stored,
    });
    expect(text).toContain("- `image` must be pinned. (`image`)\n  Use a tag other than latest.");
    expect(text).toContain("This issue's pull request: [acme/gitops#7](https://github.com/acme/gitops/pull/7).");
  });

  it("shows a preview's diff in a fence the diff cannot close", () => {
    const tricky = { ...changeset, diff: "+a: ```\n+b: ````\n" };
    const text = renderStatusComment({
      view: { kind: "preview", request: { ...request, action: "preview" }, branch: "b", changeset: tricky, reviewers: [] },
      stored: null,
    });
    expect(text).toContain("`````diff\n+a: ```\n+b: ````\n`````");
  });

  it("degrades from diff to file list to counts to stay under GitHub's limit", () => {
    const big: Changeset = { ...changeset, diff: "+x\n".repeat(30_000) };
    const withList = renderStatusComment({ view: { kind: "preview", request, branch: "b", changeset: big, reviewers: [] }, stored });
    expect(withList.length).toBeLessThanOrEqual(MAX_STATUS_COMMENT);
    expect(withList).toContain("The diff is too large for a comment.");
    const many: Changeset = {
      changes: Array.from({ length: 5000 }, (_, i) => ({
        path: `apps/t/n/dev/file-${i}-${"x".repeat(20)}.yaml`,
        kind: "added" as const,
        before: null,
        after: "",
      })),
      diff: "",
      isEmpty: false,
    };
    const countsOnly = renderStatusComment({
      view: { kind: "published", request, pullRequest: pr, commit: "c", changeset: many, reviewers: [] },
      stored,
    });
    expect(countsOnly.length).toBeLessThanOrEqual(MAX_STATUS_COMMENT);
    expect(countsOnly).toContain("Files: 5000 added, 0 changed, 0 deleted (too many to list here).");
    expect(parseStoredRequest(countsOnly)).toEqual(stored);
  });

  it("caps a long problem list", () => {
    const problems = Array.from({ length: 40 }, (_, i) => problem("x", `problem ${i}`));
    expect(renderStatusComment({ view: { kind: "rejected", request: null, problems }, stored: null })).toContain("- …and 10 more.");
  });

  it.each([
    ["merged", "### 🎉 Merged: [acme/gitops#7](https://github.com/acme/gitops/pull/7)"],
    ["closed", "### Pull request [acme/gitops#7](https://github.com/acme/gitops/pull/7) was closed without merging"],
  ] as const)("tells the issue when the PR is %s", (kind, heading) => {
    expect(renderStatusComment({ view: { kind, pullRequest: pr }, stored })).toContain(heading);
  });
});

/** The text outside inline code spans, read as CommonMark does: a span closes at a run of the same length. */
function outsideCodeSpans(text: string): string {
  return text.replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, " ");
}

describe("untrusted values in the status comment", () => {
  // Each value reaches the comment through a problem's message or hint, or the request line.
  const hostile = [
    "a`b",
    "``",
    "x` **bold** `y",
    "<img src=x onerror=alert(1)>",
    "@acme/everyone",
    "a|b",
    "line\n# heading",
    "y".repeat(5_000),
  ];

  it.each(hostile)("keeps size=%j inside its code span", (size) => {
    const { problems } = deriveRequest({
      trigger: { name: "provision", size: "small", values: { size } },
      form: null,
      stored: null,
      requester: "bob",
      issue: { repository: "acme/requests", number: 1, url: "https://github.com/acme/requests/issues/1" },
    });
    const text = renderStatusComment({ view: { kind: "rejected", request: null, problems }, stored: null });
    const hint = text.split("\n").find((line) => line.startsWith("  Write "));
    expect(hint).toBeDefined();
    const span = hint!.slice("  Write ".length, -1);
    const fence = /^`+/.exec(span)![0];
    expect(span.endsWith(fence)).toBe(true);
    expect(span.slice(fence.length, -fence.length)).not.toMatch(new RegExp(`(?<!\`)${fence}(?!\`)`));
    expect(outsideCodeSpans(text)).not.toContain("<img");
    expect(outsideCodeSpans(text)).not.toContain("@acme");
    expect(text.length).toBeLessThan(3_000);
  });

  it.each(hostile)("quotes a requested value %j in the request line", (name) => {
    const text = renderStatusComment({
      view: { kind: "rejected", request: { ...request, values: { ...request.values, name }, requester: "jane doe`" }, problems: [] },
      stored: null,
    });
    const line = text.split("\n").find((l) => l.startsWith("**Provision**"))!;
    expect(outsideCodeSpans(line)).not.toContain("<img");
    expect(outsideCodeSpans(line)).not.toContain("@acme");
    expect(outsideCodeSpans(line)).not.toContain("@jane");
    expect(outsideCodeSpans(line)).not.toContain("**bold**");
    expect(line.length).toBeLessThan(500);
  });
});
