import type { BotConfig } from "../config/bot-config.schema.js";
import { branchName } from "../plan/branch-name.js";
import type { RecordedRequest } from "../request/recorded-request.js";

/** The folder under the branch prefix that holds upgrade branches, next to the requests' own. */
export const UPGRADE_FOLDER = "upgrade";

/**
 * The one branch an instance's upgrades go to: `<prefix>/upgrade/<template>/<team>-<name>-<environment>`.
 * Deterministic, so a redelivered push or a later template change updates the same pull request,
 * and apart from the request's own branch, so an open request pull request is never rewritten.
 */
export function upgradeBranch(params: { config: BotConfig; request: RecordedRequest }): string {
  const { values } = params.request;
  return branchName({
    prefix: `${params.config.gitops.branchPrefix}/${UPGRADE_FOLDER}`,
    template: params.request.template,
    team: values.team ?? "",
    name: values.name ?? "",
    environment: values.environment ?? "",
  });
}

/** True for a branch name an upgrade pull request uses under this configuration. */
export function isUpgradeBranch(config: BotConfig, branch: string): boolean {
  return branch.startsWith(`${config.gitops.branchPrefix.replace(/\/+$/, "")}/${UPGRADE_FOLDER}/`);
}

/**
 * Which upgrades get a pull request now, under `rollout.maxOpenPullRequests` (Renovate's
 * concurrent limit): an upgrade whose pull request is already open is updated and costs no new
 * slot; new pull requests are opened in the given order while fewer than the limit are open; the
 * rest wait, to follow as open ones merge or close.
 */
export function assignPullRequests<T extends { branch: string }>(params: {
  upgrades: readonly T[];
  openBranches: ReadonlySet<string>;
  limit: number;
}): { publish: T[]; pending: T[] } {
  let open = params.openBranches.size;
  const publish: T[] = [];
  const pending: T[] = [];
  for (const upgrade of params.upgrades) {
    if (params.openBranches.has(upgrade.branch)) publish.push(upgrade);
    else if (open < params.limit) {
      publish.push(upgrade);
      open += 1;
    } else pending.push(upgrade);
  }
  return { publish, pending };
}
