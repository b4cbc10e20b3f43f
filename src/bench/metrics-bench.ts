/**
 * What the App's metrics cost. (1) A /metrics scrape of the App's registry holding 1,000 series
 * (prom-client's text format, as Prometheus reads it). (2) The handling time the metrics add to a
 * webhook: the same handler, making as many GitHub requests as a provision (12), delivered to two
 * Probots (App key, one Octokit per delivery, as in production), one with the App's instrumented
 * handler registration and Prometheus telemetry, one with Probot's plain `on`; GitHub answers
 * in-process. Deliveries alternate between the two; prints medians and their difference.
 * Run the built file: `node dist/bench/metrics-bench.js`.
 */
import { generateKeyPairSync } from "node:crypto";
import { performance } from "node:perf_hooks";
import { Probot, ProbotOctokit, type Context } from "probot";
import { GitHubGateway } from "../adapters/github/gateway.js";
import { PrometheusTelemetry } from "../adapters/metrics/prometheus-telemetry.js";
import { instrumentedOn } from "../handlers/instrumented-on.js";
import { SOLE_REPLICA } from "../ports.js";
import { DeliveryMemory } from "../workflows/redeliver-failed.js";

const SCRAPES = 300;
const WARMUP = 200;
const RUNS = 2000;
const ROUTES = [
  "/repos/{owner}/{repo}/contents/{path}",
  "/repos/{owner}/{repo}/collaborators/{username}/permission",
  "/repos/{owner}/{repo}/issues/{issue_number}/comments",
  "/orgs/{org}/teams/{team_slug}/memberships/{username}",
  "/repos/{owner}/{repo}/git/ref/{ref}",
  "/repos/{owner}/{repo}/git/trees/{tree_sha}",
];
const WRITES = [
  "/repos/{owner}/{repo}/git/trees",
  "/repos/{owner}/{repo}/git/commits",
  "/repos/{owner}/{repo}/git/refs",
  "/repos/{owner}/{repo}/pulls",
  "/repos/{owner}/{repo}/issues/{issue_number}/labels",
  "/repos/{owner}/{repo}/issues/{issue_number}/comments",
];

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? 0;
}

/** Fills a registry the way a busy installation base would, until it holds at least `target` series. */
function busyTelemetry(target: number): { telemetry: PrometheusTelemetry; series: () => Promise<number> } {
  const telemetry = new PrometheusTelemetry();
  for (const event of ["issues", "issue_comment", "pull_request", "check_suite", "check_run", "status", "deployment_status", "push"]) {
    for (const action of ["opened", "edited", "labeled", "created", "closed", "synchronize"]) {
      for (const outcome of ["handled", "failed", "ignored", "duplicate"] as const)
        telemetry.webhook({ event, action, outcome, seconds: 0.2 });
    }
  }
  for (const route of [...ROUTES, ...WRITES]) {
    for (const status of [200, 201, 304, 404, 422, 500, 502])
      telemetry.githubRequest({ method: WRITES.includes(route) ? "POST" : "GET", route, status, seconds: 0.1 });
  }
  for (let policy = 0; policy < 60; policy++) telemetry.policyCheck({ conclusion: "failure", findings: [{ policy: `policy-${policy}` }] });
  const series = async () => (await telemetry.scrape()).body.split("\n").filter((l) => l !== "" && !l.startsWith("#")).length;
  return {
    telemetry,
    series: async () => {
      // Installations fill the rest: one rate limit gauge each.
      for (let installation = 1; (await series()) < target; installation++) telemetry.rateLimitRemaining({ installation, remaining: 4000 });
      return series();
    },
  };
}

async function scrapeBench(): Promise<void> {
  const { telemetry, series } = busyTelemetry(1000);
  const count = await series();
  const times: number[] = [];
  for (let i = 0; i < SCRAPES + 50; i++) {
    const start = performance.now();
    await telemetry.scrape();
    if (i >= 50) times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  console.log(
    `/metrics scrape of ${count} series: median ${percentile(times, 0.5).toFixed(2)} ms, p95 ${percentile(times, 0.95).toFixed(2)} ms (n=${SCRAPES}; target < 5 ms)`,
  );
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "x-ratelimit-remaining": "4999" },
  });
}

