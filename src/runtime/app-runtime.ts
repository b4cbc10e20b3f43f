import { Redis } from "ioredis";
import type { Probot } from "probot";
import { checkAppAuthentication } from "../adapters/github/check-app-authentication.js";
import { PrometheusTelemetry } from "../adapters/metrics/prometheus-telemetry.js";
import { SOLE_REPLICA, type DeliveryClaims } from "../ports.js";
import { Readiness } from "./readiness.js";
import { RedisDeliveryClaims } from "./redis-delivery-claims.js";

/** What one running App owns besides its handlers: metrics, delivery claims, readiness, Redis. */
export interface AppRuntime {
  telemetry: PrometheusTelemetry;
  claims: DeliveryClaims;
  readiness: Readiness;
  /** Stops the readiness timer and closes the Redis connection. */
  close(): Promise<void>;
}

/** Redis errors repeat on every reconnection attempt: one warning a minute is enough. */
const REDIS_WARNING_INTERVAL_MS = 60_000;

/** How long a Redis command may wait for its answer before it fails (and a claim is granted). */
const REDIS_COMMAND_TIMEOUT_MS = 2000;

/**
 * The runtime of one App. With `redisUrl` (REDIS_URL) the replicas share delivery claims through
 * it, and readiness includes a Redis PING; Probot's throttling reads the same REDIS_URL itself.
 * Without it, one replica needs nothing shared.
 */
export function createAppRuntime(params: {
  probot: Probot;
  redisUrl: string | undefined;
  replica: string;
  redisCommandTimeoutMs?: number;
}): AppRuntime {
  const { probot } = params;
  const log = probot.log.child({ name: "runtime" });
  const telemetry = new PrometheusTelemetry();
  // Commands wait for the first connection (deliveries may arrive before it), but a lost Redis fails
  // them after one reconnection attempt or two seconds: a claim that cannot be asked is granted,
  // and a probe reports the loss. Only tests on a machine loaded past that set a longer timeout.
  const redis = params.redisUrl
    ? new Redis(params.redisUrl, { maxRetriesPerRequest: 1, commandTimeout: params.redisCommandTimeoutMs ?? REDIS_COMMAND_TIMEOUT_MS })
    : null;
  let warnedAt = Number.NEGATIVE_INFINITY;
  const warn = (message: string) => {
    if (Date.now() - warnedAt < REDIS_WARNING_INTERVAL_MS) return;
    warnedAt = Date.now();
    log.warn(message);
  };
  // Only the error's code: its message may name the host, and the URL may hold a password.
  redis?.on("error", (error: { code?: unknown }) => warn(`Redis: ${typeof error.code === "string" ? error.code : "connection error"}`));
  const claims = redis ? new RedisDeliveryClaims({ redis, replica: params.replica, warn }) : SOLE_REPLICA;
  const readiness = new Readiness({
    checkGitHub: async () => checkAppAuthentication(await probot.auth()),
    pingRedis: redis ? () => redis.ping() : null,
  });
  return {
    telemetry,
    claims,
    readiness,
    close: async () => {
      readiness.stop();
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
