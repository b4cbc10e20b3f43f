import { describe, expect, it } from "vitest";
import { BotConfigSchema } from "../../../src/core/config/bot-config.schema.js";
import { findApplicationPath } from "../../../src/core/delivery/find-application-path.js";
import { resolveRequestPaths } from "../../../src/core/render/render-request.js";

describe("findApplicationPath", () => {
  it.each([
    ["payments-checkout-dev", "argocd/dev/payments-checkout.yaml"],
    ["payments-checkout-prod", "argocd/prod/payments-checkout.yaml"],
    ["web-platform-api-staging", "argocd/staging/web-platform-api.yaml"],
    ["a.b-dev", "argocd/dev/a.b.yaml"],
  ])("reads the Application %s from %s, the default layout", (name, path) => {
    expect(findApplicationPath(name)).toBe(path);
  });

  it.each([["monitoring"], ["-dev"], ["dev-"], ["Payments-Dev"], ["a/b-dev"], ["../x-dev"], [""], ["a".repeat(254) + "-dev"]])(
    "gives %j no path: a status naming it costs no request",
    (name) => {
      expect(findApplicationPath(name)).toBeNull();
    },
  );

  it("is the path the default gitops.applicationPath gives the Application it names", () => {
    const config = BotConfigSchema.parse({});
    for (const values of [
      { team: "payments", name: "checkout", environment: "dev" },
      { team: "web-platform", name: "edge-proxy", environment: "prod" },
    ]) {
      const application = `${values.team}-${values.name}-${values.environment}`;
      expect(findApplicationPath(application)).toBe(resolveRequestPaths({ config, template: "web-service", values }).application);
    }
  });

  it("does not follow an environment name with a `-` (the merge says so and closes the issue)", () => {
    expect(findApplicationPath("payments-checkout-prod-eu")).toBe("argocd/eu/payments-checkout-prod.yaml");
  });
});
