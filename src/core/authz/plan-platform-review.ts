import type { BotConfig } from "../config/bot-config.schema.js";
import { BOT_CONFIG_FILE } from "../config/parse-bot-config.js";

/** Files of a change that steer the bot itself, by kind. */
export interface PlatformFiles {
  templates: string[];
  policies: string[];
  config: string[];
  /** Files outside the policy folder that hold a Kyverno PolicyException: they weaken policies as surely. */
  exceptions?: string[];
}

/** The review the platform team owes a change to templates, policies or the bot's configuration. */
export interface PlatformReview {
  files: PlatformFiles;
  /** True when the change touches any platform file. */
  needed: boolean;
  /** Configured platform reviewers (`approvals.platform`). */
  reviewers: string[];
  /** Those still to ask: not requested yet, not the author, and (users) not having reviewed already. */
  toRequest: string[];
}

/** Sorts a change's paths into templates (`gitops.catalogPath`), policies (`gitops.policiesPath`) and the bot's config. */
export function findPlatformFiles(params: {
  paths: readonly string[];
  config: BotConfig;
  exceptionFiles?: readonly string[];
}): PlatformFiles {
  const catalog = `${params.config.gitops.catalogPath}/`;
  const policies = `${params.config.gitops.policiesPath}/`;
  const exceptions = [...new Set(params.exceptionFiles ?? [])].filter((path) => !path.startsWith(policies)).sort();
  const files: PlatformFiles = { templates: [], policies: [], config: [], ...(exceptions.length > 0 ? { exceptions } : {}) };
  for (const path of [...new Set(params.paths)].sort()) {
    if (path === BOT_CONFIG_FILE) files.config.push(path);
    else if (path.startsWith(policies)) files.policies.push(path);
    else if (path.startsWith(catalog)) files.templates.push(path);
  }
  return files;
}

/**
 * Decides whom to ask for the platform review of a pull request that changes templates, policies,
 * PolicyExceptions or the bot's configuration (DESIGN.md: such changes need the platform team's approval). Only
 * missing reviewers are asked: asking again someone already requested, or a user who has reviewed,
 * would notify them for nothing; GitHub refuses a review request to the author.
 */
export function planPlatformReview(params: {
  paths: readonly string[];
  config: BotConfig;
  /** Owner of the GitOps repository: only its teams can review. */
  owner: string;
  author: string;
  requestedReviewers: readonly string[];
  /** Team slugs already requested. */
  requestedTeams: readonly string[];
  /** Logins who have submitted a review. */
  reviewed: readonly string[];
  /** Changed files holding a PolicyException that needs review (wherever they are). */
  exceptionFiles?: readonly string[];
}): PlatformReview {
  const files = findPlatformFiles({
    paths: params.paths,
    config: params.config,
    ...(params.exceptionFiles ? { exceptionFiles: params.exceptionFiles } : {}),
  });
  const needed = files.templates.length + files.policies.length + files.config.length + (files.exceptions?.length ?? 0) > 0;
  const reviewers = [...params.config.approvals.platform];
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const toRequest = needed
    ? reviewers.filter((reviewer) => {
        const [org, slug] = reviewer.split("/");
        if (slug !== undefined) return !(org !== undefined && same(org, params.owner) && params.requestedTeams.some((t) => same(t, slug)));
        return (
          !same(reviewer, params.author) &&
          !params.requestedReviewers.some((r) => same(r, reviewer)) &&
          !params.reviewed.some((r) => same(r, reviewer))
        );
      })
    : [];
  return { files, needed, reviewers, toRequest };
}