/** GitHub, answered at once: an installation token, then any request. */
let answered = 0;
const fakeGitHub: typeof fetch = async (input) => {
  answered++;
  const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
  if (url.pathname.endsWith("/access_tokens")) return json(201, { token: "ghs_bench", expires_at: "2099-01-01T00:00:00Z" });
  return json(200, {});
};

/** As many GitHub requests as a provision, through the gateway: 6 reads, 6 writes. */
async function provisionLike(context: Context<"issue_comment.created">): Promise<void> {
  const gateway = new GitHubGateway({ octokit: context.octokit, owner: "acme", repo: "requests" });
  for (let i = 0; i < 6; i++) await gateway.people.getPermission("alice");
  for (let i = 0; i < 6; i++) await gateway.issues.react({ issueNumber: 1 }, "rocket");
}

function payload(i: number) {
  const user = { login: "alice", type: "User", id: 2 };
  return {
    action: "created",
    installation: { id: 1 },
    repository: { id: 1, name: "requests", full_name: "acme/requests", owner: { login: "acme", type: "Organization" } },
    sender: user,
    issue: { number: i, labels: [] },
    comment: { id: i, user, body: "/provision small" },
  };
}

async function overheadBench(): Promise<void> {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const Octokit = ProbotOctokit.defaults((options: { throttle?: object; retry?: object }) => ({
    ...options,
    retry: { enabled: false },
    throttle: { ...options.throttle, enabled: false },
  }));
  const make = () => new Probot({ appId: 1, privateKey, Octokit, logLevel: "fatal", request: { fetch: fakeGitHub } });
  const plain = make();
  await plain.load((app: Probot) => app.on("issue_comment.created", provisionLike));
  const measured = make();
  const telemetry = new PrometheusTelemetry();
  await measured.load((app: Probot) =>
    instrumentedOn(app, { telemetry, claims: SOLE_REPLICA, deliveries: new DeliveryMemory() })("issue_comment.created", provisionLike),
  );

  const times = { plain: [] as number[], measured: [] as number[] };
  for (let i = 0; i < WARMUP + RUNS; i++) {
    for (const [name, probot] of i % 2 === 0
      ? ([
          ["plain", plain],
          ["measured", measured],
        ] as const)
      : ([
          ["measured", measured],
          ["plain", plain],
        ] as const)) {
      const start = performance.now();
      await probot.receive({ id: `bench-${name}-${i}`, name: "issue_comment", payload: payload(i) } as unknown as Parameters<
        Probot["receive"]
      >[0]);
      if (i >= WARMUP) times[name].push(performance.now() - start);
    }
  }
  times.plain.sort((a, b) => a - b);
  times.measured.sort((a, b) => a - b);
  const plainMedian = percentile(times.plain, 0.5);
  const measuredMedian = percentile(times.measured, 0.5);
  const counted = (await telemetry.scrape()).body
    .split("\n")
    .filter((l) => l.startsWith("gitops_bot_github_requests_total{"))
    .reduce((sum, l) => sum + Number(l.split(" ").at(-1)), 0);
  console.log(
    `handling a webhook with 12 GitHub requests: plain ${plainMedian.toFixed(3)} ms, with metrics, log bindings and claims ${measuredMedian.toFixed(3)} ms median; ` +
      `the metrics add ${(measuredMedian - plainMedian).toFixed(3)} ms per webhook (p90 ${percentile(times.plain, 0.9).toFixed(3)} vs ${percentile(times.measured, 0.9).toFixed(3)} ms; n=${RUNS} each, ${answered} GitHub requests answered, ${counted} counted; target < 0.5 ms)`,
  );
}

await scrapeBench();
await overheadBench();
