/**
 * Times the App's handling of one `/provision` webhook for a 15-file template, from
 * `probot.receive` to the status comment and reaction, with GitHub answered in-process (a fake
 * `fetch`), so the figure excludes GitHub's own latency. Prints the median and p90.
 * Run the built file: `node dist/bench/webhook-bench.js`.
 */
import { performance } from "node:perf_hooks";
import { join } from "node:path";
import { Probot, ProbotOctokit } from "probot";
import { BUILTIN_TEMPLATES_DIR, readTextTree } from "../adapters/local/read-builtin-catalog.js";
import { loadCatalog, type Catalog } from "../core/catalog/load-catalog.js";
import { createAppDeps, registerHandlers } from "../handlers/register-handlers.js";
import { BENCH_CONFIG, provisionCommentPayload } from "./provision-request-fixture.js";

const WARMUP = 30;
const RUNS = 300;

/** web-service at size medium renders 10 manifests and the Application; four small extras make 15. */
async function fifteenFileCatalog(): Promise<Catalog> {
  const files = await readTextTree(BUILTIN_TEMPLATES_DIR);
  const extras = ["extra-0.yaml", "extra-1.yaml", "extra-2.yaml", "extra-3.yaml"];
  const template = files.get("web-service/template.yaml") ?? "";
  files.set("web-service/template.yaml", template.replace(/^files:\n/m, `files:\n${extras.map((e) => `  - ${e}\n`).join("")}`));
  for (const [i, extra] of extras.entries()) {
    files.set(
      `web-service/${extra}`,
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \${{ values.name }}-extra-${i}\n  namespace: \${{ environment.namespace }}\ndata:\n  index: "${i}"\n`,
    );
  }
  const { catalog, problems } = loadCatalog({ files, root: "templates" });
  if (problems.length > 0) throw new Error(`bench catalog: ${problems.map((p) => p.message).join("; ")}`);
  return catalog;
}

/** Files written by the last provision (the entries of its one tree), to report what was measured. */
let writtenFiles = 0;

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8" } });
}

/** GitHub, answered instantly: a first provision every time (no status comment, new branch). */
const fakeGitHub: typeof fetch = async (input, init) => {
  const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
  const method = (init?.method ?? "GET").toUpperCase();
  const path = url.pathname;
  const sha = "0123456789abcdef0123456789abcdef01234567";
  if (path.endsWith("/contents/.github%2Fgitops-bot.yml"))
    return new Response(BENCH_CONFIG, { status: 200, headers: { "content-type": "application/vnd.github.raw; charset=utf-8" } });
  if (path.includes("/collaborators/")) return json(200, { permission: "write", role_name: "write", user: null });
  // Requests act only for their own team: alice is a member of the team she asks for.
  if (path.includes("/teams/payments/memberships/")) return json(200, { state: "active", role: "member", url: "" });
  if (path.endsWith("/comments") && method === "GET") return json(200, []);
  if (path.includes("/git/ref/"))
    return json(200, { ref: "refs/heads/main", node_id: "x", url: "", object: { sha, type: "commit", url: "" } });
  if (path.includes("/git/trees/"))
    return json(200, { sha, url: "", truncated: false, tree: [{ path: "README.md", mode: "100644", type: "blob", sha, url: "" }] });
  if (path.endsWith("/git/trees")) {
    writtenFiles = (JSON.parse(String(init?.body ?? "{}")) as { tree?: unknown[] }).tree?.length ?? 0;
    return json(201, { sha, url: "", tree: [] });
  }
  if (path.endsWith("/git/commits")) return json(201, { sha, url: "", html_url: "", tree: { sha, url: "" }, parents: [] });
  if (path.endsWith("/git/refs"))
    return json(201, { ref: "refs/heads/x", node_id: "x", url: "", object: { sha, type: "commit", url: "" } });
  if (path.endsWith("/pulls") && method === "POST")
    return json(201, { number: 7, html_url: "https://github.com/acme/gitops/pull/7", title: "t", body: "b" });
  if (path.endsWith("/labels")) return json(200, []);
  if (path.endsWith("/comments") && method === "POST") return json(201, { id: 1, body: "" });
  if (path.endsWith("/reactions")) return json(201, { id: 1, content: "rocket" });
  return json(404, { message: `bench: no fake for ${method} ${path}`, documentation_url: "" });
};

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? 0;
}

async function main(): Promise<void> {
  const catalog = await fifteenFileCatalog();
  const Octokit = ProbotOctokit.defaults((options: { throttle?: object; retry?: object }) => ({
    ...options,
    retry: { enabled: false },
    throttle: { ...options.throttle, enabled: false },
  }));
  const probot = new Probot({ githubToken: "bench", Octokit, logLevel: "fatal", request: { fetch: fakeGitHub } });
  await probot.load((app: Probot) =>
    registerHandlers(app, { ...createAppDeps(app.log, { manifestCacheBytes: 0 }), catalog: async () => catalog }),
  );
  const times: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const start = performance.now();
    await probot.receive({
      id: `bench-${i}`,
      name: "issue_comment",
      payload: provisionCommentPayload({ issue: i + 1, commentId: 101 + i, size: "medium" }),
    } as unknown as Parameters<Probot["receive"]>[0]);
    if (i >= WARMUP) times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = percentile(times, 0.5);
  console.log(
    `webhook handling median (${writtenFiles}-file template: ${join("templates", "web-service")} at medium + 4 ConfigMaps, GitHub answered in-process): ${median.toFixed(1)} ms (p90 ${percentile(times, 0.9).toFixed(1)} ms, n=${RUNS}; target < 50 ms)`,
  );
}

await main();
