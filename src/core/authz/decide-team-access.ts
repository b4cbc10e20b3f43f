import type { BotConfig } from "../config/bot-config.schema.js";
import { own } from "../own.js";
import { problem, type Problem } from "../problems.js";
import { codeSpan, mention } from "../report/markdown.js";

/** What the shell found out about the requester and the request's team, asked only as far as needed. */
export interface TeamFacts {
  login: string;
  /** A platform admin (`access.admins`, by login or team membership). */
  isAdmin: boolean;
  /** The GitHub team of `teams.<team>` the requester is an active member of; null when none. */
  memberVia: string | null;
}

export type TeamDecision =
  | { kind: "allow"; reason: string }
  | { kind: "deny"; reason: string; howToAllow: string }
  /** The request names no team, or one the configuration does not know: a problem with the request. */
  | { kind: "unknown-team"; problem: Problem };

/** The admins given as logins, who are known without asking GitHub. */
export function isAdminLogin(login: string, config: Pick<BotConfig, "access">): boolean {
  return config.access.admins.some((admin) => !admin.includes("/") && admin.toLowerCase() === login.toLowerCase());
}

/**
 * The team a request names, when the configuration knows it; otherwise the problem to answer
 * with. Checked before anyone is asked about, so an unknown team costs no GitHub request.
 */
export function checkRequestTeam(params: { team: string | undefined; config: Pick<BotConfig, "teams"> }): Problem | null {
  const known = Object.keys(params.config.teams).sort();
  const choose =
    known.length > 0
      ? `Choose one of: ${known.join(", ")}.`
      : "No teams are configured: add the team under `teams` in .github/gitops-bot.yml, with the GitHub teams whose members act for it.";
  if (params.team === undefined || params.team === "")
    return problem("request.missing-value", "`team` (the owning team) is required.", { path: "team", hint: `Add team=<team>. ${choose}` });
  if (own(params.config.teams, params.team) === undefined) {
    return problem("request.unknown-team", `There is no team ${codeSpan(params.team, 40)} in this repository's configuration.`, {
      path: "team",
      hint: choose,
    });
  }
  return null;
}

/**
 * Decides whether someone may act for a request's team (DESIGN.md: requests act only for their
 * own team): a member of one of the GitHub teams `teams.<team>` maps it to, or a platform admin.
 * Applies to every request that names a team (provision, resize, deprovision, preview), after
 * `decideAccess` let the person make requests at all.
 */
export function decideTeamAccess(params: { facts: TeamFacts; team: string; config: Pick<BotConfig, "teams" | "access"> }): TeamDecision {
  const { facts, team, config } = params;
  const unknown = checkRequestTeam({ team, config });
  if (unknown) return { kind: "unknown-team", problem: unknown };
  const who = mention(facts.login);
  if (facts.memberVia !== null)
    return { kind: "allow", reason: `${who} is a member of ${mention(facts.memberVia)}, which acts for team ${codeSpan(team, 40)}.` };
  if (facts.isAdmin) return { kind: "allow", reason: `${who} is a platform admin.` };
  const githubTeams = (own(config.teams, team) ?? []).map(mention).join(" or ");
  return {
    kind: "deny",
    reason: `${who} may not make requests for team ${codeSpan(team, 40)}: they are not a member of ${githubTeams}, and not a platform admin.`,
    howToAllow: `Ask a maintainer of ${githubTeams} to add you, or ask a member of that team or a platform admin (\`access.admins\`) to run the command. Teams map to GitHub teams under \`teams\` in .github/gitops-bot.yml.`,
  };
}
