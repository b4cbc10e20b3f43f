/**
 * One typed way to answer GitHub API requests in tests. Mocks are keyed by the route string of
 * @octokit/types `Endpoints`, so the reply status and body are typed from the route; every request
 * that reaches a mock is checked against GitHub's OpenAPI description (path, method, query, body),
 * and so is every reply. Violations fail the test in `afterEach`.
 */
import { readFileSync } from "node:fs";
import type { Endpoints } from "@octokit/types";
import nock from "nock";
import { afterEach, expect } from "vitest";
import { checkRequest, checkResponse, findRoute, matchRequest } from "./openapi.js";

export type Route = keyof Endpoints;
type PathParamNames<S> = S extends `${string}{${infer P}}${infer Rest}` ? P | PathParamNames<Rest> : never;
export type RouteParams<R extends Route> = Endpoints[R]["parameters"];
export type ReplyData<R extends Route> = Endpoints[R]["response"]["data"];
type ReservedKeys = "headers" | "request" | "mediaType" | "baseUrl" | "method" | "url";
type QueryKeys<R extends Route> = Exclude<keyof RouteParams<R>, PathParamNames<R> | ReservedKeys>;

/** GitHub's error body (`basic-error` / `validation-error`). */
export interface GitHubErrorBody {
  message: string;
  documentation_url: string;
  status?: string;
  errors?: ({ resource?: string; field?: string; code: string; message?: string } | string)[];
}

export type MockReply<R extends Route> =
  | { status: Endpoints[R]["response"]["status"]; data: ReplyData<R>; headers?: Record<string, string> }
  /** Octokit's `mediaType: { format: "raw" }` (Probot's config loader): the file's bytes. */
  | { status: 200; raw: string }
  | {
      status: 301 | 304 | 400 | 401 | 403 | 404 | 405 | 409 | 410 | 422 | 429 | 500 | 502 | 503 | 504;
      data: GitHubErrorBody;
      headers?: Record<string, string>;
    }
  /** No answer at all: the connection fails with this error code (ECONNRESET, ETIMEDOUT). */
  | { networkError: string };

export interface MockSpec<R extends Route> {
  params: { [K in PathParamNames<R>]: string | number };
  /** Expected query string, exactly (pagination sends `per_page`). */
  query?: { [K in QueryKeys<R>]?: string | number | boolean } & { page?: number };
  /** The reply, or a function of the request that builds it (a fake GitHub that computes SHAs). */
  reply: MockReply<R> | ((request: { body: Partial<RouteParams<R>>; query: Record<string, string> }) => MockReply<R>);
  /** How many identical requests this answers (default 1). */
  times?: number;
}

export interface RecordedCall {
  route: Route;
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
}

const violations: string[] = [];

afterEach(() => {
  const found = violations.splice(0);
  expect(found, "requests or replies that GitHub's OpenAPI description does not allow").toEqual([]);
});

