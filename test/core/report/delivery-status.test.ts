import { describe, expect, it } from "vitest";
import type { Delivery } from "../../../src/core/delivery/delivery-state.js";
import { renderDeliveryBody, renderDeliveryNotice } from "../../../src/core/report/delivery-status.js";

const pullRequest = { repository: "acme/gitops", number: 7, url: "https://github.com/acme/gitops/pull/7" };
const commit = "a11ce00000000000000000000000000000000001";
const status = (state: "pending" | "success" | "failure" | "error", description?: string) => ({
  application: "payments-checkout-dev",
  state,
  commit,
  ...(description ? { description } : {}),
  targetUrl: "https://argocd.acme.example/applications/payments-checkout-dev",
});
const at = (phase: Delivery["phase"], s?: ReturnType<typeof status>): Delivery => ({
  phase,
  mergedAt: "2026-01-01T00:00:00Z",
  ...(s ? { status: s } : {}),
});

describe("renderDeliveryBody", () => {
  it.each([
    ["waiting", at("waiting"), "### ⏳ Merged, waiting for Argo CD", "- ⏳ Waiting for Argo CD to sync it"],
    [
      "syncing",
      at("syncing", status("pending")),
      "### 🔄 Argo CD is syncing",
      "- 🔄 Argo CD is syncing Application `payments-checkout-dev` at [`a11ce0000000`](https://github.com/acme/gitops/commit/a11ce00000000000000000000000000000000001)",
    ],
    [
      "deployed",
      at("deployed", status("success")),
      "### 🚀 Deployed",
      "- ✅ Synced and healthy ([Argo CD](https://argocd.acme.example/applications/payments-checkout-dev))",
    ],
    ["degraded", at("degraded", status("failure", "0/2 pods ready")), "### ⚠️ Degraded", "- ⚠️ Degraded: 0/2 pods ready ([Argo CD]"],
    [
      "failed",
      at("failed", status("error", "Sync failed: one or more objects failed to apply")),
      "### ❌ Sync failed",
      "could not sync Application `payments-checkout-dev` at",
    ],
  ])("shows %s as a step of the way", (_, delivery, headline, step) => {
    const text = renderDeliveryBody({ delivery, pullRequest }).join("\n");
    expect(text).toContain(headline);
    expect(text).toContain(step);
    expect(text).toContain("- ✅ Pull request [acme/gitops#7](https://github.com/acme/gitops/pull/7) merged");
  });

  it("quotes Argo CD's description as text: no mention, link, image or HTML", () => {
    const hostile = "@alice see [here](https://evil.example) ![x](https://evil.example/x.png) <img src=x> #12";
    const text = [
      renderDeliveryBody({ delivery: at("degraded", status("failure", hostile)), pullRequest }).join("\n"),
      renderDeliveryNotice({ delivery: at("degraded", status("failure", hostile)), pullRequest }),
    ].join("\n");
    expect(text).not.toContain("@alice");
    expect(text).not.toContain("[here](");
    expect(text).not.toContain("![x]");
    expect(text).not.toMatch(/(?<!\\)<img/);
    expect(text).not.toMatch(/(^|[^\u2060])#12/);
  });

  it("says a status came before the merge event, and that the merge closes the issue", () => {
    const text = renderDeliveryBody({ delivery: { phase: "deployed", status: status("success") }, pullRequest }).join("\n");
    expect(text).toContain("Argo CD reported before the merge event");
    expect(text).toContain("This issue closes when the merge event arrives.");
  });
});
