import type { ProbotOctokit } from "probot";
import { createGitOpsOctokit, type RetrySettings } from "../../src/adapters/github/gitops-octokit.js";

type OctokitOptions = ConstructorParameters<typeof ProbotOctokit>[0] & {
  throttle?: object;
  retry?: object;
  gitopsRetry?: Partial<RetrySettings>;
};

/** Retries at once and the same way every run: no waiting, no dice. */
export const INSTANT_RETRIES: Partial<RetrySettings> = { enabled: true, sleep: async () => {}, random: () => 0 };

/**
 * The App's Octokit class with throttling off and, unless `retries` is given, retries off too, so
 * a test sees every request once, at once. It must be a defaults *function*: Probot (githubToken
 * mode) layers its own `throttle` options over ours, and a plain `defaults({ throttle: { enabled:
 * false } })` is replaced by them — the throttle's one-second spacing of writes then slows every test.
 */
export function testOctokitClass(retries: Partial<RetrySettings> = { enabled: false }): typeof ProbotOctokit {
  return createGitOpsOctokit(retries).defaults<typeof ProbotOctokit>((options: OctokitOptions) => ({
    ...options,
    throttle: { ...options?.throttle, enabled: false },
  }));
}

export const TestOctokit = testOctokitClass();

/** A token-authenticated ProbotOctokit for gateway tests (`retries`: the retry policy's settings). */
export function testOctokit(baseUrl = "https://api.github.com", retries?: Partial<RetrySettings>): ProbotOctokit {
  return new (testOctokitClass(retries))({ auth: { token: "test" }, baseUrl });
}