/** Like Octokit's url-template: reserved characters, `/` included, are percent-encoded in path parameters. */
function encodeParam(value: string | number): string {
  return encodeURIComponent(String(value)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function parseBody(body: unknown): unknown {
  if (typeof body !== "string") return body;
  if (body === "") return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

export class GitHubMock {
  readonly calls: RecordedCall[] = [];
  readonly #origin: string;
  readonly #prefix: string;

  constructor(readonly baseUrl = "https://api.github.com") {
    const url = new URL(baseUrl);
    this.#origin = url.origin;
    this.#prefix = url.pathname.replace(/\/+$/, "");
  }

  /** Answers one request (or `times`) of `route` with `spec.reply`. */
  on<R extends Route>(route: R, spec: MockSpec<R>): this {
    const documented = findRoute(route);
    if (!documented) throw new Error(`GitHub's OpenAPI description has no ${route}`);
    const [method, template] = route.split(" ") as [string, string];
    const params = spec.params as Record<string, string | number>;
    const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
      const value = params[name];
      if (value === undefined) throw new Error(`${route}: missing path parameter ${name}`);
      return encodeParam(value);
    });
    const scope = nock(this.#origin);
    let interceptor = scope.intercept(`${this.#prefix}${path}`, method);
    if (spec.query) interceptor = interceptor.query(Object.fromEntries(Object.entries(spec.query).map(([k, v]) => [k, String(v)])));
    const calls = this.calls;
    const prefix = this.#prefix;
    if (typeof spec.reply === "object" && "networkError" in spec.reply) {
      const code = spec.reply.networkError;
      interceptor.times(spec.times ?? 1).replyWithError({ code, message: `${code}: connection failed` });
      // nock answers an error without asking us: the call is counted when the request leaves.
      const path = `${prefix}${template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeParam(params[name] ?? ""))}`;
      scope.on("request", () => calls.push({ route, method, path: path.slice(prefix.length), query: {}, body: undefined, status: 0 }));
      return this;
    }
    interceptor.times(spec.times ?? 1).reply(function (uri, requestBody) {
      const url = new URL(uri, "https://api.invalid");
      const rawPath = url.pathname.slice(prefix.length);
      const query = Object.fromEntries(url.searchParams.entries());
      const body = parseBody(requestBody);
      const reply = typeof spec.reply === "function" ? spec.reply({ body: body ?? {}, query }) : spec.reply;
      if ("networkError" in reply) throw new Error("a network error cannot come from a reply function");
      const matched = matchRequest(method, rawPath);
      if (matched && matched.operation.route !== route)
        violations.push(`mock for ${route} answered a request GitHub serves as ${matched.operation.route}`);
      violations.push(...checkRequest({ method, path: rawPath, query, body }));
      const accept = String(this.req.headers.accept ?? "");
      const raw = "raw" in reply;
      if (raw && !accept.includes("raw"))
        violations.push(`${route}: a raw reply was given to a request that did not ask for the raw media type`);
      violations.push(...checkResponse({ route, status: reply.status, body: raw ? undefined : reply.data, raw }));
      calls.push({ route, method, path: rawPath, query, body, status: reply.status });
      if (raw) return [200, reply.raw, { "content-type": "application/vnd.github.raw; charset=utf-8" }];
      return [reply.status, reply.data as nock.Body, { "content-type": "application/json; charset=utf-8", ...(reply.headers ?? {}) }];
    });
    return this;
  }

  /**
   * A route of a stateful fake GitHub (races, fault injection, redelivery): answers every request
   * GitHub would serve as `route`, whatever its path parameters, with `handler`'s reply. Requests
   * and replies are checked against OpenAPI like `on`'s; unlike `on`'s, the route may go unused,
   * since a fake server cannot know in advance what a run will ask. `networkError` fails the
   * connection.
   */
  serve<R extends Route>(
    route: R,
    handler: (request: { params: Record<string, string>; body: Partial<RouteParams<R>>; query: Record<string, string> }) => MockReply<R>,
  ): this {
    const [method] = route.split(" ") as [string, string];
    const prefix = this.#prefix;
    const calls = this.calls;
    const pathOf = (uri: string) => new URL(uri, "https://api.invalid").pathname.slice(prefix.length);
    const documented = findRoute(route);
    if (!documented) throw new Error(`GitHub's OpenAPI description has no ${route}`);
    // The route's own pattern first (cheap); the full lookup only settles overlaps between routes.
    const serves = (path: string) => documented.pattern.test(path) && matchRequest(method, path)?.operation.route === route;
    nock(this.#origin)
      .persist()
      .intercept((uri: string) => uri.startsWith(prefix) && serves(pathOf(uri)), method)
      .optionally()
      .reply(function (uri, requestBody, callback) {
        const url = new URL(uri, "https://api.invalid");
        const rawPath = pathOf(uri);
        const query = Object.fromEntries(url.searchParams.entries());
        const body = parseBody(requestBody);
        const params = matchRequest(method, rawPath)?.params ?? {};
        violations.push(...checkRequest({ method, path: rawPath, query, body }));
        let reply: MockReply<R>;
        try {
          const answered = handler({ params, body: body ?? {}, query });
          if (typeof answered === "function") throw new Error("serve handlers return a reply");
          reply = answered;
        } catch (error) {
          violations.push(`the fake for ${route} failed: ${(error as Error).message}`);
          return callback(error as Error, undefined as never);
        }
        if ("networkError" in reply) {
          calls.push({ route, method, path: rawPath, query, body, status: 0 });
          return callback(
            Object.assign(new Error(`${reply.networkError}: connection failed`), { code: reply.networkError }),
            undefined as never,
          );
        }
        calls.push({ route, method, path: rawPath, query, body, status: reply.status });
        if ("raw" in reply) {
          violations.push(...checkResponse({ route, status: reply.status, body: undefined, raw: true }));
          return callback(null, [200, reply.raw, { "content-type": "application/vnd.github.raw; charset=utf-8" }]);
        }
        violations.push(...checkResponse({ route, status: reply.status, body: reply.data, raw: false }));
        return callback(null, [
          reply.status,
          reply.data as nock.Body,
          { "content-type": "application/json; charset=utf-8", ...(reply.headers ?? {}) },
        ]);
      });
    return this;
  }

  /** Request bodies sent to `route`, in order, typed from the route's parameters. */
  bodies<R extends Route>(route: R): Partial<RouteParams<R>>[] {
    return this.calls.filter((c) => c.route === route).map((c) => c.body as Partial<RouteParams<R>>);
  }

  /** How many requests reached `route` (or any route). */
  count(route?: Route): number {
    return route ? this.calls.filter((c) => c.route === route).length : this.calls.length;
  }

  /** `METHOD /path` of every call, for readable assertions on what the app did. */
  log(): string[] {
    return this.calls.map((c) => `${c.method} ${c.route.split(" ")[1]}`);
  }
}

const fixtureCache = new Map<string, unknown>();

/**
 * A stored reply body (test/fixtures/github/<name>.json, taken from GitHub's documented examples),
 * deep-cloned and shallow-merged with `overrides`.
 */
export function fixture<R extends Route>(_route: R, name: string, overrides: Partial<ReplyData<R>> = {}): ReplyData<R> {
  let base = fixtureCache.get(name);
  if (base === undefined) {
    base = JSON.parse(readFileSync(new URL(`../fixtures/github/${name}.json`, import.meta.url), "utf8")) as unknown;
    fixtureCache.set(name, base);
  }
  const clone = structuredClone(base) as ReplyData<R>;
  return (Array.isArray(clone) ? clone : { ...(clone as object), ...(overrides as object) }) as ReplyData<R>;
}

/** GitHub's error body for a status. */
export function githubError(message: string, errors?: GitHubErrorBody["errors"]): GitHubErrorBody {
  return { message, documentation_url: "https://docs.github.com/rest", ...(errors ? { errors } : {}) };
}
