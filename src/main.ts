import { run } from "probot";
import { GitOpsOctokit } from "./adapters/github/gitops-octokit.js";
import app from "./app.js";
import { checkStartupEnvironment } from "./core/config/check-startup-environment.js";

/**
 * `npm start`: Probot's server (the same environment variables as `probot run`) with the App's
 * Octokit, whose retry policy `probot run` has no way to take.
 */
const refusal = checkStartupEnvironment(process.env);
if (refusal) {
  process.stderr.write(`${refusal}\n`);
  process.exit(1);
}
await run(app, { Octokit: GitOpsOctokit });
