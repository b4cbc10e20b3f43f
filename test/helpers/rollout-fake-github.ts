/**
 * GitHub answered in-process through Octokit's `fetch` option, for figures at a scale nock makes
 * slow (hundreds of requests): a GitOps repository at two commits, its blobs and archive, and the
 * writes of upgrade pull requests. Every request is counted by route. The shapes it answers are
 * checked against GitHub's OpenAPI description by the nock tests of the same flows
 * (test/handlers/rollout.test.ts); this fake carries only the fields the App reads.
 */
import { gitBlobSha } from "../../src/adapters/git-blob-sha.js";
import type { BaseFile } from "./github-scenario.js";
import { makeTarball } from "./tarball.js";

export class RolloutFakeGitHub {
  readonly calls: string[] = [];
  readonly #commits = new Map<string, BaseFile[]>();
  readonly #blobs = new Map<string, string>();
  #next = 1;

  constructor(readonly params: { head: string; commits: Record<string, BaseFile[]>; config: string; statusComments: Map<number, string> }) {
    for (const [sha, files] of Object.entries(params.commits)) {
      this.#commits.set(sha, files);
      for (const file of files) this.#blobs.set(gitBlobSha(file.content), file.content);
    }
  }

  /** Requests per `METHOD /route` pattern (numbers and SHAs folded). */
  count(pattern: RegExp): number {
    return this.calls.filter((c) => pattern.test(c)).length;
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const method = (init?.method ?? "GET").toUpperCase();
    const path = url.pathname;
    this.calls.push(`${method} ${path}`);
    const json = (status: number, body: unknown) =>
      new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8" } });
    const body = () => JSON.parse(String(init?.body ?? "{}")) as Record<string, unknown>;
    const sha = () => (this.#next++).toString(16).padStart(40, "c");
    let match: RegExpExecArray | null;
    if (path.endsWith("/contents/.github%2Fgitops-bot.yml"))
      return new Response(this.params.config, { status: 200, headers: { "content-type": "application/vnd.github.raw; charset=utf-8" } });
    if (path.includes("/git/ref/"))
      return json(200, { ref: "refs/heads/main", node_id: "x", url: "", object: { sha: this.params.head, type: "commit", url: "" } });
    if ((match = /\/git\/trees\/([0-9a-f]{40})$/.exec(path))) {
      const files = this.#commits.get(match[1]!) ?? [];
      return json(200, {
        sha: match[1],
        url: "",
        truncated: false,
        tree: files.map((f) => ({ path: f.path, mode: "100644", type: "blob", sha: gitBlobSha(f.content), url: "" })),
      });
    }
    if ((match = /\/git\/blobs\/([0-9a-f]{40})$/.exec(path)))
      return json(200, {
        sha: match[1],
        content: Buffer.from(this.#blobs.get(match[1]!) ?? "").toString("base64"),
        encoding: "base64",
        url: "",
        size: 0,
        node_id: "x",
      });
    // GitHub redirects to its download host and fetch follows: the archive is the answer.
    if ((match = /\/tarball\/([0-9a-f]{40})$/.exec(path))) {
      const archive = makeTarball(this.#commits.get(match[1]!) ?? [], { top: `acme-gitops-${match[1]!.slice(0, 7)}` });
      return new Response(new Uint8Array(archive), { status: 200, headers: { "content-type": "application/x-gzip" } });
    }
    if (path.endsWith("/issues") && method === "GET") return json(200, []);
    if (path.endsWith("/pulls") && method === "GET") return json(200, []);
    if (path.endsWith("/git/trees") && method === "POST") return json(201, { sha: sha(), url: "", tree: [] });
    if (path.endsWith("/git/commits")) return json(201, { sha: sha(), url: "", html_url: "", tree: { sha: sha(), url: "" }, parents: [] });
    if (path.endsWith("/git/refs"))
      return json(201, { ref: String(body().ref), node_id: "x", url: "", object: { sha: sha(), type: "commit", url: "" } });
    if (path.endsWith("/pulls") && method === "POST") {
      const number = this.#next++;
      return json(201, { number, html_url: `https://github.com/acme/gitops/pull/${number}`, title: body().title, body: body().body });
    }
    if (path.endsWith("/labels")) return json(200, []);
    if ((match = /\/issues\/(\d+)\/comments$/.exec(path)) && method === "GET") {
      const text = this.params.statusComments.get(Number(match[1]));
      return json(200, text === undefined ? [] : [{ id: Number(match[1]), body: text, user: { login: "gitops-bot[bot]", type: "Bot" } }]);
    }
    if (/\/issues\/comments\/\d+$/.test(path) && method === "PATCH") return json(200, { id: 1, body: body().body });
    return json(404, { message: `fake GitHub: no answer for ${method} ${path}`, documentation_url: "" });
  };
}
