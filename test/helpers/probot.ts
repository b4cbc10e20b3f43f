import { randomUUID } from "node:crypto";
import type { EmitterWebhookEvent, EmitterWebhookEventName } from "@octokit/webhooks";
import { Probot } from "probot";
import app from "../../src/app.js";
import type { AppDeps } from "../../src/handlers/app-deps.js";
import { registerHandlers } from "../../src/handlers/register-handlers.js";
import { TestOctokit } from "./octokit.js";

/**
 * The real app in a real Probot, authenticated with a token, retries and throttling off so every
 * request is seen once. `deps` swaps the process-wide dependencies (a test catalog).
 */
export async function createTestProbot(options: { baseUrl?: string; deps?: AppDeps } = {}): Promise<Probot> {
  const probot = new Probot({ githubToken: "test", Octokit: TestOctokit, logLevel: "fatal", ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) });
  const deps = options.deps;
  await probot.load(deps ? (p: Probot) => registerHandlers(p, deps) : app);
  return probot;
}

/** Delivers one webhook, as GitHub would (a fresh delivery id each time unless given). */
export async function deliver<E extends EmitterWebhookEventName>(probot: Probot, name: E, payload: EmitterWebhookEvent<E>["payload"], id: string = randomUUID()): Promise<void> {
  const [event] = name.split(".");
  await probot.receive({ id, name: event, payload } as unknown as EmitterWebhookEvent);
}
