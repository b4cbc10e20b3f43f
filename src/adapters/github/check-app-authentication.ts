import type { ProbotOctokit } from "probot";

/**
 * Proves the App can authenticate to GitHub: `GET /app` with the App's JSON Web Token (signed
 * with its private key). It costs no installation's rate limit. Throws what GitHub answered.
 */
export async function checkAppAuthentication(octokit: ProbotOctokit): Promise<{ slug: string }> {
  const { data } = await octokit.request("GET /app");
  return { slug: data?.slug ?? "" };
}
