import { randomUUID } from "node:crypto";
import type { ApplicationFunction } from "probot";
import { checkStartupEnvironment } from "./core/config/check-startup-environment.js";
import { createAppDeps, registerHandlers } from "./handlers/register-handlers.js";
import { createAppRuntime, type AppRuntime } from "./runtime/app-runtime.js";
import { createHttpEndpoints } from "./runtime/http-endpoints.js";

/**
 * The App with its runtime: handlers, metrics, delivery claims shared through REDIS_URL, and
 * /healthz, /readyz and /metrics beside Probot's webhook route. `onRuntime` hands the runtime to
 * the entry point (to start readiness checks and close Redis) or to a test.
 */
export function createApp(options: { env?: NodeJS.ProcessEnv; onRuntime?: (runtime: AppRuntime) => void } = {}): ApplicationFunction {
  return (probot, { addHandler }) => {
    const env = options.env ?? process.env;
    // Also here, not only in main.ts: `probot run dist/app.js` loads the App without main.ts.
    const refusal = checkStartupEnvironment(env);
    if (refusal) throw new Error(refusal);
    const runtime = createAppRuntime({ probot, redisUrl: env["REDIS_URL"] || undefined, replica: env["HOSTNAME"] || randomUUID() });
    options.onRuntime?.(runtime);
    registerHandlers(probot, createAppDeps(probot.log, runtime));
    addHandler(createHttpEndpoints({ readiness: () => runtime.readiness.report(), scrape: () => runtime.telemetry.scrape() }));
  };
}

/**
 * The GitHub App: requests from issue forms and slash commands become pull requests in the
 * GitOps repository. `npm start` runs it through src/main.ts; `probot run ./dist/app.js` works too.
 */
const app: ApplicationFunction = createApp();

export default app;
