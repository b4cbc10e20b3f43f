import { describe, expect, it } from "vitest";
import { requiredReviewers } from "../../../src/core/merge/required-reviewers.js";
import { tinyCatalog, tinyConfig } from "../../helpers/tiny-catalog.js";

const config = tinyConfig({
  environments: { dev: { cluster: "in-cluster" }, prod: { cluster: "https://prod" } },
  approvals: {
    sizes: { medium: ["carol"] },
    environments: { prod: ["acme/sre"] },
    groups: { platform: ["acme/platform-team"] },
    platform: ["acme/platform-admins"],
  },
});
const request = (action: "provision" | "resize" | "deprovision", size: string, environment = "dev", template = "web") => ({
  action,
  template,
  size,
  values: { name: "checkout", team: "payments", environment },
  requester: "alice",
});
const application = (size: string) =>
  `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: payments-checkout-dev\n  labels:\n    gitops-bot.dev/size: ${size}\n`;

describe("requiredReviewers", () => {
  it.each([
    ["a small request in dev: nobody configured", request("provision", "small"), null, []],
    ["the size's reviewers", request("resize", "medium"), null, ["carol"]],
    ["the environment's and the size's approval group", request("provision", "large", "prod"), null, ["acme/sre", "acme/platform-team"]],
    [
      "a deprovision: the size on the base branch, not the one remembered",
      request("deprovision", "small"),
      application("large"),
      ["acme/platform-team"],
    ],
    [
      "a template that left the catalog: the platform reviewers",
      request("provision", "small", "dev", "gone"),
      null,
      ["acme/platform-admins"],
    ],
  ])("%s", (_, asked, app, expected) => {
    expect(requiredReviewers({ config, catalog: tinyCatalog(), request: asked, application: app })).toEqual(expected);
  });
});
