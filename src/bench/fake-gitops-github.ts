/**
 * An in-process GitHub for the pull request benchmark: one GitOps repository whose commits are
 * file maps, answered through the `fetch` Probot's Octokit calls, with every request counted. It
 * serves what the policy check asks (config, trees, blobs, archives, the comparison, file lists,
 * Check Runs, team memberships by REST and a person's teams by GraphQL) from the commits it was
 * given, and nothing else (404).
 */
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";

const CONFIG = "gitops:\n  baseBranch: main\n";

/** One request as the fake saw it. */
export interface FakeRequest {
  method: string;
  path: string;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", ...headers } });
}

function blobSha(text: string): string {
  return createHash("sha1")
    .update(`blob ${Buffer.byteLength(text)}\0`)
    .update(text)
    .digest("hex");
}

function tarHeader(name: string, size: number, type: string): Buffer {
  const block = Buffer.alloc(512);
  const put = (offset: number, text: string) => block.write(text, offset, "utf8");
  put(0, name);
  put(100, "0000644\0");
  put(108, "0000000\0");
  put(116, "0000000\0");
  put(124, `${size.toString(8).padStart(11, "0")}\0`);
  put(136, "00000000000\0");
  put(148, "        ");
  put(156, type);
  put(257, "ustar\0");
  put(263, "00");
  let sum = 0;
  for (const byte of block) sum += byte;
  put(148, `${sum.toString(8).padStart(6, "0")}\0 `);
  return block;
}

/** The commit as `git archive` writes it (short paths only: the benchmark's are). */
function tarball(files: ReadonlyMap<string, string>, top: string): Buffer {
  const blocks: Buffer[] = [tarHeader(`${top}/`, 0, "5")];
  for (const [path, text] of files) {
    const data = Buffer.from(text, "utf8");
    blocks.push(tarHeader(`${top}/${path}`, data.length, "0"), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks), { level: 1 });
}

export class FakeGitOpsGitHub {
  readonly requests: FakeRequest[] = [];
  readonly #commits = new Map<string, ReadonlyMap<string, string>>();
  readonly #blobs = new Map<string, string>();
  readonly #trees = new Map<string, string>();
  /** Merge bases by `base...head`. */
  readonly #mergeBases = new Map<string, string>();

  /** Adds a commit: its files by path (its tree is listed by the commit's SHA, as GitHub answers it). */
  commit(sha: string, files: ReadonlyMap<string, string>): void {
    this.#commits.set(sha, files);
    const tree = [...files].map(([path, text]) => {
      const blob = blobSha(text);
      this.#blobs.set(blob, text);
      return { path, mode: "100644", type: "blob", sha: blob, size: Buffer.byteLength(text), url: "" };
    });
    this.#trees.set(sha, JSON.stringify({ sha, url: "", truncated: false, tree }));
  }

  /** Requests from `from` on, as `METHOD /path` without the repository prefix. */
  since(from: number): FakeRequest[] {
    return this.requests.slice(from);
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const method = (init?.method ?? "GET").toUpperCase();
    const path = decodeURIComponent(url.pathname).replace(/^\/repos\/acme\/gitops/, "");
    this.requests.push({ method, path });
    if (path === "/graphql" && method === "POST") return this.#graphql(typeof init?.body === "string" ? init.body : "");
    return this.#answer({ method, path, url });
  };

