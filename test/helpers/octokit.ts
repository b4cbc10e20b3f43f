import { ProbotOctokit } from "probot";

/** The Octokit Probot gives handlers, with retries and throttling off so a test sees every request once. */
export const TestOctokit = ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } });

/** A token-authenticated ProbotOctokit for gateway tests. */
export function testOctokit(baseUrl = "https://api.github.com"): ProbotOctokit {
  return new TestOctokit({ auth: { token: "test" }, baseUrl }) as ProbotOctokit;
}
