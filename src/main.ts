import { run } from "probot";
import { GitOpsOctokit } from "./adapters/github/gitops-octokit.js";
import { createApp } from "./app.js";
import { checkStartupEnvironment } from "./core/config/check-startup-environment.js";
import type { AppRuntime } from "./runtime/app-runtime.js";
import { createLogger } from "./runtime/create-logger.js";

/**
 * The production entry (`npm start`, the container's command): Probot's server (the same
 * environment variables as `probot run`) with the App's Octokit, whose retry policy `probot run`
 * has no way to take, a logger that redacts credentials, readiness checks from the start, and a
 * graceful stop on SIGTERM. Without APP_ID and PRIVATE_KEY, Probot serves its setup page.
 */
const refusal = checkStartupEnvironment(process.env);
if (refusal) {
  process.stderr.write(`${refusal}\n`);
  process.exit(1);
}
const runtimes: AppRuntime[] = [];
const log = await createLogger({ env: process.env });
const server = await run(createApp({ onRuntime: (runtime) => runtimes.push(runtime) }), { Octokit: GitOpsOctokit, log });
for (const runtime of runtimes) runtime.readiness.start();

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info(`${signal}: stopping`);
  // Probot's server waits for open requests, so a delivery being handled finishes first.
  await server.stop().catch(() => undefined);
  await Promise.all(runtimes.map((r) => r.close()));
  process.exit(0);
}
// Probot stops on SIGINT itself; Kubernetes sends SIGTERM.
process.on("SIGTERM", () => void stop("SIGTERM"));
