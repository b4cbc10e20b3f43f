import type { Redis } from "ioredis";
import type { DeliveryClaims } from "../ports.js";

/** Logs a Redis failure; a claim that cannot be asked is granted (handling is idempotent). */
type Warn = (message: string) => void;

/**
 * Delivery claims shared by the replicas through Redis: `SET NX` with a time to live. A claim
 * lives `claimMs` while its replica works (a crashed replica frees it by expiry), is kept for
 * `doneMs` after success, and is dropped after a failure so that a redelivery is handled again.
 * When Redis does not answer, the delivery is handled anyway: a duplicate costs GitHub
 * requests, a lost delivery costs a request.
 */
export class RedisDeliveryClaims implements DeliveryClaims {
  readonly #redis: Redis;
  readonly #replica: string;
  readonly #warn: Warn;
  readonly #claimMs: number;
  readonly #doneMs: number;

  constructor(params: { redis: Redis; replica: string; warn: Warn; claimMs?: number; doneMs?: number }) {
    this.#redis = params.redis;
    this.#replica = params.replica;
    this.#warn = params.warn;
    this.#claimMs = params.claimMs ?? 5 * 60_000;
    this.#doneMs = params.doneMs ?? 24 * 60 * 60_000;
  }

  /** The delivery id comes from a header the webhook signature does not cover: keep keys plain and short. */
  #key(key: string): string {
    return `gitops-bot:delivery:${key.replace(/[^A-Za-z0-9:-]/g, "_").slice(0, 100)}`;
  }

  async claim(key: string): Promise<boolean> {
    try {
      return (await this.#redis.set(this.#key(key), this.#replica, "PX", this.#claimMs, "NX")) === "OK";
    } catch {
      this.#warn("Redis did not answer: handling the delivery without the duplicate check");
      return true;
    }
  }

  async complete(key: string): Promise<void> {
    try {
      await this.#redis.set(this.#key(key), "done", "PX", this.#doneMs);
    } catch {
      this.#warn("Redis did not answer: a copy of this delivery may be handled again");
    }
  }

  async release(key: string): Promise<void> {
    try {
      await this.#redis.del(this.#key(key));
    } catch {
      this.#warn("Redis did not answer: a redelivery waits for the claim to expire");
    }
  }
}
