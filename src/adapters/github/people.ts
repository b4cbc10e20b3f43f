import { PERMISSIONS, type Permission } from "../../core/config/bot-config.schema.js";
import { isGraphqlErrors, isGraphqlNotFound, nullIfNotFound } from "./errors.js";
import { recordFault } from "./gitops-octokit.js";
import type { GitHubRepository } from "./github-repository.js";

/**
 * The teams a user belongs to in an organisation, 100 a page, each with the teams above it. GitHub's
 * REST API lists no user's teams to an App (only a membership per team), so a check that touches 25
 * teams' folders would ask 25 times; this asks once. Nested teams: REST counts a member of a child
 * team as a member of its parents, and so does this, through `ancestors`. Pending invitations are
 * no membership: the filter lists members' teams.
 */
const TEAMS_OF_USER = `query TeamsOfUser($org: String!, $login: String!, $after: String) {
  organization(login: $org) {
    teams(first: 100, after: $after, userLogins: [$login]) {
      nodes {
        slug
        ancestors(first: 100) {
          nodes { slug }
          pageInfo { hasNextPage }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

interface TeamNode {
  slug: string;
  ancestors: { nodes: ({ slug: string } | null)[] | null; pageInfo: { hasNextPage: boolean } };
}
interface TeamPage {
  nodes: (TeamNode | null)[] | null;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
interface TeamsOfUserReply {
  organization: { teams: TeamPage } | null;
}

/** Who someone is to a repository: their permission on it, and their teams in an organisation. */
export class People {
  readonly #github: GitHubRepository;
  /** Teams per `org\nlogin`, for this gateway's event: one request answers every team it asks about. */
  readonly #teams = new Map<string, Promise<ReadonlySet<string>>>();

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

  /**
   * True when the user is an active member of `org/team` (pending invitations do not count): one
   * REST request, not throttled. For many teams of one person, `teamsOf` asks once.
   */
  async isTeamMember(team: string, username: string): Promise<boolean> {
    const [org, slug] = team.split("/");
    if (!org || !slug) return false;
    const found = await nullIfNotFound(this.#github.octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug: slug, username }));
    return found?.data.state === "active";
  }

  /**
   * The slugs (lower case) of the user's teams in `org` and of the teams above them, in one GraphQL
   * query per event (paged by 100). Octokit's throttling spaces GraphQL requests like writes (one a
   * second per installation), so callers use it where it replaces several REST requests. An
   * organisation GitHub cannot resolve has no teams for anyone, as REST's 404 said; any other error
   * (a missing `members: read`, a rate limit) is thrown, never read as "no teams".
   */
  teamsOf(org: string, login: string): Promise<ReadonlySet<string>> {
    const key = `${org}\n${login}`.toLowerCase();
    let found = this.#teams.get(key);
    if (!found) {
      found = this.#askTeams(org, login);
      this.#teams.set(key, found);
      found.catch(() => this.#teams.delete(key));
    }
    return found;
  }

  async #askTeams(org: string, login: string): Promise<ReadonlySet<string>> {
    const slugs = new Set<string>();
    let after: string | null = null;
    for (;;) {
      const reply: TeamsOfUserReply | null = await this.#github.octokit
        .graphql<TeamsOfUserReply>(TEAMS_OF_USER, { org, login, after })
        .catch((error: unknown) => {
          if (isGraphqlNotFound(error, "organization")) return null;
          throw isGraphqlErrors(error)
            ? recordFault(error, { route: "POST /graphql (TeamsOfUser)", kind: "refused", status: null, attempts: 1 })
            : error;
        });
      const teams: TeamPage | undefined = reply?.organization?.teams;
      if (!teams) return slugs;
      for (const team of teams.nodes ?? []) {
        if (!team) continue;
        if (team.ancestors.pageInfo.hasNextPage)
          throw new Error(`the team ${org}/${team.slug} has more than 100 teams above it; the App reads 100`);
        for (const slug of [team.slug, ...(team.ancestors.nodes ?? []).map((a) => a?.slug)]) if (slug) slugs.add(slug.toLowerCase());
      }
      if (!teams.pageInfo.hasNextPage || !teams.pageInfo.endCursor) return slugs;
      after = teams.pageInfo.endCursor;
    }
  }
}
