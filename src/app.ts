import { randomUUID } from "node:crypto";
import type { ApplicationFunction } from "probot";
import { checkStartupEnvironment } from "./core/config/check-startup-environment.js";
import { parseManifestCacheSize } from "./core/config/parse-manifest-cache-size.js";
import { parseRedeliveryInterval } from "./core/config/parse-redelivery-interval.js";
import { createAppDeps, registerHandlers } from "./handlers/register-handlers.js";
import { startRedelivery } from "./handlers/start-redelivery.js";
import { createAppRuntime, type AppRuntime } from "./runtime/app-runtime.js";
import { createHttpEndpoints } from "./runtime/http-endpoints.js";

/**
 * The App with its runtime: handlers, metrics, delivery claims shared through REDIS_URL,
 * redelivery of failed deliveries every REDELIVERY_INTERVAL seconds (default 300, 0 off), and
 * /healthz, /readyz and /metrics beside Probot's webhook route. MANIFEST_CACHE_MB (default 128, 0 off)
 * bounds the parsed manifests kept across policy checks. `onRuntime` hands the runtime to
 * the entry point (to start readiness checks and close Redis) or to a test; `redisCommandTimeoutMs`
 * is for tests on a loaded machine (the App keeps its 2 s).
 */
export function createApp(
  options: { env?: NodeJS.ProcessEnv; onRuntime?: (runtime: AppRuntime) => void; redisCommandTimeoutMs?: number } = {},
): ApplicationFunction {
  return (probot, { addHandler }) => {
    const env = options.env ?? process.env;
    // Also here, not only in main.ts: `probot run dist/app.js` loads the App without main.ts.
    const refusal = checkStartupEnvironment(env);
    if (refusal) throw new Error(refusal);
    const interval = parseRedeliveryInterval(env["REDELIVERY_INTERVAL"]);
    if (!interval.ok) throw new Error(interval.message);
    const cache = parseManifestCacheSize(env["MANIFEST_CACHE_MB"]);
    if (!cache.ok) throw new Error(cache.message);
    const base = createAppRuntime({
      probot,
      redisUrl: env["REDIS_URL"] || undefined,
      replica: env["HOSTNAME"] || randomUUID(),
      ...(options.redisCommandTimeoutMs ? { redisCommandTimeoutMs: options.redisCommandTimeoutMs } : {}),
    });
    const deps = createAppDeps(probot.log, {
      ...base,
      retry: interval.seconds > 0 ? { everySeconds: interval.seconds } : null,
      manifestCacheBytes: cache.bytes,
    });
    const redelivery =
      interval.seconds > 0
        ? startRedelivery({
            probot,
            memory: deps.deliveries,
            telemetry: base.telemetry,
            claims: base.claims,
            intervalSeconds: interval.seconds,
          })
        : null;
    const runtime: AppRuntime = { ...base, close: async () => (redelivery?.stop(), base.close()) };
    options.onRuntime?.(runtime);
    registerHandlers(probot, deps);
    addHandler(createHttpEndpoints({ readiness: () => runtime.readiness.report(), scrape: () => runtime.telemetry.scrape() }));
  };
}

/**
 * The GitHub App: requests from issue forms and slash commands become pull requests in the
 * GitOps repository. `npm start` runs it through src/main.ts; `probot run ./dist/app.js` works too.
 */
const app: ApplicationFunction = createApp();

export default app;
