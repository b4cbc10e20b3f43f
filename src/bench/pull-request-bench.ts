/**
 * `npm run bench` (issue 16): the App's pull request check driven end to end, webhook to Check Run,
 * against an in-process GitHub (`fake-gitops-github.ts`) that counts every request:
 * - a one-file pull request in a repository of 20,000 manifests, warm (the process checked the
 *   repository before): the App's CPU time and its GitHub requests;
 * - a 3,000-file pull request: GitHub requests before the annotations (the Check Run updates).
 * Run the built file: `node dist/bench/pull-request-bench.js`.
 */
import { Probot, ProbotOctokit } from "probot";
import { createAppDeps, registerHandlers } from "../handlers/register-handlers.js";
import { LruCache } from "../core/lru-cache.js";
import { FakeGitOpsGitHub, type FakeRequest } from "./fake-gitops-github.js";
import { appFile, OBJECTS_PER_APP } from "./generate-manifests.js";

const MANIFESTS = 20_000;
const WARM_RUNS = 5;
const BIG_PULL_REQUEST = 3_000;
const TARGET_CPU_MS = 500;
const TARGET_REQUESTS = 10;
const TARGET_BIG_REQUESTS = 12;

let commits = 0;
const nextSha = () => (++commits).toString(16).padStart(40, "0");

function payload(params: { number: number; head: string; base: string; author: string }) {
  const owner = { login: "acme", type: "Organization", id: 1 };
  const repository = {
    id: 1,
    name: "gitops",
    full_name: "acme/gitops",
    html_url: "https://github.com/acme/gitops",
    default_branch: "main",
    owner,
  };
  const user = { login: params.author, type: "User", id: 2 };
  return {
    action: "synchronize",
    number: params.number,
    installation: { id: 1, node_id: "x" },
    repository,
    sender: user,
    pull_request: {
      number: params.number,
      state: "open",
      user,
      body: "",
      requested_reviewers: [],
      requested_teams: [],
      head: { sha: params.head, ref: "change", repo: repository },
      base: { sha: params.base, ref: "main", repo: repository },
    },
  };
}

