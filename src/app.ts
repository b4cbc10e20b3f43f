import type { ApplicationFunction } from "probot";
import { checkStartupEnvironment } from "./core/config/check-startup-environment.js";
import { parseRedeliveryInterval } from "./core/config/parse-redelivery-interval.js";
import { createAppDeps, registerHandlers } from "./handlers/register-handlers.js";
import { startRedelivery } from "./handlers/start-redelivery.js";

/**
 * The GitHub App: requests from issue forms and slash commands become pull requests in the
 * GitOps repository (`npm start` runs it). Every REDELIVERY_INTERVAL seconds (default 300, 0 off)
 * it asks GitHub to deliver again what failed.
 */
const app: ApplicationFunction = (probot) => {
  // Also here, not only in main.ts: `probot run dist/app.js` loads the App without main.ts.
  const refusal = checkStartupEnvironment(process.env);
  if (refusal) throw new Error(refusal);
  const interval = parseRedeliveryInterval(process.env.REDELIVERY_INTERVAL);
  if (!interval.ok) throw new Error(interval.message);
  const deps = createAppDeps(probot.log, interval.seconds > 0 ? { everySeconds: interval.seconds } : null);
  registerHandlers(probot, deps);
  if (interval.seconds > 0) startRedelivery({ probot, memory: deps.deliveries, intervalSeconds: interval.seconds });
};

export default app;
