import type { ApplicationFunction } from "probot";
import { createAppDeps, registerHandlers } from "./handlers/register-handlers.js";

/**
 * The GitHub App: requests from issue forms and slash commands become pull requests in the
 * GitOps repository (`npm start` runs it with `probot run`).
 */
const app: ApplicationFunction = (probot) => {
  registerHandlers(probot, createAppDeps(probot.log));
};

export default app;
