import { AsyncLocalStorage } from "node:async_hooks";
import type { ProbotOctokit } from "probot";
import type { Telemetry } from "../../ports.js";

const INSTRUMENTED = Symbol("gitops-bot telemetry hook");

type Instrumentable = ProbotOctokit & { [INSTRUMENTED]?: true };

interface RequestOptions {
  method?: string;
  url?: string;
}

/**
 * The route template of the list being paginated. Octokit's paginate sends every page, the first
 * included, as an expanded absolute URL; the template is known only where paginate was called.
 */
const paginating = new AsyncLocalStorage<string>();

type Paginate = ProbotOctokit["paginate"];

function templateOf(route: unknown): string | undefined {
  if (typeof route === "string") return route.split(" ").at(-1);
  const url = (route as { endpoint?: { DEFAULTS?: { url?: unknown } } } | null)?.endpoint?.DEFAULTS?.url;
  return typeof url === "string" ? url : undefined;
}

/** Runs every paginate call with its route template in `paginating`. */
function rememberPageTemplates(octokit: ProbotOctokit): void {
  const original = octokit.paginate;
  const paginate = (...args: Parameters<Paginate>) => {
    const template = templateOf(args[0]);
    return template === undefined ? original(...args) : paginating.run(template, () => original(...args));
  };
  octokit.paginate = Object.assign(paginate, { iterator: original.iterator }) as Paginate;
}

function statusOf(error: unknown): number {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : 0;
}

function remainingOf(headers: unknown): number | null {
  const value = (headers as Record<string, unknown> | undefined)?.["x-ratelimit-remaining"];
  const remaining = typeof value === "string" || typeof value === "number" ? Number(value) : Number.NaN;
  return Number.isFinite(remaining) ? remaining : null;
}

/**
 * Counts every request an event's Octokit makes: method, route template (Octokit's `options.url`
 * before expansion, or the paginated list's), status and time, and the rate limit GitHub reports
 * for the installation.
 * Hooked once per Octokit: Probot gives every handler of one delivery the same instance.
 */
export function instrumentOctokit(params: {
  octokit: ProbotOctokit;
  telemetry: Telemetry;
  installation: number | null;
  now: () => number;
}): void {
  const octokit = params.octokit as Instrumentable;
  if (octokit[INSTRUMENTED]) return;
  octokit[INSTRUMENTED] = true;
  const { telemetry, installation, now } = params;
  rememberPageTemplates(octokit);
  octokit.hook.wrap("request", async (send, options) => {
    const { method = "GET", url: requested = "" } = options as RequestOptions;
    const url = /^https?:/i.test(requested) ? (paginating.getStore() ?? requested) : requested;
    const started = now();
    const record = (status: number, headers: unknown) => {
      telemetry.githubRequest({ method, route: url, status, seconds: (now() - started) / 1000 });
      const remaining = remainingOf(headers);
      if (installation !== null && remaining !== null) telemetry.rateLimitRemaining({ installation, remaining });
    };
    try {
      const response = await send(options);
      record(response.status, response.headers);
      return response;
    } catch (error) {
      record(statusOf(error), (error as { response?: { headers?: unknown } } | null)?.response?.headers);
      throw error;
    }
  });
}
