import type { Probot } from "probot";
import { AppGateway } from "../adapters/github/app-gateway.js";
import type { DeliveryClaims, Telemetry } from "../ports.js";
import { redeliverFailed, type DeliveryMemory, type RedeliveryReport } from "../workflows/redeliver-failed.js";

/**
 * One redelivery run with the App's JWT (`probot.auth()` without an installation id), logged.
 * A run that fails is logged and the next one tries again: it never stops the App.
 */
export async function runRedelivery(params: {
  probot: Probot;
  memory: DeliveryMemory;
  telemetry?: Telemetry;
  claims?: DeliveryClaims;
  now?: number;
}): Promise<RedeliveryReport | null> {
  const { probot } = params;
  try {
    const report = await redeliverFailed({
      log: new AppGateway(await probot.auth()),
      memory: params.memory,
      now: params.now ?? Date.now(),
      ...(params.claims ? { claims: params.claims } : {}),
    });
    const redelivered = report.redeliver.length - report.refused.length;
    for (let i = 0; i < redelivered; i++) params.telemetry?.redelivery("redelivered");
    for (let i = 0; i < report.refused.length; i++) params.telemetry?.redelivery("failed");
    params.telemetry?.redeliveryBacklog({ waiting: report.redeliver.length + report.deferred, givenUp: report.givenUp.length });
    const fields = {
      requests: report.requests,
      listed: report.listed,
      redelivered: report.redeliver.map((d) => ({ id: d.id, guid: d.guid, event: d.event, reason: d.reason })),
      givenUp: report.givenUp,
      deferred: report.deferred,
      refused: report.refused,
      leftToOthers: report.leftToOthers,
    };
    if (report.redeliver.length > 0 || report.refused.length > 0)
      probot.log.info(fields, `redelivery: asked GitHub for ${report.redeliver.length} failed deliveries again`);
    else probot.log.debug(fields, "redelivery: nothing failed");
    if (report.givenUp.length > 0)
      probot.log.error(
        { givenUp: report.givenUp },
        "redelivery: these events failed every time they were delivered; look at their handling in the logs",
      );
    if (!report.complete) probot.log.warn("redelivery: more deliveries than one run lists; the oldest were not looked at");
    return report;
  } catch (error) {
    probot.log.error({ err: error }, "redelivery: the run failed; the next run tries again");
    return null;
  }
}

/**
 * Runs redelivery every `intervalSeconds`. The first run comes after half an interval to a full
 * one, at random, so that replicas started together do not list and ask at the same moment.
 * The timer never keeps the process alive.
 */
export function startRedelivery(params: {
  probot: Probot;
  memory: DeliveryMemory;
  telemetry?: Telemetry;
  claims?: DeliveryClaims;
  intervalSeconds: number;
  random?: () => number;
}): { stop(): void } {
  const interval = params.intervalSeconds * 1000;
  let timer: NodeJS.Timeout;
  // A run may be under way when stop() comes: its end must not schedule the next one.
  let stopped = false;
  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      const { intervalSeconds: _interval, random: _random, ...run } = params;
      void runRedelivery(run).finally(() => schedule(interval));
    }, delay);
    timer.unref();
  };
  schedule(interval * (0.5 + (params.random ?? Math.random)() / 2));
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
