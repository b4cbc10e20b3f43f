import { randomUUID } from "node:crypto";
import type { EmitterWebhookEvent, EmitterWebhookEventName } from "@octokit/webhooks";
import { Probot } from "probot";
import app from "../../src/app.js";
import type { AppDeps } from "../../src/handlers/app-deps.js";
import { readBuiltinCatalog } from "../../src/adapters/local/read-builtin-catalog.js";
import type { Catalog } from "../../src/core/catalog/load-catalog.js";
import { createAppDeps, registerHandlers } from "../../src/handlers/register-handlers.js";
import type { RetrySettings } from "../../src/adapters/github/gitops-octokit.js";
import type { DeliveryMemory } from "../../src/workflows/redeliver-failed.js";
import { testOctokitClass } from "./octokit.js";

let builtinCatalog: Promise<Catalog> | null = null;

/**
 * The app's handlers in a real Probot, authenticated with a token, retries and throttling off so
 * every request is seen once. Tests share the built-in catalog (reading it costs more than most
 * tests); each Probot gets its own blob cache. `realApp` loads src/app.ts exactly as `probot run`
 * does; `deps` swaps the process-wide dependencies, `catalog` only the catalog; `retries` turns the retry
 * policy on (INSTANT_RETRIES: no waiting); `retry` is whether the App says it redelivers by itself.
 */
export async function createTestProbot(
  options: {
    baseUrl?: string;
    deps?: AppDeps;
    realApp?: boolean;
    retries?: Partial<RetrySettings>;
    retry?: AppDeps["retry"];
    deliveries?: DeliveryMemory;
    /** Another catalog than the built-in one. */
    catalog?: AppDeps["catalog"];
    /** The parsed-manifest cache's bound (0: nothing kept across checks). */
    manifestCacheBytes?: number;
  } = {},
): Promise<Probot> {
  const probot = new Probot({
    githubToken: "test",
    Octokit: testOctokitClass(options.retries),
    logLevel: "fatal",
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
  });
  if (options.realApp) {
    // No HTTP server in tests: the App's endpoints are tested through a real one elsewhere.
    await probot.load(app, { cwd: process.cwd(), addHandler: () => undefined });
    return probot;
  }
  const deps = options.deps ?? {
    ...createAppDeps(probot.log, {
      retry: options.retry ?? null,
      ...(options.deliveries ? { deliveries: options.deliveries } : {}),
      ...(options.manifestCacheBytes !== undefined ? { manifestCacheBytes: options.manifestCacheBytes } : {}),
    }),
    catalog: options.catalog ?? (() => (builtinCatalog ??= readBuiltinCatalog().then((r) => r.catalog))),
  };
  await probot.load((p: Probot) => registerHandlers(p, deps));
  return probot;
}

/** Delivers one webhook, as GitHub would (a fresh delivery id each time unless given). */
export async function deliver<E extends EmitterWebhookEventName>(
  probot: Probot,
  name: E,
  payload: EmitterWebhookEvent<E>["payload"],
  id: string = randomUUID(),
): Promise<void> {
  const [event] = name.split(".");
  await probot.receive({ id, name: event, payload } as unknown as EmitterWebhookEvent);
}
