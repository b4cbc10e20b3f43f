/** One attempt to deliver an event to the App, as GitHub lists it (`GET /app/hook/deliveries`). */
export interface DeliveryAttempt {
  id: number;
  /** The event's id, shared by every attempt to deliver it (`X-GitHub-Delivery`). */
  guid: string;
  /** Epoch milliseconds. */
  deliveredAt: number;
  /** The App's HTTP answer; 0 when it never answered. */
  statusCode: number;
  event: string;
}

/**
 * A delivery this process answered (GitHub saw success: Probot answers 202 after 9 s and goes on)
 * whose handling failed afterwards. GitHub cannot know: only the App can ask for it again.
 */
export interface FailedHandling {
  guid: string;
  receivedAt: number;
  failedAt: number;
}

export type RedeliveryReason = "delivery failed" | "handling failed after the answer";

export interface RedeliveryPlan {
  /** Deliveries to ask GitHub for again, oldest first: one attempt id per event. */
  redeliver: { id: number; guid: string; event: string; reason: RedeliveryReason }[];
  /** Failed handlings GitHub has delivered again since: whoever handled that attempt owns it now. */
  settled: string[];
  /** Events asked for `maxAsks` times already: left alone, for a person to look at. */
  givenUp: string[];
  /** Events left for the next run because of `maxPerRun`. */
  deferred: number;
}

const isSuccess = (code: number) => code >= 200 && code < 300;

/**
 * Which deliveries to ask for again: every event whose latest attempt failed, and every event
 * whose handling failed here after GitHub recorded success, unless GitHub has delivered it again
 * since. Each event is asked for once per run, at most `maxPerRun` per run and `maxAsks` in all.
 */
export function planRedeliveries(params: {
  attempts: readonly DeliveryAttempt[];
  failedHandlings: readonly FailedHandling[];
  /** How often each event was asked for already. */
  asks: ReadonlyMap<string, number>;
  maxPerRun: number;
  maxAsks: number;
}): RedeliveryPlan {
  const latest = new Map<string, DeliveryAttempt>();
  for (const attempt of params.attempts) {
    const seen = latest.get(attempt.guid);
    if (!seen || attempt.deliveredAt > seen.deliveredAt || (attempt.deliveredAt === seen.deliveredAt && attempt.id > seen.id))
      latest.set(attempt.guid, attempt);
  }
  const candidates = new Map<string, { attempt: DeliveryAttempt; reason: RedeliveryReason }>();
  for (const attempt of latest.values()) {
    if (!isSuccess(attempt.statusCode)) candidates.set(attempt.guid, { attempt, reason: "delivery failed" });
  }
  const settled: string[] = [];
  for (const failed of params.failedHandlings) {
    const last = latest.get(failed.guid);
    if (!last) continue;
    if (last.deliveredAt > failed.failedAt) settled.push(failed.guid);
    else if (!candidates.has(failed.guid)) candidates.set(failed.guid, { attempt: last, reason: "handling failed after the answer" });
  }
  const givenUp: string[] = [];
  const due: { id: number; guid: string; event: string; reason: RedeliveryReason; at: number }[] = [];
  for (const [guid, { attempt, reason }] of candidates) {
    if ((params.asks.get(guid) ?? 0) >= params.maxAsks) givenUp.push(guid);
    else due.push({ id: attempt.id, guid, event: attempt.event, reason, at: attempt.deliveredAt });
  }
  due.sort((a, b) => a.at - b.at || a.id - b.id);
  const redeliver = due.slice(0, params.maxPerRun).map(({ at: _at, ...rest }) => rest);
  return { redeliver, settled, givenUp, deferred: due.length - redeliver.length };
}
