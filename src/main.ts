import { run } from "probot";
import { GitOpsOctokit } from "./adapters/github/gitops-octokit.js";
import app from "./app.js";

/**
 * `npm start`: Probot's server (the same environment variables as `probot run`) with the App's
 * Octokit, whose retry policy `probot run` has no way to take.
 */
await run(app, { Octokit: GitOpsOctokit });
