import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { branchName } from "../../../src/core/plan/branch-name.js";
import { planChangeset } from "../../../src/core/plan/plan-changeset.js";

// Test-side hasher: any deterministic hash serves the pure planner.
const hashBlob = (text: string) => createHash("sha1").update(text).digest("hex");
const owned = (p: string) => p.startsWith("apps/payments/checkout/dev/") || p === "argocd/dev/payments-checkout.yaml";
const tree = (files: Record<string, string>) => Object.entries(files).map(([path, text]) => ({ path, sha: hashBlob(text) }));

const desired = [
  { path: "apps/payments/checkout/dev/deployment.yaml", content: "replicas: 1\n" },
  { path: "apps/payments/checkout/dev/service.yaml", content: "port: 80\n" },
  { path: "argocd/dev/payments-checkout.yaml", content: "app: 1\n" },
];

describe("planChangeset", () => {
  it("adds every file of a new request", () => {
    const plan = planChangeset({ desired, existing: tree({ "README.md": "x" }), owned, hashBlob });
    expect(plan.changes.map((c) => [c.kind, c.path])).toEqual([
      ["added", "apps/payments/checkout/dev/deployment.yaml"],
      ["added", "apps/payments/checkout/dev/service.yaml"],
      ["added", "argocd/dev/payments-checkout.yaml"],
    ]);
    expect(plan.diff).toContain("+++ b/apps/payments/checkout/dev/deployment.yaml");
    expect(plan.diff).toContain("--- /dev/null");
  });

  it("is empty when the same request is provisioned twice", () => {
    const existing = tree(Object.fromEntries(desired.map((f) => [f.path, f.content])));
    const plan = planChangeset({ desired, existing, owned, hashBlob });
    expect(plan.isEmpty).toBe(true);
    expect(plan.diff).toBe("");
  });

  it("gives a small diff for a new size", () => {
    const existing = tree(Object.fromEntries(desired.map((f) => [f.path, f.content])));
    const resized = desired.map((f) => (f.path.endsWith("deployment.yaml") ? { ...f, content: "replicas: 3\n" } : f));
    const previous = new Map([["apps/payments/checkout/dev/deployment.yaml", "replicas: 1\n"]]);
    const plan = planChangeset({ desired: resized, existing, owned, hashBlob, previous });
    expect(plan.changes).toHaveLength(1);
    expect(plan.changes[0]?.kind).toBe("changed");
    expect(plan.diff).toContain("-replicas: 1");
    expect(plan.diff).toContain("+replicas: 3");
  });

  it("deletes exactly the request's files on deprovision and leaves its neighbours", () => {
    const existing = tree({
      ...Object.fromEntries(desired.map((f) => [f.path, f.content])),
      "apps/payments/checkout/prod/deployment.yaml": "x",
      "apps/payments/checkout-v2/dev/deployment.yaml": "x",
      "argocd/dev/payments-checkout-v2.yaml": "x",
    });
    const plan = planChangeset({ desired: [], existing, owned, hashBlob });
    expect(plan.changes.map((c) => [c.kind, c.path])).toEqual(desired.map((f) => ["deleted", f.path]));
  });

  it("deletes a file a smaller size no longer renders", () => {
    const existing = tree({ ...Object.fromEntries(desired.map((f) => [f.path, f.content])), "apps/payments/checkout/dev/hpa.yaml": "hpa" });
    const plan = planChangeset({ desired, existing, owned, hashBlob });
    expect(plan.changes).toEqual([{ path: "apps/payments/checkout/dev/hpa.yaml", kind: "deleted", before: null, after: null }]);
  });
});

describe("branchName", () => {
  it("is deterministic per request target", () => {
    const params = { prefix: "gitops-bot", template: "web-service", team: "payments", name: "checkout", environment: "dev" };
    expect(branchName(params)).toBe("gitops-bot/web-service/payments-checkout-dev");
    expect(branchName(params)).toBe(branchName({ ...params }));
  });
});
