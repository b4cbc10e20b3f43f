import { describe, expect, it } from "vitest";
import { decideAccess, isPermissionEnough, needsTeamCheck } from "../../../src/core/authz/decide.js";
import type { Permission } from "../../../src/core/config/bot-config.schema.js";

const access = { minPermission: "write" as Permission, teams: ["acme/developers", "acme/sre"] };

describe("decideAccess", () => {
  it.each([
    ["admin", "allow"],
    ["maintain", "allow"],
    ["write", "allow"],
    ["triage", "deny"],
    ["read", "deny"],
    [null, "deny"],
  ] as const)("permission %s with minPermission write: %s", (permission, kind) => {
    expect(decideAccess({ facts: { login: "dev", accountType: "User", permission }, access }).kind).toBe(kind);
  });

  it("allows a member of a configured team without repository permission", () => {
    expect(decideAccess({ facts: { login: "dev", accountType: "User", permission: "read", memberOf: ["acme/sre"] }, access })).toEqual({
      kind: "allow",
      reason: "@dev is a member of `acme/sre`.",
    });
  });

  it("ignores bots, whatever their permission", () => {
    expect(decideAccess({ facts: { login: "gitops-bot[bot]", accountType: "Bot", permission: "admin" }, access }).kind).toBe("ignore");
  });

  it("says why and what would allow it", () => {
    expect(decideAccess({ facts: { login: "guest", accountType: "User", permission: "read", memberOf: [] }, access })).toEqual({
      kind: "deny",
      reason:
        "@guest may not make infrastructure requests here: they have only read permission on this repository and are not a member of the requesting teams.",
      howToAllow:
        "Requests need write permission (or higher) on this repository, or membership of `acme/developers` or `acme/sre` (`access` in .github/gitops-bot.yml). Ask a maintainer to grant it, or to run the command for you.",
    });
  });

  it("does not mention teams when none are configured", () => {
    const decision = decideAccess({
      facts: { login: "guest", accountType: "User", permission: null },
      access: { minPermission: "maintain", teams: [] },
    });
    expect(decision).toMatchObject({
      kind: "deny",
      reason: "@guest may not make infrastructure requests here: they have no permission on this repository.",
    });
  });

  it("looks up teams only when the permission is not enough and teams are configured", () => {
    expect(needsTeamCheck({ accountType: "User", permission: "write" }, access)).toBe(false);
    expect(needsTeamCheck({ accountType: "User", permission: "read" }, access)).toBe(true);
    expect(needsTeamCheck({ accountType: "User", permission: "read" }, { ...access, teams: [] })).toBe(false);
    expect(needsTeamCheck({ accountType: "Bot", permission: null }, access)).toBe(false);
    expect(isPermissionEnough("admin", "read")).toBe(true);
  });
});
