import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { boundedLabel, OTHER_LABEL } from "../../core/metrics/bounded-label.js";
import type { RequestOutcome } from "../../core/metrics/request-outcome.js";
import { methodLabel, routeLabel } from "../../core/metrics/route-label.js";
import type { Telemetry, WebhookOutcome } from "../../ports.js";

/** Caps on labels whose values come from outside the code (GitHub's event names, GitOps policies, installations). */
const EVENT_CAP = 60;
const ACTION_CAP = 60;
const POLICY_CAP = 200;
const INSTALLATION_CAP = 500;

const REQUEST_OUTCOMES: readonly RequestOutcome[] = ["provisioned", "up_to_date", "rejected", "refused", "preview", "help", "failed"];
const CHECK_CONCLUSIONS: readonly string[] = ["success", "failure", "neutral", "failed"];
const WEBHOOK_OUTCOMES: readonly WebhookOutcome[] = ["handled", "failed", "ignored", "duplicate"];

/** A label whose distinct values are capped; remembers what it let through. */
class CappedLabel {
  readonly #seen = new Set<string>();
  constructor(readonly cap: number) {}
  of(value: string): string {
    const label = boundedLabel({ value, seen: this.#seen, cap: this.cap });
    if (label !== OTHER_LABEL) this.#seen.add(label);
    return label;
  }
}

function statusLabel(status: number): string {
  return Number.isInteger(status) && status >= 100 && status <= 599 ? String(status) : "error";
}

/**
 * The App's metrics in a prom-client registry of its own (several Apps in one process, as in the
 * tests, do not share series). `defaultMetrics` adds the Node.js process metrics.
 */
export class PrometheusTelemetry implements Telemetry {
  readonly registry: Registry;
  readonly #webhooks: Counter<"event" | "action" | "outcome">;
  readonly #handling: Histogram<"event">;
  readonly #requests: Counter<"outcome">;
  readonly #pullRequests: Counter<"change">;
  readonly #checks: Counter<"conclusion">;
  readonly #findings: Counter<"policy">;
  readonly #github: Counter<"method" | "route" | "status">;
  readonly #githubSeconds: Histogram<"method">;
  readonly #rateLimit: Gauge<"installation">;
  readonly #redeliveries: Counter<"outcome">;
  readonly #backlog: Gauge;
  readonly #givenUp: Gauge;
  readonly #events = new CappedLabel(EVENT_CAP);
  readonly #actions = new CappedLabel(ACTION_CAP);
  readonly #policies = new CappedLabel(POLICY_CAP);
  readonly #installations = new CappedLabel(INSTALLATION_CAP);

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const registers = [(this.registry = new Registry())];
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.#webhooks = new Counter({
      name: "gitops_bot_webhooks_total",
      help: "Webhook deliveries by event, action and outcome (handled, failed, ignored: no handler, duplicate: another replica had it).",
      labelNames: ["event", "action", "outcome"],
      registers,
    });
    this.#handling = new Histogram({
      name: "gitops_bot_webhook_handling_seconds",
      help: "Time from a handler's start to its end, by event.",
      labelNames: ["event"],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.#requests = new Counter({
      name: "gitops_bot_requests_total",
      help: "Requests from issues and commands by outcome (provisioned: a pull request was written).",
      labelNames: ["outcome"],
      registers,
    });
    this.#pullRequests = new Counter({
      name: "gitops_bot_pull_requests_total",
      help: "Pull requests of requests, opened or updated.",
      labelNames: ["change"],
      registers,
    });
    this.#checks = new Counter({
      name: "gitops_bot_policy_checks_total",
      help: "Policy checks of pull requests by conclusion (failed: the check itself failed).",
      labelNames: ["conclusion"],
      registers,
    });
    this.#findings = new Counter({
      name: "gitops_bot_policy_findings_total",
      help: "Findings shown on policy checks, by policy.",
      labelNames: ["policy"],
      registers,
    });
    this.#github = new Counter({
      name: "gitops_bot_github_requests_total",
      help: "GitHub API requests by method, route template and status (error: no response).",
      labelNames: ["method", "route", "status"],
      registers,
    });
    this.#githubSeconds = new Histogram({
      name: "gitops_bot_github_request_seconds",
      help: "GitHub API request time as handlers see it (throttling queues and retries included), by method.",
      labelNames: ["method"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    });
    this.#rateLimit = new Gauge({
      name: "gitops_bot_github_rate_limit_remaining",
      help: "GitHub's x-ratelimit-remaining in the last reply, per installation.",
      labelNames: ["installation"],
      registers,
    });
    this.#redeliveries = new Counter({
      name: "gitops_bot_redeliveries_total",
      help: "Failed webhook deliveries asked again of GitHub, by outcome.",
      labelNames: ["outcome"],
      registers,
    });
    this.#backlog = new Gauge({
      name: "gitops_bot_redelivery_backlog",
      help: "Failed deliveries waiting for redelivery after the last redelivery run (asked for again, or left for the next run).",
      registers,
    });
    this.#givenUp = new Gauge({
      name: "gitops_bot_redelivery_given_up",
      help: "Events whose every delivery failed, left for a person after the last redelivery run.",
      registers,
    });
    this.#zeroSeries();
  }

  /** Zeroed series make rate() and absent-free alerts work from the first scrape. */
  #zeroSeries(): void {
    for (const outcome of REQUEST_OUTCOMES) this.#requests.inc({ outcome }, 0);
    for (const change of ["opened", "updated"]) this.#pullRequests.inc({ change }, 0);
    for (const conclusion of CHECK_CONCLUSIONS) this.#checks.inc({ conclusion }, 0);
    for (const outcome of ["redelivered", "failed"]) this.#redeliveries.inc({ outcome }, 0);
    for (const outcome of WEBHOOK_OUTCOMES) this.#webhooks.inc({ event: "ping", action: "none", outcome }, 0);
  }

  webhook(params: { event: string; action: string; outcome: WebhookOutcome; seconds: number }): void {
    const event = this.#events.of(params.event);
    this.#webhooks.inc({ event, action: this.#actions.of(params.action || "none"), outcome: params.outcome });
    if (params.outcome === "handled" || params.outcome === "failed") this.#handling.observe({ event }, params.seconds);
  }

  requestEnded(outcome: RequestOutcome): void {
    this.#requests.inc({ outcome });
  }

  pullRequest(change: "opened" | "updated"): void {
    this.#pullRequests.inc({ change });
  }

  policyCheck(params: { conclusion: string; findings: readonly { policy: string }[] }): void {
    this.#checks.inc({ conclusion: CHECK_CONCLUSIONS.includes(params.conclusion) ? params.conclusion : OTHER_LABEL });
    for (const finding of params.findings) this.#findings.inc({ policy: this.#policies.of(finding.policy) });
  }

  githubRequest(params: { method: string; route: string; status: number; seconds: number }): void {
    const method = methodLabel(params.method);
    this.#github.inc({ method, route: routeLabel(params.route), status: statusLabel(params.status) });
    this.#githubSeconds.observe({ method }, params.seconds);
  }

  rateLimitRemaining(params: { installation: number; remaining: number }): void {
    this.#rateLimit.set({ installation: this.#installations.of(String(params.installation)) }, params.remaining);
  }

  redelivery(outcome: "redelivered" | "failed"): void {
    this.#redeliveries.inc({ outcome });
  }

  redeliveryBacklog(params: { waiting: number; givenUp: number }): void {
    this.#backlog.set(params.waiting);
    this.#givenUp.set(params.givenUp);
  }

  /** The Prometheus text exposition of every metric. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