  /** The one GraphQL query the check sends, TeamsOfUser: alice is in every app team, pat in the platform team only. */
  #graphql(body: string): Response {
    const { query, variables } = JSON.parse(body) as { query?: string; variables?: { org?: string; login?: string } };
    if (!query?.includes("query TeamsOfUser") || variables?.org !== "acme")
      return json(200, { errors: [{ message: "fake GitHub: only TeamsOfUser for acme is answered" }] });
    const slugs = variables.login === "pat" ? ["platform"] : Array.from({ length: 25 }, (_, i) => `team-${i}`);
    const nodes = slugs.map((slug) => ({ slug, ancestors: { nodes: [], pageInfo: { hasNextPage: false } } }));
    return json(200, { data: { organization: { teams: { nodes, pageInfo: { hasNextPage: false, endCursor: null } } } } });
  }

  #answer(params: { method: string; path: string; url: URL }): Response {
    const { method, path, url } = params;
    if (path === "/contents/.github/gitops-bot.yml")
      return new Response(CONFIG, { status: 200, headers: { "content-type": "application/vnd.github.raw; charset=utf-8" } });
    const tree = /^\/git\/trees\/([0-9a-f]{40})$/.exec(path);
    if (tree && method === "GET") return this.#tree(tree[1] ?? "");
    const blob = /^\/git\/blobs\/([0-9a-f]{40})$/.exec(path);
    if (blob) return this.#blob(blob[1] ?? "");
    const archive = /^\/tarball\/([0-9a-f]{40})$/.exec(path);
    if (archive) {
      const files = this.#commits.get(archive[1] ?? "");
      if (!files) return json(404, { message: "Not Found", documentation_url: "" });
      return new Response(tarball(files, `acme-gitops-${(archive[1] ?? "").slice(0, 7)}`), {
        status: 200,
        headers: { "content-type": "application/x-gzip" },
      });
    }
    const compare = /^\/compare\/([0-9a-f]{40})\.\.\.([0-9a-f]{40})$/.exec(path);
    if (compare) return this.#compare(compare[1] ?? "", compare[2] ?? "");
    const files = /^\/pulls\/(\d+)\/files$/.exec(path);
    if (files) return this.#pullFiles(url);
    if (path === "/check-runs" && method === "POST")
      return json(201, { id: 1, status: "in_progress", head_sha: "", name: "gitops-bot / policies" });
    if (path.startsWith("/check-runs/") && method === "PATCH")
      return json(200, { id: 1, status: "completed", head_sha: "", name: "gitops-bot / policies" });
    // alice belongs to every app team and is no platform admin; pat is in the platform team only.
    const membership = /^\/orgs\/acme\/teams\/([^/]+)\/memberships\/([^/]+)$/.exec(url.pathname);
    if (membership)
      return (membership[1] === "platform") === (membership[2] === "pat")
        ? json(200, { state: "active", role: "member", url: "" })
        : json(404, { message: "Not Found", documentation_url: "" });
    return json(404, { message: `fake GitHub: nothing for ${method} ${path}`, documentation_url: "" });
  }

  #tree(sha: string): Response {
    const tree = this.#trees.get(sha);
    if (tree === undefined) return json(404, { message: "Not Found", documentation_url: "" });
    return new Response(tree, { status: 200, headers: { "content-type": "application/json; charset=utf-8" } });
  }

  #blob(sha: string): Response {
    const text = this.#blobs.get(sha);
    if (text === undefined) return json(404, { message: "Not Found", documentation_url: "" });
    return json(200, {
      sha,
      size: Buffer.byteLength(text),
      url: "",
      node_id: "",
      encoding: "base64",
      content: Buffer.from(text).toString("base64"),
    });
  }

  /** `base...head`: the merge base (the base commit itself: the heads branch off it) and no file list asked for. */
  #compare(base: string, head: string): Response {
    if (!this.#commits.has(base) || !this.#commits.has(head)) return json(404, { message: "Not Found", documentation_url: "" });
    const mergeBase = this.#mergeBases.get(`${base}...${head}`) ?? base;
    return json(200, {
      status: "ahead",
      ahead_by: 1,
      behind_by: 0,
      total_commits: 1,
      merge_base_commit: { sha: mergeBase, commit: { tree: { sha: mergeBase } } },
      base_commit: { sha: base },
      commits: [],
      files: [],
    });
  }

  /** The file list GitHub pages through, 100 a page (what the check read before issue 16). */
  #pullFiles(url: URL): Response {
    const page = Number(url.searchParams.get("page") ?? "1");
    const listed = this.listed.slice((page - 1) * 100, page * 100).map((filename) => ({
      filename,
      status: "modified",
      sha: "",
      additions: 1,
      deletions: 1,
      changes: 2,
      blob_url: "",
      raw_url: "",
      contents_url: "",
    }));
    const more = page * 100 < this.listed.length;
    return json(
      200,
      listed,
      more ? { link: `<https://api.github.com/repos/acme/gitops/pulls/1/files?per_page=100&page=${page + 1}>; rel="next"` } : {},
    );
  }

  /** The changed paths the pull request's file list shows. */
  listed: string[] = [];
}
