import { describe, expect, it } from "vitest";
import { BotConfigSchema } from "../../../src/core/config/bot-config.schema.js";
import { deliveryAfterClose } from "../../../src/core/delivery/delivery-after-close.js";
import type { StoredRequest } from "../../../src/core/request/stored-request.js";

const config = BotConfigSchema.parse({
  argocd: { namespace: "argocd" },
  environments: { "prod-eu": { cluster: "https://eu.example" }, dev: { cluster: "https://dev.example" } },
});
const issue = { repository: "acme/requests", number: 12 };

function stored(environment: string): StoredRequest {
  return {
    v: 1,
    request: {
      action: "provision",
      template: "web-service",
      size: "small",
      values: { name: "checkout", team: "payments", environment, image: "ghcr.io/acme/checkout:1.4.2" },
      requester: "alice",
    },
    pullRequest: { repository: "acme/gitops", number: 7, url: "https://github.com/acme/gitops/pull/7" },
  };
}

describe("deliveryAfterClose", () => {
  it("waits for Argo CD when the Application is where a status looks for it", () => {
    const identity = { name: "payments-checkout-dev", namespace: "argocd", template: "web-service", requestIssue: issue };
    const result = deliveryAfterClose({
      stored: stored("dev"),
      merged: true,
      mergedAt: "2026-01-01T00:00:00Z",
      config,
      issue,
      application: { path: "argocd/dev/payments-checkout.yaml", identity },
    });
    expect(result).toEqual({ delivery: { phase: "waiting", mergedAt: "2026-01-01T00:00:00Z" }, close: false, notes: [] });
  });

  it("closes at the merge, and says why, when the environment's name has a `-`: statuses look in another file", () => {
    const identity = { name: "payments-checkout-prod-eu", namespace: "argocd", template: "web-service", requestIssue: issue };
    const result = deliveryAfterClose({
      stored: stored("prod-eu"),
      merged: true,
      mergedAt: "2026-01-01T00:00:00Z",
      config,
      issue,
      application: { path: "argocd/prod-eu/payments-checkout.yaml", identity },
    });
    expect(result.close).toBe(true);
    expect(result.delivery.phase).toBe("untracked");
    expect(result.notes).toEqual([
      expect.objectContaining({
        code: "argocd.not-followed",
        message:
          "Argo CD's statuses for the Application `payments-checkout-prod-eu` are looked up in `argocd/eu/payments-checkout-prod.yaml`, not in `argocd/prod-eu/payments-checkout.yaml`. Argo CD's statuses cannot reach this issue, so it closed at the merge.",
      }),
    ]);
  });
});
