import { describe, expect, it } from "vitest";
import { decideDelivery } from "../../../src/core/delivery/decide-delivery.js";
import type { Delivery } from "../../../src/core/delivery/delivery-state.js";
import type { ArgoStatus } from "../../../src/core/delivery/parse-argo-status.js";
import type { ApplicationIdentity } from "../../../src/core/request/application-annotations.js";
import type { StoredRequest } from "../../../src/core/request/stored-request.js";
import { aProvisionRequest } from "../../helpers/requests.js";

const A = "a11ce00000000000000000000000000000000001";
const B = "a11ce00000000000000000000000000000000002";
const base: StoredRequest = {
  v: 1,
  request: aProvisionRequest(),
  pullRequest: { repository: "acme/gitops", number: 7, url: "https://github.com/acme/gitops/pull/7" },
};
const application: ApplicationIdentity = {
  name: "payments-checkout-dev",
  namespace: "argocd",
  template: "web-service",
  requestIssue: { repository: "acme/requests", number: 12 },
};
const status = (state: ArgoStatus["state"], commit = A, observedAt = "2026-01-01T00:00:00Z"): ArgoStatus => ({
  application: "payments-checkout-dev",
  state,
  commit,
  observedAt,
  description: null,
  targetUrl: null,
  commitMessage: "Merge pull request #7 from acme/gitops-bot/web-service/payments-checkout-dev",
});
const decide = (delivery: Delivery | undefined, next: ArgoStatus, stored: StoredRequest = base) =>
  decideDelivery({ stored: delivery ? { ...stored, delivery } : stored, status: next, application, repository: "acme/gitops" });
const merged = (phase: Delivery["phase"], patch: Partial<Delivery> = {}): Delivery => ({
  phase,
  mergedAt: "2026-01-01T00:00:00Z",
  ...patch,
});

describe("decideDelivery", () => {
  it.each([
    ["pending", "syncing", false, false, false],
    ["success", "deployed", true, false, false],
    ["failure", "degraded", false, true, true],
    ["error", "failed", false, true, true],
  ] as const)("after the merge, %s -> %s", (state, phase, close, notify, addLabel) => {
    expect(decide(merged("waiting"), status(state))).toMatchObject({ kind: "apply", delivery: { phase }, close, notify, addLabel });
  });

  it("a later success after a failure closes; the label stays as a record", () => {
    const failing = merged("degraded", {
      labelled: true,
      status: { application: "payments-checkout-dev", state: "failure", commit: A, observedAt: "2026-01-01T00:00:00Z" },
    });
    const decision = decide(failing, status("success", B, "2026-01-01T01:00:00Z"));
    expect(decision).toMatchObject({
      kind: "apply",
      delivery: { phase: "deployed", labelled: true },
      close: true,
      notify: false,
      addLabel: false,
    });
  });

  it("a second failure on a new commit notifies again but does not label twice", () => {
    const failing = merged("degraded", {
      labelled: true,
      status: { application: "payments-checkout-dev", state: "failure", commit: A, observedAt: "2026-01-01T00:00:00Z" },
    });
    expect(decide(failing, status("error", B, "2026-01-01T01:00:00Z"))).toMatchObject({
      kind: "apply",
      delivery: { phase: "failed", labelled: true },
      notify: true,
      addLabel: false,
    });
  });

  it("before the merge event: shows a status on the merge commit but never closes", () => {
    expect(decide(undefined, status("success"))).toMatchObject({ kind: "apply", delivery: { phase: "deployed" }, close: false });
    expect(
      decide(undefined, { ...status("success"), commitMessage: "Provision web-service payments/checkout in dev (small) (#7)" }),
    ).toMatchObject({ kind: "apply" });
    expect(
      decide(undefined, { ...status("success"), commitMessage: "Resize web-service\n\nRequested by alice in acme/requests#12." }),
    ).toMatchObject({ kind: "apply" });
  });

  it.each([
    ["another pull request's merge", "Merge pull request #71 from acme/other"],
    ["a commit pushed directly", "Bump nginx"],
    ["a commit naming another issue", "Requested by bob in acme/requests#123."],
    ["a deployment status (no commit message)", null],
  ])("before the merge event, ignores a status on %s: it speaks of the version still running", (_, commitMessage) => {
    expect(decide(undefined, { ...status("failure"), commitMessage }).kind).toBe("ignore");
  });

  it.each([
    [
      "the same status twice",
      merged("syncing", {
        status: { application: "payments-checkout-dev", state: "pending", commit: A, observedAt: "2026-01-01T00:00:00Z" },
      }),
      status("pending"),
      base,
    ],
    [
      "a pending after a success",
      merged("deployed", {
        status: { application: "payments-checkout-dev", state: "success", commit: B, observedAt: "2026-01-01T01:00:00Z" },
      }),
      status("pending"),
      base,
    ],
    [
      "a status older than the last one taken",
      merged("degraded", {
        status: { application: "payments-checkout-dev", state: "failure", commit: B, observedAt: "2026-01-01T01:00:00Z" },
      }),
      status("success", A, "2026-01-01T00:30:00Z"),
      base,
    ],
    ["a status on a commit older than the merge", merged("waiting"), status("success", A, "2025-12-31T00:00:00Z"), base],
    ["a request closed at its merge", merged("untracked"), status("success"), base],
    ["a deprovision", merged("waiting"), status("success"), { ...base, request: { ...base.request, action: "deprovision" as const } }],
    [
      "a pull request in another repository",
      merged("waiting"),
      status("success"),
      { ...base, pullRequest: { ...base.pullRequest!, repository: "acme/other" } },
    ],
    [
      "an Application of another template",
      merged("waiting"),
      status("success"),
      { ...base, request: { ...base.request, template: "worker" } },
    ],
    ["a request without a pull request", undefined, status("success"), { v: 1 as const, request: base.request }],
  ])("ignores %s", (_, delivery, next, stored) => {
    expect(decide(delivery, next, stored).kind).toBe("ignore");
  });
});
