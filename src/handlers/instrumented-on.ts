import { performance } from "node:perf_hooks";
import type { EmitterWebhookEventName } from "@octokit/webhooks";
import type { Context, Probot } from "probot";
import { instrumentOctokit } from "../adapters/github/instrument-octokit.js";
import type { AppDeps } from "./app-deps.js";
import { attachDeliveryFacts, type DeliveryFacts } from "./delivery-facts.js";

type Handler<E extends EmitterWebhookEventName> = (context: Context<E>) => Promise<void>;

/** `probot.on` with every handling logged with its delivery's facts, counted, timed and claimed. */
export type On = <E extends EmitterWebhookEventName>(events: E | E[], handler: Handler<E>) => void;

const BOUND = Symbol("gitops-bot bound context");

interface PayloadFacts {
  action?: string;
  installation?: { id?: number };
  repository?: { full_name?: string };
  issue?: { number?: number };
  pull_request?: { number?: number };
  check_suite?: { pull_requests?: { number?: number }[] };
  check_run?: { pull_requests?: { number?: number }[] };
}

/** What every log line of a handling carries besides Probot's delivery `id`: event, repository, issue or pull request. */
export function deliveryBindings(name: string, payload: PayloadFacts): Record<string, string | number> {
  const bindings: Record<string, string | number> = { event: payload.action ? `${name}.${payload.action}` : name };
  if (payload.repository?.full_name) bindings["repository"] = payload.repository.full_name;
  if (payload.issue?.number !== undefined) bindings["issue"] = payload.issue.number;
  const pull = payload.pull_request?.number ?? (payload.check_suite ?? payload.check_run)?.pull_requests?.[0]?.number;
  if (pull !== undefined) bindings["pullRequest"] = pull;
  return bindings;
}

const OCTOKIT_LOG = Symbol("gitops-bot octokit log");

type MarkedOctokit = { log: unknown; [OCTOKIT_LOG]?: { original: unknown; delivery: string } };

/**
 * Probot's request logging writes through the Octokit's own logger: give it the delivery's facts.
 * With an App's key Probot makes one Octokit per delivery; with a plain token (tests) one Octokit
 * serves every delivery, and then it keeps its own logger rather than another delivery's facts.
 */
function bindOctokitLog(context: Context): void {
  const octokit = context.octokit as unknown as MarkedOctokit;
  const mark = octokit[OCTOKIT_LOG];
  if (!mark) {
    octokit[OCTOKIT_LOG] = { original: octokit.log, delivery: context.id };
    octokit.log = context.log;
  } else if (mark.delivery !== context.id) {
    octokit.log = mark.original;
  }
}

/**
 * Binds a delivery's context once (Probot hands every handler of a delivery the same context):
 * its logger and its Octokit's logger carry the delivery's facts, and its Octokit is counted.
 */
function bindContext(context: Context & { [BOUND]?: DeliveryFacts }, deps: Pick<AppDeps, "telemetry">): DeliveryFacts {
  const bound = context[BOUND];
  if (bound) return bound;
  const payload = context.payload as PayloadFacts;
  const bindings = deliveryBindings(context.name, payload);
  context[BOUND] = { id: context.id, ...bindings };
  context.log = context.log.child(bindings);
  bindOctokitLog(context);
  instrumentOctokit({
    octokit: context.octokit,
    telemetry: deps.telemetry,
    installation: payload.installation?.id ?? null,
    now: () => performance.now(),
  });
  return context[BOUND];
}

/**
 * Returns an `on` that registers handlers with Probot, each wrapped so that a handling is claimed
 * (another replica may have the same delivery), logged with the delivery's facts, timed and
 * counted by outcome. Deliveries no handler subscribes to are counted as ignored.
 */
export function instrumentedOn(probot: Probot, deps: Pick<AppDeps, "telemetry" | "claims" | "deliveries">): On {
  const subscribed = new Set<string>();
  let handlers = 0;
  probot.onAny((context) => {
    const action = (context.payload as PayloadFacts).action ?? "";
    if (subscribed.has(context.name) || subscribed.has(`${context.name}.${action}`)) return;
    deps.telemetry.webhook({ event: context.name, action, outcome: "ignored", seconds: 0 });
  });

  return <E extends EmitterWebhookEventName>(events: E | E[], handler: Handler<E>) => {
    // The claim is per handler: two handlers of one event are two handlings.
    const handlerKey = `h${handlers++}`;
    for (const event of [events].flat()) subscribed.add(event);
    const wrapped = async (context: Context<E>): Promise<void> => {
      const facts = bindContext(context, deps);
      const action = (context.payload as PayloadFacts).action ?? "";
      const claim = `${context.id}:${handlerKey}`;
      const started = performance.now();
      const count = (outcome: "handled" | "failed" | "duplicate") =>
        deps.telemetry.webhook({ event: context.name, action, outcome, seconds: (performance.now() - started) / 1000 });
      if (!(await deps.claims.claim(claim))) {
        context.log.info("ignored: another replica has handled or is handling this delivery");
        return count("duplicate");
      }
      const receivedAt = Date.now();
      try {
        await handler(context);
      } catch (error) {
        attachDeliveryFacts(error, facts);
        count("failed");
        await deps.claims.release(claim);
        // Probot answers GitHub 202 after 9 s and goes on: GitHub records a handling that fails
        // later as delivered. Remembered here, it is asked for again by the redelivery run.
        deps.deliveries.handlingFailed({ guid: context.id, receivedAt, failedAt: Date.now() });
        throw error;
      }
      count("handled");
      deps.deliveries.handlingSucceeded(context.id);
      await deps.claims.complete(claim);
    };
    probot.on(events, wrapped as Parameters<Probot["on"]>[1]);
  };
}
