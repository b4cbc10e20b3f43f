import { PERMISSIONS, type BotConfig, type Permission } from "../config/bot-config.schema.js";

/** What the shell found out about the person behind an event. */
export interface AccessFacts {
  login: string;
  /** The account type from the webhook: `User`, `Bot`, `Organization`. */
  accountType: string;
  /** Permission on the request repository; null when they have none. */
  permission: Permission | null;
  /**
   * Configured teams the person is an active member of. Undefined when memberships were not
   * looked up (the permission already sufficed, or no teams are configured).
   */
  memberOf?: readonly string[];
}

export type AccessDecision =
  /** Bots (this App included) are never answered: no loops, no noise. */
  { kind: "ignore"; reason: string } | { kind: "allow"; reason: string } | { kind: "deny"; reason: string; howToAllow: string };

/** True when `permission` is at least `minimum` (read < triage < write < maintain < admin). */
export function isPermissionEnough(permission: Permission | null, minimum: Permission): boolean {
  return permission !== null && PERMISSIONS.indexOf(permission) >= PERMISSIONS.indexOf(minimum);
}

/** True when team memberships could still allow someone whose permission is not enough. */
export function needsTeamCheck(
  facts: Pick<AccessFacts, "accountType" | "permission">,
  access: Pick<BotConfig["access"], "minPermission" | "teams">,
): boolean {
  return facts.accountType !== "Bot" && !isPermissionEnough(facts.permission, access.minPermission) && access.teams.length > 0;
}

function list(items: readonly string[]): string {
  return items.map((i) => `\`${i}\``).join(" or ");
}

/**
 * Decides whether someone may make a request: at least `access.minPermission` on the request
 * repository, or active membership of one of `access.teams`. Sizes that need approval are not
 * refused here: the pull request asks the approvers (see resolveReviewers).
 */
export function decideAccess(params: { facts: AccessFacts; access: Pick<BotConfig["access"], "minPermission" | "teams"> }): AccessDecision {
  const { facts, access } = params;
  if (facts.accountType === "Bot") return { kind: "ignore", reason: `@${facts.login} is a bot.` };
  if (isPermissionEnough(facts.permission, access.minPermission)) {
    return { kind: "allow", reason: `@${facts.login} has ${facts.permission} permission on this repository.` };
  }
  const team = (facts.memberOf ?? []).find((t) => access.teams.includes(t));
  if (team) return { kind: "allow", reason: `@${facts.login} is a member of \`${team}\`.` };
  const has = facts.permission === null ? "no permission on this repository" : `only ${facts.permission} permission on this repository`;
  const ways = [`${access.minPermission} permission (or higher) on this repository`];
  if (access.teams.length > 0) ways.push(`membership of ${list(access.teams)}`);
  return {
    kind: "deny",
    reason: `@${facts.login} may not make infrastructure requests here: they have ${has}${access.teams.length > 0 ? " and are not a member of the requesting teams" : ""}.`,
    howToAllow: `Requests need ${ways.join(", or ")} (\`access\` in .github/gitops-bot.yml). Ask a maintainer to grant it, or to run the command for you.`,
  };
}
