import { describe, expect, it } from "vitest";
import { planRedeliveries, type DeliveryAttempt } from "../../../src/core/redelivery/plan-redeliveries.js";

const attempt = (id: number, guid: string, deliveredAt: number, statusCode: number): DeliveryAttempt => ({
  id,
  guid,
  deliveredAt,
  statusCode,
  event: "issue_comment.created",
});
const plan = (attempts: DeliveryAttempt[], options: Partial<Parameters<typeof planRedeliveries>[0]> = {}) =>
  planRedeliveries({ attempts, failedHandlings: [], asks: new Map(), maxPerRun: 20, maxAsks: 3, ...options });

describe("planRedeliveries", () => {
  it("asks once for each event whose latest attempt failed, oldest first", () => {
    const result = plan([attempt(3, "b", 300, 502), attempt(2, "a", 200, 0), attempt(1, "a", 100, 500), attempt(4, "c", 400, 200)]);
    expect(result.redeliver).toEqual([
      { id: 2, guid: "a", event: "issue_comment.created", reason: "delivery failed" },
      { id: 3, guid: "b", event: "issue_comment.created", reason: "delivery failed" },
    ]);
  });

  it("leaves an event alone once a later attempt succeeded", () => {
    expect(plan([attempt(1, "a", 100, 500), attempt(2, "a", 200, 200)]).redeliver).toEqual([]);
  });

  it("asks for a handling that failed after GitHub recorded 202, unless GitHub delivered it again since", () => {
    const failedHandlings = [
      { guid: "a", receivedAt: 100, failedAt: 150 },
      { guid: "b", receivedAt: 100, failedAt: 150 },
    ];
    const result = plan([attempt(1, "a", 100, 202), attempt(2, "b", 100, 202), attempt(3, "b", 160, 202)], { failedHandlings });
    expect(result.redeliver).toEqual([{ id: 1, guid: "a", event: "issue_comment.created", reason: "handling failed after the answer" }]);
    expect(result.settled).toEqual(["b"]);
  });

  it("a handling failure GitHub recorded too is asked for once", () => {
    const result = plan([attempt(1, "a", 100, 500)], { failedHandlings: [{ guid: "a", receivedAt: 100, failedAt: 120 }] });
    expect(result.redeliver.map((d) => d.id)).toEqual([1]);
  });

  it("is bounded: per run, and per event in all", () => {
    const attempts = Array.from({ length: 5 }, (_, i) => attempt(i + 1, `g${i}`, i, 500));
    const result = plan(attempts, { maxPerRun: 2, asks: new Map([["g0", 3]]) });
    expect(result.redeliver.map((d) => d.guid)).toEqual(["g1", "g2"]);
    expect(result.deferred).toBe(2);
    expect(result.givenUp).toEqual(["g0"]);
  });
});
