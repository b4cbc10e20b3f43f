import { createPlatformContext } from "../policy/platform/platform-context.js";
import type { PlatformConfig } from "../policy/platform/platform-config.schema.js";

/** The teams whose membership decides namespace ownership for a change, in the order to ask. */
export interface AuthorTeamCandidates {
  /** `ownership.adminTeams`: membership of one settles everything, so they are asked first. */
  admin: string[];
  /** Teams owning the changed paths (the `{team}` of `ownership.paths`, and `teams.<slug>.paths`). */
  owners: string[];
}

/**
 * Which GitHub teams to look the author up in. GitHub cannot list a user's teams to an App, so
 * membership is asked team by team: only the teams that can make a difference, that is the admin
 * teams and the owners of the changed files. Namespaces are not read for this (that would mean
 * parsing the change twice), so an author who owns a namespace only through a team that owns none
 * of the changed files is not recognised as its owner.
 */
export function authorTeamCandidates(params: {
  platform: PlatformConfig | undefined;
  changedFiles: readonly string[];
}): AuthorTeamCandidates | null {
  const ownership = params.platform?.ownership;
  if (!params.platform || !ownership) return null;
  const context = createPlatformContext({ config: params.platform, manifests: [], isJudged: () => false });
  const owners = new Set<string>();
  for (const file of params.changedFiles) for (const team of context.teamsOwningPath(file)) owners.add(team);
  const admin = [...new Set(ownership.adminTeams)];
  return { admin, owners: [...owners].filter((team) => !admin.includes(team)).sort() };
}
