import { describe, expect, it } from "vitest";
import { boundedLabel, OTHER_LABEL } from "../../../src/core/metrics/bounded-label.js";
import { requestOutcome } from "../../../src/core/metrics/request-outcome.js";
import { ABSOLUTE_URL_ROUTE, methodLabel, OTHER_ROUTE, routeLabel } from "../../../src/core/metrics/route-label.js";

describe("routeLabel: route templates, never expanded paths", () => {
  it.each([
    ["/repos/{owner}/{repo}/git/trees", "/repos/{owner}/{repo}/git/trees"],
    ["/repos/{owner}/{repo}/contents/{path}", "/repos/{owner}/{repo}/contents/{path}"],
    ["/repos/{owner}/{repo}/pulls?per_page=100", "/repos/{owner}/{repo}/pulls"],
    ["/app", "/app"],
    ["/rate_limit", "/rate_limit"],
    // Expanded paths and absolute URLs carry owner, repository and branch names.
    ["/repos/acme/gitops/git/trees", OTHER_ROUTE],
    ["/repos/acme/gitops", OTHER_ROUTE],
    ["https://api.github.com/repositories/1/issues/2/comments?page=2", ABSOLUTE_URL_ROUTE],
    ["HTTPS://ghe.example/api/v3/repos/a/b", ABSOLUTE_URL_ROUTE],
    ["/repos/{owner}/{repo}/contents/a b", OTHER_ROUTE],
    [`/repos/{owner}/${"x".repeat(200)}`, OTHER_ROUTE],
    ["", OTHER_ROUTE],
  ])("%s -> %s", (url, label) => {
    expect(routeLabel(url)).toBe(label);
  });

  it("methods come from a fixed set", () => {
    expect([methodLabel("get"), methodLabel("PATCH"), methodLabel("BREW"), methodLabel(undefined)]).toEqual([
      "GET",
      "PATCH",
      "OTHER",
      "GET",
    ]);
  });
});

describe("boundedLabel: plain names, at most `cap` of them", () => {
  it("lets plain names through until the cap, then says other", () => {
    const seen = new Set(["a", "b"]);
    expect(boundedLabel({ value: "a", seen, cap: 2 })).toBe("a");
    expect(boundedLabel({ value: "c", seen, cap: 2 })).toBe(OTHER_LABEL);
    expect(boundedLabel({ value: "c", seen, cap: 3 })).toBe("c");
  });

  it.each(["Disallow-Latest", "a b", "x".repeat(64), "", "-a", "näme", 'a"}', "a\nb"])("%j is not a plain name", (value) => {
    expect(boundedLabel({ value, seen: new Set(), cap: 10 })).toBe(OTHER_LABEL);
  });
});

describe("requestOutcome", () => {
  it.each([
    ["published", "provisioned"],
    ["up-to-date", "up_to_date"],
    ["rejected", "rejected"],
    ["refused", "refused"],
    ["preview", "preview"],
    ["help", "help"],
    ["merged", null],
    ["closed", null],
  ])("%s -> %s", (view, outcome) => {
    expect(requestOutcome(view)).toBe(outcome);
  });
});
