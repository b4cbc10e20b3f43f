import type { ProvisionRequest } from "../../src/core/request/request.js";

/**
 * A provision request as the tests ask for one: `web-service`, small, payments/checkout in dev,
 * asked by alice. `patch` replaces fields; its `values` are merged over the default values.
 */
export function aProvisionRequest(patch: Partial<ProvisionRequest> = {}): ProvisionRequest {
  return {
    action: "provision",
    template: "web-service",
    size: "small",
    requester: "alice",
    ...patch,
    values: { name: "checkout", team: "payments", environment: "dev", image: "ghcr.io/acme/checkout:1.4.2", ...patch.values },
  };
}
