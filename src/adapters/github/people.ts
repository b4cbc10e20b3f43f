import { PERMISSIONS, type Permission } from "../../core/config/bot-config.schema.js";
import { nullIfNotFound } from "./errors.js";
import type { GitHubRepository } from "./github-repository.js";

/** Who someone is to a repository: their permission on it, and their teams in an organisation. */
export class People {
  readonly #github: GitHubRepository;

  constructor(github: GitHubRepository) {
    this.#github = github;
  }

  /** The user's permission on this repository, or null when they have none. */
  async getPermission(username: string): Promise<Permission | null> {
    const found = await nullIfNotFound(this.#github.octokit.rest.repos.getCollaboratorPermissionLevel({ ...this.#github.at, username }));
    if (!found) return null;
    // role_name is the finer one (triage, maintain); custom roles fall back to the base permission.
    const role = found.data.role_name;
    if ((PERMISSIONS as readonly string[]).includes(role)) return role as Permission;
    const base = found.data.permission;
    return (PERMISSIONS as readonly string[]).includes(base) ? (base as Permission) : null;
  }

  /** True when the user is an active member of `org/team` (pending invitations do not count). */
  async isTeamMember(team: string, username: string): Promise<boolean> {
    const [org, slug] = team.split("/");
    if (!org || !slug) return false;
    const found = await nullIfNotFound(this.#github.octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug: slug, username }));
    return found?.data.state === "active";
  }
}
