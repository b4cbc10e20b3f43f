/**
 * `npm run bench` (issue 16): a `/provision` comment handled by the App, then the same delivery
 * again, against an in-process GitHub that remembers what was written (comments, reactions, the
 * branch, the pull request). Prints the requests and the writes of the redelivery (target: 0
 * writes). Run the built file: `node dist/bench/redelivery-bench.js`.
 */
import { Probot, ProbotOctokit } from "probot";
import { gitTreeSha } from "../adapters/github/git-tree-sha.js";
import { createAppDeps, registerHandlers } from "../handlers/register-handlers.js";
import { BENCH_CONFIG, provisionCommentPayload } from "./provision-request-fixture.js";

const BASE_COMMIT = "ba5e000000000000000000000000000000000001";
const BASE_ENTRIES = [{ path: "README.md", mode: "100644", type: "blob" as const, sha: "0123456789abcdef0123456789abcdef01234567" }];
const BOT = { login: "gitops-bot[bot]", type: "Bot", id: 9 };

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8" } });
}

/** GitHub, answered in-process, remembering every write of the provision flow. */
interface FakeRequest {
  method: string;
  path: string;
  url: URL;
  body: Record<string, unknown>;
}

class StatefulGitHub {
  readonly log: { method: string; path: string }[] = [];
  readonly #comments: { id: number; body: string }[] = [];
  readonly #reactions = new Set<string>();
  readonly #trees = new Map<string, string>();
  readonly #commits = new Map<string, string>();
  readonly #branches = new Map<string, string>();
  readonly #pulls: { number: number; head: string; title: string; body: string }[] = [];
  #ids = 500;

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const method = (init?.method ?? "GET").toUpperCase();
    const path = decodeURIComponent(url.pathname);
    this.log.push({ method, path });
    const body = init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : {};
    return this.#answer({ method, path, url, body });
  };

  #answer(params: FakeRequest): Response {
    return (
      this.#answerRequestsRepo(params) ??
      this.#answerGitopsRepo(params) ??
      json(404, { message: `bench: no fake for ${params.method} ${params.path}`, documentation_url: "" })
    );
  }

  /** The requests repository's side: configuration, permissions, the issue's comments and their reactions. */
  #answerRequestsRepo(params: FakeRequest): Response | undefined {
    const { method, path, url, body } = params;
    // The App's own login (once per process), by which it knows its own reactions.
    if (path === "/app") return json(200, { slug: "gitops-bot", id: 1, name: "gitops-bot" });
    if (path === "/repos/acme/requests/contents/.github/gitops-bot.yml")
      return new Response(BENCH_CONFIG, { status: 200, headers: { "content-type": "application/vnd.github.raw; charset=utf-8" } });
    if (path.endsWith("/permission")) return json(200, { permission: "write", role_name: "write", user: null });
    if (path === "/orgs/acme/teams/payments/memberships/alice") return json(200, { state: "active", role: "member", url: "" });
    if (path.endsWith("/issues/12/comments") && method === "GET")
      return json(
        200,
        this.#comments.map((c) => ({ ...c, user: BOT })),
      );
    if (path.endsWith("/issues/12/comments") && method === "POST") {
      const comment = { id: this.#ids++, body: String(body.body) };
      this.#comments.push(comment);
      return json(201, { ...comment, user: BOT });
    }
    const edit = /\/issues\/comments\/(\d+)$/.exec(path);
    if (edit && method === "PATCH") {
      const comment = this.#comments.find((c) => c.id === Number(edit[1]));
      if (comment) comment.body = String(body.body);
      return json(200, { ...comment, user: BOT });
    }
    const reactions = /\/issues\/comments\/(\d+)\/reactions$/.exec(path);
    if (reactions && method === "POST") {
      this.#reactions.add(`${reactions[1]}:${String(body.content)}`);
      return json(201, { id: 1, content: body.content, user: BOT });
    }
    if (reactions)
      return json(
        200,
        this.#reactions.has(`${reactions[1]}:${url.searchParams.get("content")}`)
          ? [{ id: 1, content: url.searchParams.get("content"), user: BOT }]
          : [],
      );
    return undefined;
  }

  /** The GitOps repository's side: git data, branches and pull requests. */
  #answerGitopsRepo(params: FakeRequest): Response | undefined {
    const { method, path, url, body } = params;
    if (path === "/repos/acme/gitops/git/ref/heads/main")
      return json(200, { ref: "refs/heads/main", node_id: "x", url: "", object: { sha: BASE_COMMIT, type: "commit", url: "" } });
    if (path === `/repos/acme/gitops/git/trees/${BASE_COMMIT}`)
      return json(200, {
        sha: "7ree000000000000000000000000000000000001",
        url: "",
        truncated: false,
        tree: BASE_ENTRIES.map((e) => ({ ...e, size: 10, url: "" })),
      });
    if (path === "/repos/acme/gitops/git/trees" && method === "POST") {
      const changes = ((body.tree ?? []) as { path: string; sha?: string | null; content?: string }[]).map((t) => ({
        path: t.path,
        content: t.sha === null ? null : (t.content ?? ""),
      }));
      const sha = gitTreeSha({ entries: BASE_ENTRIES, changes });
      this.#trees.set(sha, sha);
      return json(201, { sha, url: "", tree: [] });
    }
    if (path === "/repos/acme/gitops/git/commits" && method === "POST") {
      const sha = `c0${String(this.#ids++).padStart(38, "0")}`;
      this.#commits.set(sha, String(body.tree));
      return json(201, { sha, url: "", html_url: "", tree: { sha: body.tree, url: "" }, parents: [] });
    }
    if (path === "/repos/acme/gitops/git/refs" && method === "POST") {
      this.#branches.set(String(body.ref).replace(/^refs\/heads\//, ""), String(body.sha));
      return json(201, { ref: body.ref, node_id: "x", url: "", object: { sha: body.sha, type: "commit", url: "" } });
    }
    const branch = /^\/repos\/acme\/gitops\/branches\/(.+)$/.exec(path);
    if (branch) {
      const commit = this.#branches.get(branch[1] ?? "");
      if (!commit) return json(404, { message: "Branch not found", documentation_url: "" });
      return json(200, {
        name: branch[1],
        commit: { sha: commit, commit: { tree: { sha: this.#commits.get(commit) } } },
        protected: false,
      });
    }
    if (path === "/repos/acme/gitops/pulls" && method === "GET") {
      const head = url.searchParams.get("head")?.replace(/^acme:/, "");
      const pulls = this.#pulls.filter((p) => p.head === head);
      return json(
        200,
        pulls.map((p) => ({
          ...p,
          html_url: `https://github.com/acme/gitops/pull/${p.number}`,
          labels: [{ name: "gitops-bot" }],
          requested_reviewers: [],
          requested_teams: [],
        })),
      );
    }
    if (path === "/repos/acme/gitops/pulls" && method === "POST") {
      const pull = { number: 7, head: String(body.head), title: String(body.title), body: String(body.body) };
      this.#pulls.push(pull);
      return json(201, { ...pull, html_url: "https://github.com/acme/gitops/pull/7" });
    }
    if (path.endsWith("/labels")) return json(200, []);
    return undefined;
  }
}

async function main(): Promise<void> {
  const github = new StatefulGitHub();
  const Octokit = ProbotOctokit.defaults((options: { throttle?: object; retry?: object }) => ({
    ...options,
    retry: { enabled: false },
    throttle: { ...options.throttle, enabled: false },
  }));
  const probot = new Probot({ githubToken: "bench", Octokit, logLevel: "fatal", request: { fetch: github.fetch } });
  await probot.load((app: Probot) => registerHandlers(app, createAppDeps(app.log)));
  const event = {
    id: "delivery-1",
    name: "issue_comment",
    payload: provisionCommentPayload({ issue: 12, commentId: 9001, size: "small" }),
  } as never;
  await probot.receive(event);
  const first = github.log.length;
  const firstWrites = github.log.filter((r) => r.method !== "GET").length;
  await probot.receive(event);
  const again = github.log.slice(first);
  const writes = again.filter((r) => r.method !== "GET");
  // Once more: the App's login is known by now (GET /app is asked once per process).
  await probot.receive(event);
  const third = github.log.slice(first + again.length);
  process.stdout.write(
    `redelivery bench: a /provision comment handled (${first} GitHub requests, ${firstWrites} writes), then the same delivery again: ` +
      `${again.length} requests (${again.filter((r) => r.path === "/app").length} of them GET /app, the App's login, once per process; the next redelivery ${third.length}), ` +
      `${writes.length} writes (target 0) ${writes.length === 0 ? "OK" : `OVER TARGET: ${writes.map((w) => `${w.method} ${w.path}`).join(", ")}`}\n`,
  );
}

await main();
