import { describe, expect, it } from "vitest";
import { authorTeamCandidates } from "../../../src/core/authz/author-team-candidates.js";
import { findPlatformFiles, planPlatformReview } from "../../../src/core/authz/plan-platform-review.js";
import { BotConfigSchema } from "../../../src/core/config/bot-config.schema.js";
import { PlatformConfigSchema } from "../../../src/core/policy/platform/platform-config.schema.js";

const config = BotConfigSchema.parse({ approvals: { platform: ["acme/platform", "carol", "Dave"] } });

function plan(overrides: Partial<Parameters<typeof planPlatformReview>[0]> = {}) {
  return planPlatformReview({
    paths: ["platform/policies/x.yaml"],
    config,
    owner: "acme",
    author: "alice",
    requestedReviewers: [],
    requestedTeams: [],
    reviewed: [],
    ...overrides,
  });
}

describe("findPlatformFiles", () => {
  it("sorts templates, policies and the bot configuration from other paths", () => {
    const paths = [
      "apps/shop/web.yaml",
      ".github/gitops-bot.yml",
      "platform/templates/web/template.yaml",
      "platform/policies/a.yaml",
      "platform/policies-old/b.yaml",
      ".github/workflows/ci.yml",
    ];
    expect(findPlatformFiles({ paths, config })).toEqual({
      templates: ["platform/templates/web/template.yaml"],
      policies: ["platform/policies/a.yaml"],
      config: [".github/gitops-bot.yml"],
    });
  });

  it("follows the configured folders, trailing slashes and all", () => {
    const custom = BotConfigSchema.parse({ gitops: { policiesPath: "guardrails/", catalogPath: "./catalog" } });
    expect(findPlatformFiles({ paths: ["guardrails/p.yaml", "catalog/t/template.yaml"], config: custom })).toEqual({
      templates: ["catalog/t/template.yaml"],
      policies: ["guardrails/p.yaml"],
      config: [],
    });
  });
});

describe("planPlatformReview", () => {
  it("asks nobody when no platform file changes", () => {
    expect(plan({ paths: ["apps/shop/web.yaml"] })).toMatchObject({ needed: false, toRequest: [] });
  });

  it("asks every configured reviewer of a new platform change", () => {
    expect(plan()).toMatchObject({ needed: true, toRequest: ["acme/platform", "carol", "Dave"] });
  });

  it.each([
    ["already requested (any letter case)", { requestedReviewers: ["dave"], requestedTeams: ["Platform"] }, ["carol"]],
    ["having reviewed", { reviewed: ["carol", "dave"] }, ["acme/platform"]],
    ["the author", { author: "CAROL" }, ["acme/platform", "Dave"]],
  ])("leaves out reviewers %s", (_, overrides, expected) => {
    expect(plan(overrides).toRequest).toEqual(expected);
  });

  it("keeps a team of another organisation, so the gateway can say why GitHub cannot ask it", () => {
    const other = BotConfigSchema.parse({ approvals: { platform: ["elsewhere/platform"] } });
    expect(plan({ config: other, requestedTeams: ["platform"] }).toRequest).toEqual(["elsewhere/platform"]);
  });
});

describe("authorTeamCandidates", () => {
  const header = { apiVersion: "gitops-bot.dev/v1alpha1", kind: "PlatformConfig" };
  const platform = PlatformConfigSchema.parse({
    ...header,
    ownership: { adminTeams: ["platform"] },
    teams: { data: { paths: ["shared/data/**"] } },
  });

  it("asks the admin teams first, then the owners of the changed files", () => {
    expect(
      authorTeamCandidates({ platform, changedFiles: ["apps/shop/web.yaml", "apps/billing/x.yaml", "shared/data/db.yaml", "README.md"] }),
    ).toEqual({ admin: ["platform"], owners: ["billing", "data", "shop"] });
  });

  it("asks nobody without an ownership section or a platform configuration", () => {
    expect(authorTeamCandidates({ platform: PlatformConfigSchema.parse(header), changedFiles: ["apps/shop/web.yaml"] })).toBeNull();
    expect(authorTeamCandidates({ platform: undefined, changedFiles: ["apps/shop/web.yaml"] })).toBeNull();
  });
});
