import { planRedeliveries, type FailedHandling, type RedeliveryPlan } from "../core/redelivery/plan-redeliveries.js";
import { SOLE_REPLICA, type DeliveryClaims, type DeliveryLog } from "../ports.js";

/** Bounds of one redelivery run. */
export interface RedeliveryLimits {
  /** Redelivery requests per run; the rest waits for the next run. */
  maxPerRun: number;
  /** Times one event is asked for before the App leaves it alone (a bug, not a hiccup). */
  maxAsks: number;
  /** Listing pages per run (100 deliveries each). */
  maxPages: number;
  /** How far back the first run of a process looks. */
  firstLookbackMs: number;
  /** Listed again before the last run, for deliveries still in flight when it listed. */
  overlapMs: number;
  /** Handlings remembered at most (oldest forgotten first) and at most this long: GitHub redelivers for 3 days. */
  maxRemembered: number;
  rememberMs: number;
}

export const DEFAULT_REDELIVERY_LIMITS: RedeliveryLimits = {
  maxPerRun: 20,
  maxAsks: 3,
  maxPages: 10,
  firstLookbackMs: 60 * 60_000,
  overlapMs: 60_000,
  maxRemembered: 1_000,
  rememberMs: 3 * 24 * 60 * 60_000,
};

/**
 * What one process remembers between runs: when it last listed, which handlings failed after
 * Probot had answered, and how often each event was asked for. Per process, on purpose: with
 * several replicas each one redelivers what it saw fail, and GitHub's record covers the rest.
 */
export class DeliveryMemory {
  lastRunAt: number | null = null;
  readonly #failed = new Map<string, FailedHandling>();
  readonly #asks = new Map<string, number>();

  constructor(readonly limits: RedeliveryLimits = DEFAULT_REDELIVERY_LIMITS) {}

  handlingFailed(failed: FailedHandling): void {
    this.#failed.delete(failed.guid);
    this.#failed.set(failed.guid, failed);
    for (const guid of this.#failed.keys()) {
      if (this.#failed.size <= this.limits.maxRemembered) break;
      this.#failed.delete(guid);
    }
  }

  handlingSucceeded(guid: string): void {
    this.#failed.delete(guid);
    this.#asks.delete(guid);
  }

  get failedHandlings(): FailedHandling[] {
    return [...this.#failed.values()];
  }

  get asks(): ReadonlyMap<string, number> {
    return this.#asks;
  }

  asked(guid: string): void {
    this.#asks.set(guid, (this.#asks.get(guid) ?? 0) + 1);
    // Bounded like the failures: the oldest counts go first.
    for (const key of this.#asks.keys()) {
      if (this.#asks.size <= this.limits.maxRemembered) break;
      this.#asks.delete(key);
    }
  }

  forget(guids: readonly string[], now: number): void {
    for (const guid of guids) this.#failed.delete(guid);
    for (const [guid, failed] of this.#failed) if (now - failed.failedAt > this.limits.rememberMs) this.#failed.delete(guid);
  }
}

export interface RedeliveryReport extends RedeliveryPlan {
  /** GitHub requests this run made: listing pages plus redelivery requests. */
  requests: number;
  listed: number;
  /** False when the page limit cut the listing short. */
  complete: boolean;
  /** Redeliveries GitHub refused (the run goes on with the others). */
  refused: { id: number; error: string }[];
  /** Failed attempts another replica has already asked for (shared claims, REDIS_URL). */
  leftToOthers: number;
}

/**
 * One redelivery run, as GitHub's guide on failed deliveries describes: list the App's recent
 * deliveries (only back to the last run, or to the oldest failed handling still remembered), then
 * ask once for each event whose latest attempt failed or whose handling failed here after the answer.
 */
export async function redeliverFailed(params: {
  log: DeliveryLog;
  memory: DeliveryMemory;
  now: number;
  claims?: DeliveryClaims;
}): Promise<RedeliveryReport> {
  const { memory, now } = params;
  const limits = memory.limits;
  const failedHandlings = memory.failedHandlings;
  const since = Math.min(memory.lastRunAt ?? now - limits.firstLookbackMs, ...failedHandlings.map((f) => f.receivedAt)) - limits.overlapMs;
  const listing = await params.log.listDeliveries({ since, maxPages: limits.maxPages });
  memory.lastRunAt = now;
  const planned = planRedeliveries({
    attempts: listing.attempts,
    failedHandlings,
    asks: memory.asks,
    maxPerRun: limits.maxPerRun,
    maxAsks: limits.maxAsks,
  });
  // Replicas list the same failed attempts: with shared claims, one of them asks for each.
  const claims = params.claims ?? SOLE_REPLICA;
  const redeliver: RedeliveryPlan["redeliver"] = [];
  for (const delivery of planned.redeliver) if (await claims.claim(`redeliver:${delivery.id}`)) redeliver.push(delivery);
  const plan = { ...planned, redeliver };
  const refused: RedeliveryReport["refused"] = [];
  const asked: string[] = [];
  for (const delivery of plan.redeliver) {
    memory.asked(delivery.guid);
    try {
      await params.log.redeliver(delivery.id);
      asked.push(delivery.guid);
      await claims.complete(`redeliver:${delivery.id}`);
    } catch (error) {
      refused.push({ id: delivery.id, error: error instanceof Error ? error.message : String(error) });
      await claims.release(`redeliver:${delivery.id}`);
    }
  }
  // An event asked for is now GitHub's to deliver again; its next handling reports for itself.
  memory.forget([...plan.settled, ...asked], now);
  return {
    ...plan,
    requests: listing.pages + plan.redeliver.length,
    listed: listing.attempts.length,
    complete: listing.complete,
    refused,
    leftToOthers: planned.redeliver.length - redeliver.length,
  };
}
