import type { ProvisionRequest, RequestAction } from "../../src/core/request/request.js";

/**
 * A provision request as the tests ask for one: `web-service`, small, payments/checkout in dev,
 * asked by alice. `patch` replaces fields; its `values` are merged over the default values.
 */
export function aProvisionRequest<A extends RequestAction = "provision">(
  patch: Partial<Omit<ProvisionRequest, "action">> & { action?: A } = {},
): ProvisionRequest & { action: A } {
  const { action = "provision" as A, values, ...rest } = patch;
  return {
    action,
    template: "web-service",
    size: "small",
    values: { name: "checkout", team: "payments", environment: "dev", image: "ghcr.io/acme/checkout:1.4.2", ...values },
    requester: "alice",
    ...rest,
  };
}
