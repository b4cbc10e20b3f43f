/** One dependency's state as /readyz reports it. */
export interface CheckState {
  ok: boolean;
  detail: string;
}

/** What /readyz answers: ready only when every check is ok. */
export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, CheckState>;
}

const NOT_CHECKED: CheckState = { ok: false, detail: "not checked yet" };

/** Why a check failed, without the error's text (which may quote a URL or a reply). */
function failure(error: unknown): string {
  const { status, response } = (error ?? {}) as { status?: unknown; response?: unknown };
  // Octokit reports a request that got no reply (network, DNS, TLS) with status 500 and no response.
  if (typeof status === "number") return response === undefined ? "GitHub did not answer" : `GitHub answered ${status}`;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[A-Z_]{2,32}$/.test(code) ? `failed: ${code}` : "failed";
}

/**
 * Readiness: the App can authenticate to GitHub, and Redis answers where it is configured.
 * GitHub is asked on a timer (every `refreshMs`, sooner after a failure), never by a probe, so
 * probes cost no GitHub requests; Redis is pinged per probe (cheap, and its loss matters at once).
 */
export class Readiness {
  readonly #checkGitHub: () => Promise<unknown>;
  readonly #pingRedis: (() => Promise<unknown>) | null;
  readonly #refreshMs: number;
  readonly #retryMs: number;
  #github: CheckState = NOT_CHECKED;
  #timer: NodeJS.Timeout | null = null;
  #started = false;
  #stopped = false;

  constructor(params: {
    checkGitHub: () => Promise<unknown>;
    pingRedis: (() => Promise<unknown>) | null;
    refreshMs?: number;
    retryMs?: number;
  }) {
    this.#checkGitHub = params.checkGitHub;
    this.#pingRedis = params.pingRedis;
    this.#refreshMs = params.refreshMs ?? 5 * 60_000;
    this.#retryMs = params.retryMs ?? 30_000;
  }

  /** Starts the GitHub checks (idempotent): at server start, or at the first probe under `probot run`. */
  start(): void {
    if (this.#started || this.#stopped) return;
    this.#started = true;
    void this.#refresh();
  }

  /** Checks GitHub now and schedules the next check. */
  async #refresh(): Promise<void> {
    try {
      await this.#checkGitHub();
      this.#github = { ok: true, detail: "the App authenticated" };
    } catch (error) {
      this.#github = { ok: false, detail: failure(error) };
    }
    if (this.#stopped) return;
    this.#timer = setTimeout(() => void this.#refresh(), this.#github.ok ? this.#refreshMs : this.#retryMs);
    // The timer must not keep a stopping process alive.
    this.#timer.unref();
  }

  /** The current state: GitHub's from the last check, Redis's from a ping now. */
  async report(): Promise<ReadinessReport> {
    this.start();
    const checks: Record<string, CheckState> = { github: this.#github };
    if (this.#pingRedis) {
      try {
        await this.#pingRedis();
        checks["redis"] = { ok: true, detail: "answered PING" };
      } catch (error) {
        checks["redis"] = { ok: false, detail: failure(error) };
      }
    }
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
  }
}
