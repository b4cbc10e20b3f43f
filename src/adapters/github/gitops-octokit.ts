import { AsyncLocalStorage } from "node:async_hooks";
import { ProbotOctokit } from "probot";
import type { GitHubFault } from "../../core/report/fault-message.js";
import { classifyFailure, decideRetry, DEFAULT_RETRY_LIMITS, type RetryLimits } from "./retry-policy.js";

/** Time and chance as inputs, so that tests retry at once and the same way every run. */
export interface RetrySettings {
  enabled: boolean;
  limits: RetryLimits;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  random: () => number;
}

export const DEFAULT_RETRY_SETTINGS: RetrySettings = {
  enabled: true,
  limits: DEFAULT_RETRY_LIMITS,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
  random: () => Math.random(),
};

type OctokitPlugin = Parameters<(typeof ProbotOctokit)["plugin"]>[0];
type Log = { warn: (fields: object, message: string) => void };

const FAULT = Symbol.for("gitops-bot.github-fault");

/**
 * The route template of the list being paginated: Octokit's paginate sends its pages as expanded
 * URLs, and logs and status comments name templates, never filled-in paths.
 */
const paginating = new AsyncLocalStorage<string>();

type Paginate = InstanceType<typeof ProbotOctokit>["paginate"];

function templateOf(route: unknown): string | undefined {
  if (typeof route === "string") return route.split(" ").at(-1);
  const url = (route as { endpoint?: { DEFAULTS?: { url?: unknown } } } | null)?.endpoint?.DEFAULTS?.url;
  return typeof url === "string" ? url : undefined;
}

/** GraphQL's one route, named after the operation it runs: `POST /graphql (TeamsOfUser)`. */
function graphqlRoute(query: unknown): string {
  const name = typeof query === "string" ? /^\s*(?:query|mutation)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(query)?.[1] : undefined;
  return name ? `POST /graphql (${name})` : "POST /graphql";
}

/** The request's route template: its own, the paginated list's, or at least its path without the query. */
function routeOf(options: { method: string; url: string; query?: unknown }): string {
  if (options.url === "/graphql") return graphqlRoute(options.query);
  if (options.url.includes("{")) return `${options.method} ${options.url}`;
  const listed = paginating.getStore();
  if (listed) return `${options.method} ${listed}`;
  return `${options.method} ${new URL(options.url, "https://api.invalid").pathname}`;
}

/** What the retry policy recorded on an error that ended a request: the route and why. */
export function faultOf(error: unknown): GitHubFault | null {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const fault = (e as { [FAULT]?: GitHubFault })[FAULT];
    if (fault) return fault;
  }
  return null;
}

/**
 * Records on `error` what failed, for an error the request hook never saw: GraphQL answers its
 * errors with 200, and @octokit/graphql throws them after the request succeeded.
 */
export function recordFault<E extends Error>(error: E, fault: GitHubFault): E {
  if (!faultOf(error)) Object.defineProperty(error, FAULT, { value: fault, enumerable: false });
  return error;
}

/**
 * Retries transient failures of every request of one Octokit, as `retry-policy.ts` decides, and
 * logs each retry with its route template (never the filled-in path). The waits of one Octokit
 * share a budget: Probot makes one per delivery, so a handling cannot spin for long. An error
 * that ends a request carries its route and failure for the status comment (`faultOf`).
 */
export const retryPolicy: OctokitPlugin = (octokit, options) => {
  const settings = { ...DEFAULT_RETRY_SETTINGS, ...(options.gitopsRetry as Partial<RetrySettings> | undefined) };
  // Off means one attempt: the failed request is still recorded on the error for the status comment.
  if (!settings.enabled) settings.limits = { ...settings.limits, maxAttempts: 1 };
  const spent: { at: number; ms: number }[] = [];
  const log = octokit.log as unknown as Log;
  const instance = octokit as unknown as { paginate?: Paginate };
  const paginate = instance.paginate;
  if (paginate) {
    const remembering = (...args: Parameters<Paginate>) => {
      const template = templateOf(args[0]);
      return template === undefined ? paginate(...args) : paginating.run(template, () => paginate(...args));
    };
    instance.paginate = Object.assign(remembering, { iterator: paginate.iterator }) as Paginate;
  }
  octokit.hook.wrap("request", async (request, requestOptions) => {
    const route = routeOf(requestOptions);
    for (let attempt = 1; ; attempt++) {
      try {
        return await request(requestOptions);
      } catch (error) {
        const now = settings.now();
        const failure = classifyFailure(error, now);
        if (failure === null) throw error;
        while (spent.length > 0 && now - spent[0]!.at > settings.limits.budgetWindowMs) spent.shift();
        const spentMs = spent.reduce((sum, s) => sum + s.ms, 0);
        const decision = decideRetry({ failure, attempt, spentMs, limits: settings.limits, random: settings.random() });
        if (!decision.retry) {
          if (failure.kind !== "refused")
            log.warn(
              { route, status: failure.status, kind: failure.kind, attempts: attempt },
              `GitHub request ${route} failed (${failure.kind}); not retried: ${decision.reason}`,
            );
          const fault: GitHubFault = { route, kind: failure.kind, status: failure.status, attempts: attempt };
          if (error instanceof Error) Object.defineProperty(error, FAULT, { value: fault, enumerable: false });
          throw error;
        }
        log.warn(
          { route, status: failure.status, kind: failure.kind, attempt, waitMs: decision.waitMs },
          `GitHub request ${route} failed (${failure.kind}); retrying in ${Math.ceil(decision.waitMs / 1000)} s`,
        );
        spent.push({ at: now, ms: decision.waitMs });
        await settings.sleep(decision.waitMs);
      }
    }
  });
  return {};
};

/**
 * The Octokit class of the App (`src/main.ts` hands it to Probot). Probot's throttling plugin
 * stays on for what it does well (one write at a time per installation, spaced as GitHub asks,
 * shared through Redis when configured) but no longer decides retries: its handlers say no, and
 * plugin-retry is off, because its fixed 1/4/9 s schedule ignores `retry-after` and neither can
 * share a time budget or log the route. `retryPolicy` decides every retry instead.
 */
export function createGitOpsOctokit(settings: Partial<RetrySettings> = {}): typeof ProbotOctokit {
  type Options = NonNullable<ConstructorParameters<typeof ProbotOctokit>[0]>;
  // Octokit types its options as `any` past the known ones: name the three layered here.
  type Layered = { retry?: object; throttle?: object; gitopsRetry?: Partial<RetrySettings> };
  return ProbotOctokit.plugin(retryPolicy).defaults<typeof ProbotOctokit>((options: Options) => {
    const { retry, throttle, gitopsRetry } = (options ?? {}) as Layered;
    return {
      ...options,
      retry: { ...retry, enabled: false },
      throttle: { ...throttle, onRateLimit: () => false, onSecondaryRateLimit: () => false },
      gitopsRetry: { ...settings, ...gitopsRetry },
    };
  });
}

export const GitOpsOctokit = createGitOpsOctokit();
