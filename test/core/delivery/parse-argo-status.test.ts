import { describe, expect, it } from "vitest";
import { parseArgoStatus, type ArgoStatusInput } from "../../../src/core/delivery/parse-argo-status.js";

const SHA = "a11ce00000000000000000000000000000000001";
const status = (patch: Partial<Extract<ArgoStatusInput, { source: "status" }>> = {}): ArgoStatusInput => ({
  source: "status",
  context: "continuous-delivery/payments-checkout-dev",
  state: "success",
  sha: SHA,
  description: "Application payments-checkout-dev is now running new version of deployments manifests.",
  targetUrl: "https://argocd.acme.example/applications/payments-checkout-dev?operation=true",
  commitDate: "2026-01-01T00:00:00Z",
  ...patch,
});

describe("parseArgoStatus", () => {
  it("reads Argo CD's commit status", () => {
    expect(parseArgoStatus(status())).toEqual({
      status: {
        application: "payments-checkout-dev",
        state: "success",
        commit: SHA,
        observedAt: "2026-01-01T00:00:00Z",
        description: "Application payments-checkout-dev is now running new version of deployments manifests.",
        targetUrl: "https://argocd.acme.example/applications/payments-checkout-dev?operation=true",
        commitMessage: null,
      },
    });
  });

  it.each([
    ["another context", status({ context: "ci/build" })],
    ["the prefix alone", status({ context: "continuous-delivery/" })],
    ["a name that is no Kubernetes name", status({ context: "continuous-delivery/Payments_Checkout" })],
    ["a path in the name", status({ context: "continuous-delivery/../../etc" })],
    ["a state Argo CD does not set", status({ state: "queued" })],
    ["a short SHA", status({ sha: "a11ce00" })],
  ])("ignores %s", (_, input) => {
    expect(parseArgoStatus(input)).toHaveProperty("ignored");
  });

  it.each([
    ["javascript:alert(1)"],
    ["https://argocd.example/app) [click](https://evil.example"],
    ["https://argocd.example/<script>"],
    ["ftp://argocd.example/app"],
    [""],
  ])("drops a link that is not a plain http(s) URL: %j", (url) => {
    const parsed = parseArgoStatus(status({ targetUrl: url }));
    expect("status" in parsed && parsed.status.targetUrl).toBeNull();
  });

  it("flattens and caps the description, and drops a date it cannot read", () => {
    const parsed = parseArgoStatus(status({ description: `line one\nline two ${"x".repeat(400)}`, commitDate: "yesterday" }));
    if (!("status" in parsed)) throw new Error("expected a status");
    expect(parsed.status.description).toMatch(/^line one line two x+…$/);
    expect(parsed.status.description).toHaveLength(300);
    expect(parsed.status.observedAt).toBeNull();
  });

  it.each([
    ["in_progress", "pending"],
    ["queued", "pending"],
    ["pending", "pending"],
    ["success", "success"],
    ["failure", "failure"],
    ["error", "error"],
  ])("reads a deployment status %s as %s", (state, expected) => {
    const parsed = parseArgoStatus({
      source: "deployment",
      environment: "payments-checkout-dev",
      state,
      sha: SHA,
      description: "",
      targetUrl: "",
      createdAt: "2026-01-01T00:00:00Z",
    });
    expect(parsed).toMatchObject({ status: { application: "payments-checkout-dev", state: expected, description: null, targetUrl: null } });
  });

  it("ignores an inactive deployment status (GitHub retiring an older Deployment)", () => {
    expect(
      parseArgoStatus({
        source: "deployment",
        environment: "payments-checkout-dev",
        state: "inactive",
        sha: SHA,
        description: null,
        targetUrl: null,
        createdAt: null,
      }),
    ).toHaveProperty("ignored");
  });
});
