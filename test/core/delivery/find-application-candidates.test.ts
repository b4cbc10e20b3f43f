import { describe, expect, it } from "vitest";
import { findApplicationCandidates } from "../../../src/core/delivery/find-application-candidates.js";

const paths = [
  "README.md",
  "argocd/dev/payments-checkout.yaml",
  "argocd/prod/payments-checkout.yaml",
  "argocd/bootstrap/dev.yaml",
  "apps/payments/checkout/dev/deployment.yaml",
  "deploy/apps/payments-checkout-dev.yml",
  "payments-checkout-dev.yaml",
];

describe("findApplicationCandidates", () => {
  it("finds the default layout (argocd/{environment}/{team}-{name}.yaml) and files named after the Application", () => {
    expect(findApplicationCandidates({ name: "payments-checkout-dev", paths })).toEqual(["argocd/dev/payments-checkout.yaml", "deploy/apps/payments-checkout-dev.yml", "payments-checkout-dev.yaml"]);
  });

  it("keeps environments apart and finds nothing for other names", () => {
    expect(findApplicationCandidates({ name: "payments-checkout-prod", paths })).toEqual(["argocd/prod/payments-checkout.yaml"]);
    expect(findApplicationCandidates({ name: "monitoring", paths })).toEqual([]);
    expect(findApplicationCandidates({ name: "checkout-dev", paths })).toEqual([]);
  });

  it("takes environment names with hyphens", () => {
    expect(findApplicationCandidates({ name: "payments-checkout-prod-eu", paths: ["argocd/prod-eu/payments-checkout.yaml"] })).toEqual(["argocd/prod-eu/payments-checkout.yaml"]);
  });
});
