/**
 * When a failed GitHub request is worth another attempt, and after how long, as GitHub documents
 * it (https://docs.github.com/rest/using-the-rest-api/troubleshooting-the-rest-api and
 * https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit):
 * server errors, network failures and 429s back off; a rate limit waits for `retry-after`, else
 * for `x-ratelimit-reset` when `x-ratelimit-remaining` is 0, else a minute. Pure: the clock and
 * the dice are inputs.
 */

import type { FailureKind } from "../../core/report/fault-message.js";

export interface Failure {
  kind: FailureKind;
  /** The HTTP status, or null when no answer came (a network error). */
  status: number | null;
  /** How long GitHub asked us to wait, from its headers; null when it did not say. */
  waitHintMs: number | null;
}

export interface RetryLimits {
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /** The longest single wait: a primary rate limit that resets later than this is not waited for. */
  maxWaitMs: number;
  /** Retry waits one Octokit may spend within `budgetWindowMs` (one handling, in practice). */
  maxTotalWaitMs: number;
  budgetWindowMs: number;
  /** The first back-off; it doubles with every attempt. */
  backoffBaseMs: number;
}

export const DEFAULT_RETRY_LIMITS: RetryLimits = {
  maxAttempts: 4,
  maxWaitMs: 60_000,
  maxTotalWaitMs: 120_000,
  budgetWindowMs: 10 * 60_000,
  backoffBaseMs: 1_000,
};

/** GitHub's advice when a secondary rate limit names no time: wait at least a minute. */
const SECONDARY_LIMIT_FALLBACK_MS = 60_000;

type Headers = Record<string, string | number | undefined>;

interface ErrorShape {
  status?: unknown;
  message?: unknown;
  response?: { headers?: Headers; data?: unknown };
}

function header(headers: Headers | undefined, name: string): string | undefined {
  const value = headers?.[name];
  return value === undefined ? undefined : String(value);
}

function githubMessage(error: ErrorShape): string {
  const data = error.response?.data as { message?: unknown } | undefined;
  return `${typeof data?.message === "string" ? data.message : ""} ${typeof error.message === "string" ? error.message : ""}`;
}

/**
 * Classifies an error thrown by Octokit; null when it is not a GitHub answer at all (a bug).
 * Octokit reports a request that got no answer as status 500 without a response.
 */
export function classifyFailure(error: unknown, nowMs: number): Failure | null {
  if (!(error instanceof Error)) return null;
  const shape = error as ErrorShape;
  if (typeof shape.status !== "number") return null;
  const status = shape.status;
  if (shape.response === undefined) return status === 500 ? { kind: "network", status: null, waitHintMs: null } : null;
  const headers = shape.response.headers;
  if (status === 403 || status === 429) {
    const retryAfter = Number(header(headers, "retry-after"));
    const exhausted = header(headers, "x-ratelimit-remaining") === "0";
    const reset = Number(header(headers, "x-ratelimit-reset"));
    const secondary = /secondary rate limit/i.test(githubMessage(shape));
    const kind: FailureKind = secondary
      ? "secondary-rate-limit"
      : exhausted
        ? "rate-limit"
        : status === 429
          ? "too-many-requests"
          : "refused";
    if (Number.isFinite(retryAfter) && header(headers, "retry-after") !== undefined)
      return { kind: kind === "refused" ? "secondary-rate-limit" : kind, status, waitHintMs: Math.max(0, retryAfter) * 1000 };
    // The reset is in UTC epoch seconds; one second more so the retry lands after it.
    if (exhausted && Number.isFinite(reset)) return { kind, status, waitHintMs: Math.max(0, reset * 1000 - nowMs) + 1000 };
    if (secondary) return { kind, status, waitHintMs: SECONDARY_LIMIT_FALLBACK_MS };
    return { kind, status, waitHintMs: null };
  }
  if (status >= 500) return { kind: "server-error", status, waitHintMs: null };
  return { kind: "refused", status, waitHintMs: null };
}

export type RetryDecision = { retry: true; waitMs: number } | { retry: false; reason: string };

/**
 * Whether to try again after `attempt` attempts failed with `failure`, given the retry waits
 * already spent in the budget window. Back-off doubles from `backoffBaseMs`, with up to a quarter
 * more at random so that replicas retrying together drift apart.
 */
export function decideRetry(params: {
  failure: Failure;
  attempt: number;
  spentMs: number;
  limits: RetryLimits;
  random: number;
}): RetryDecision {
  const { failure, attempt, limits } = params;
  if (failure.kind === "refused") return { retry: false, reason: "not a transient error" };
  if (attempt >= limits.maxAttempts) return { retry: false, reason: `gave up after ${attempt} attempts` };
  const backoff = limits.backoffBaseMs * 2 ** (attempt - 1) * (1 + params.random / 4);
  const waitMs = Math.ceil(failure.waitHintMs ?? backoff);
  if (waitMs > limits.maxWaitMs)
    return { retry: false, reason: `GitHub asks to wait ${Math.ceil(waitMs / 1000)} s, more than ${limits.maxWaitMs / 1000} s` };
  if (params.spentMs + waitMs > limits.maxTotalWaitMs)
    return { retry: false, reason: `the retry time budget of ${limits.maxTotalWaitMs / 1000} s is spent` };
  return { retry: true, waitMs };
}