function describe(requests: readonly FakeRequest[]): string {
  const counts = new Map<string, number>();
  for (const r of requests) {
    const route = `${r.method} ${r.path
      .replace(/[0-9a-f]{40}/g, "{sha}")
      .replace(/\/\d+\//g, "/{n}/")
      .replace(/\/(check-runs)\/\d+$/, "/$1/{id}")}`;
    counts.set(route, (counts.get(route) ?? 0) + 1);
  }
  return [...counts].map(([route, n]) => `${n}x ${route}`).join(", ");
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function main(): Promise<void> {
  const github = new FakeGitOpsGitHub();
  const Octokit = ProbotOctokit.defaults((options: { throttle?: object; retry?: object }) => ({
    ...options,
    retry: { enabled: false },
    throttle: { ...options.throttle, enabled: false },
  }));
  const probot = new Probot({ githubToken: "bench", Octokit, logLevel: "fatal", request: { fetch: github.fetch } });
  const deps = createAppDeps(probot.log);
  await probot.load((app: Probot) => registerHandlers(app, deps));
  let delivery = 0;
  const check = async (params: { head: string; base: string; author?: string }) => {
    const from = github.requests.length;
    const cpu = process.cpuUsage();
    const start = performance.now();
    await probot.receive({
      id: `bench-${++delivery}`,
      name: "pull_request",
      payload: payload({ number: delivery, author: "alice", ...params }),
    } as never);
    const used = process.cpuUsage(cpu);
    return { requests: github.since(from), cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - start };
  };

  // The repository: 2,000 app folders of ten objects each, and one pull request per measured change.
  const apps = MANIFESTS / OBJECTS_PER_APP;
  const base = new Map<string, string>();
  for (let index = 0; index < apps; index++) base.set(`apps/team-${index % 25}/app-${index}/app.yaml`, appFile(index));
  const baseSha = nextSha();
  github.commit(baseSha, base);
  const change = (indexes: readonly number[], revision: number) => {
    const head = new Map(base);
    for (const index of indexes) head.set(`apps/team-${index % 25}/app-${index}/app.yaml`, appFile(index, revision));
    const sha = nextSha();
    github.commit(sha, head);
    github.listed = indexes.map((index) => `apps/team-${index % 25}/app-${index}/app.yaml`);
    return sha;
  };

  // Cold: the first check of the repository in this process reads and parses all of it.
  const cold = await check({ head: change([1], 1), base: baseSha });
  const warm: Awaited<ReturnType<typeof check>>[] = [];
  for (let run = 0; run < WARM_RUNS; run++) warm.push(await check({ head: change([2 + run * 25], 2 + run), base: baseSha }));
  const warmCpu = median(warm.map((w) => w.cpuMs));
  const warmRequests = Math.max(...warm.map((w) => w.requests.length));
  const last = warm[warm.length - 1];
  const cache = deps.checkCaches.manifests;
  const kept =
    cache instanceof LruCache
      ? `${cache.size.toLocaleString("en-US")} files, estimated ${(cache.weight / 2 ** 20).toFixed(0)} MiB of its ${(cache.maxWeight / 2 ** 20).toFixed(0)} MiB bound`
      : "not an LRU";
  const heap = process.memoryUsage().heapUsed / 2 ** 20;

  // 3,000 changed files across every team's folders (a new image registry, say): 26 candidate teams
  // (the platform team and 25 owners), so one GraphQL query lists the author's teams, whoever the
  // author is: a platform engineer, or a member of the 25 teams, printed beside it.
  const changed = Array.from({ length: BIG_PULL_REQUEST }, (_, i) => i);
  const bigHead = change(changed, 99);
  const big = await check({ head: bigHead, base: baseSha, author: "pat" });
  const annotations = big.requests.filter((r) => r.method === "PATCH" && r.path.startsWith("/check-runs/"));
  const beforeAnnotations = big.requests.length - annotations.length;
  const byMember = await check({ head: bigHead, base: baseSha });
  const memberships = (requests: readonly FakeRequest[]) => requests.filter((r) => r.path.includes("/memberships/")).length;
  const teamQueries = (requests: readonly FakeRequest[]) => requests.filter((r) => r.path === "/graphql").length;
  const byMemberBefore = byMember.requests.filter((r) => !(r.method === "PATCH" && r.path.startsWith("/check-runs/"))).length;

  const lines = [
    `pull request bench: the App's check from webhook to Check Run, GitHub answered in-process; ${MANIFESTS.toLocaleString("en-US")} manifests in ${apps.toLocaleString("en-US")} files`,
    `  first check of the repository (cold): ${cold.requests.length} GitHub requests, CPU ${cold.cpuMs.toFixed(0)} ms, wall ${cold.wallMs.toFixed(0)} ms`,
    `  one-file pull request, warm: CPU median ${warmCpu.toFixed(0)} ms of ${WARM_RUNS} (${warm.map((w) => w.cpuMs.toFixed(0)).join(", ")}; target <= ${TARGET_CPU_MS} ms) ${warmCpu <= TARGET_CPU_MS ? "OK" : "OVER TARGET"}; ` +
      `wall median ${median(warm.map((w) => w.wallMs)).toFixed(0)} ms`,
    `  parsed manifests kept across checks: ${kept}; the whole process's heap ${heap.toFixed(0)} MiB`,
    `  one-file pull request, warm: ${warmRequests} GitHub requests (target <= ${TARGET_REQUESTS}) ${warmRequests <= TARGET_REQUESTS ? "OK" : "OVER TARGET"}: ${last ? describe(last.requests) : ""}`,
    `  ${BIG_PULL_REQUEST.toLocaleString("en-US")}-file pull request by a platform engineer: ${beforeAnnotations} GitHub requests before the annotations (target <= ${TARGET_BIG_REQUESTS}) ${beforeAnnotations <= TARGET_BIG_REQUESTS ? "OK" : "OVER TARGET"}, ` +
      `then ${annotations.length} Check Run updates (the annotation cap); ${describe(big.requests.filter((r) => !annotations.includes(r)))}`,
    `  the same change by a member of the 25 teams it touches (its files parsed by the run above): ${byMemberBefore} GitHub requests before the annotations (target <= ${TARGET_BIG_REQUESTS}) ${byMemberBefore <= TARGET_BIG_REQUESTS ? "OK" : "OVER TARGET"}: ` +
      `${teamQueries(byMember.requests)} GraphQL query for all the author's teams, ${memberships(byMember.requests)} REST team memberships (GitHub's REST API lists no user's teams to an App: it would take one per team, 26)`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

await main();
