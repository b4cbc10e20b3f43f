import { ProbotOctokit } from "probot";

type OctokitOptions = ConstructorParameters<typeof ProbotOctokit>[0] & { throttle?: object; retry?: object };

/**
 * The Octokit Probot gives handlers, with retries and throttling off so a test sees every request
 * once, at once. It must be a defaults *function*: Probot (githubToken mode) layers its own
 * `throttle` options over ours, and a plain `defaults({ throttle: { enabled: false } })` is
 * replaced by them — the throttle's one-second spacing of writes then slows every test.
 */
export const TestOctokit = ProbotOctokit.defaults((options: OctokitOptions) => ({
  ...options,
  retry: { ...options?.retry, enabled: false },
  throttle: { ...options?.throttle, enabled: false },
}));

/** A token-authenticated ProbotOctokit for gateway tests. */
export function testOctokit(baseUrl = "https://api.github.com"): ProbotOctokit {
  return new TestOctokit({ auth: { token: "test" }, baseUrl }) as ProbotOctokit;
}
