import type { ApplicationFunction } from "probot";
import { checkStartupEnvironment } from "./core/config/check-startup-environment.js";
import { createAppDeps, registerHandlers } from "./handlers/register-handlers.js";

/**
 * The GitHub App: requests from issue forms and slash commands become pull requests in the
 * GitOps repository (`npm start` runs it with `probot run`).
 */
const app: ApplicationFunction = (probot) => {
  // Also here, not only in main.ts: `probot run dist/app.js` loads the App without main.ts.
  const refusal = checkStartupEnvironment(process.env);
  if (refusal) throw new Error(refusal);
  registerHandlers(probot, createAppDeps(probot.log));
};

export default app;
