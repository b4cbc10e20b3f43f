/**
 * One typed way to answer GitHub API requests in tests. Mocks are keyed by the route string of
 * @octokit/types `Endpoints`, so the reply status and body are typed from the route; every request
 * that reaches a mock is checked against GitHub's OpenAPI description (path, method, query, body),
 * and so is every reply. Violations fail the test in `afterEach`.
 *
 * GraphQL (POST /graphql) has its own pair, checked against GitHub's published GraphQL schema
 * (graphql-schema.ts): `graphql(operation, spec)` answers requests whose operation has that name
 * (or that a predicate accepts), `serveGraphql(operation, handler)` answers every request of
 * that operation for a stateful fake. For each request the document must parse and validate against the schema (no
 * unknown or deprecated field, every connection with `first`/`last` of 1-100), the variables must
 * fit the operation's variable types (none undeclared), and the reply's `data` must hold exactly
 * the selected fields with values of the schema's types (and each error's `path` name selected
 * fields). A request that does not validate is
 * answered as GitHub does (`{ errors }`, so the code under test sees no invented data) and fails
 * the test. Queries and mutations alike:
 *
 *   gh.graphql("TeamsOfUser", { variables: { org: "acme", login: "dev", after: null }, reply: { data: { organization: { ... } } } });
 *   gh.graphql((request) => request.query.includes("addComment"), { reply: { errors: [{ type: "FORBIDDEN", message: "..." }] } });
 *   gh.graphqlRequests("TeamsOfUser") // what was sent, in order
 */
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import type { Endpoints } from "@octokit/types";
import nock from "nock";
import { afterEach, expect } from "vitest";
import { checkGraphqlData, checkGraphqlErrorPath, checkGraphqlRequest, operationNameOf } from "./graphql-schema.js";
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

/** GraphQL's one endpoint; @octokit/types and the OpenAPI description leave it out. */
export const GRAPHQL_ROUTE = "POST /graphql";

/** One entry of a GraphQL reply's `errors`, as GitHub writes it (`type`: NOT_FOUND, FORBIDDEN, ...). */
export interface GraphqlError {
  message: string;
  type?: string;
  path?: (string | number)[];
  locations?: { line: number; column: number }[];
  extensions?: Record<string, unknown>;
}

/** A GraphQL request as the mock read it: `operation` is the name of the operation it runs. */
export interface GraphqlRequest {
  query: string;
  operation: string | undefined;
  variables: Record<string, unknown>;
}

export type GraphqlReply =
  /** HTTP 200: the data (null when the operation failed as a whole), and any field errors. */
  | { data: Record<string, unknown> | null; errors?: GraphqlError[]; headers?: Record<string, string> }
  /** HTTP 200 without data: the request was refused before it ran. */
  | { errors: GraphqlError[]; headers?: Record<string, string> }
  /** An answer of the HTTP layer (bad credentials, a rate limit, a server error). */
  | { status: 401 | 403 | 429 | 500 | 502 | 503 | 504; data: GitHubErrorBody; headers?: Record<string, string> }
  | { networkError: string };

export interface GraphqlSpec {
  /** Expected variables, exactly (after JSON: `undefined` ones are not sent). */
  variables?: Record<string, unknown>;
  reply: GraphqlReply | ((request: GraphqlRequest) => GraphqlReply);
  /** How many matching requests this answers (default 1). */
  times?: number;
}

export interface RecordedCall {
  route: Route | typeof GRAPHQL_ROUTE;
  /** For GraphQL, the operation's name. */
  operation?: string;
  /** For GraphQL, whether the operation reads (query) or writes (mutation). */
  operationType?: "query" | "mutation" | "subscription";
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
}

const violations: string[] = [];

/** Takes the violations found so far, so that the oracle's own tests can look at them. */
export function takeViolations(): string[] {
  return violations.splice(0);
}

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

  /** Answers GraphQL requests whose operation is named `operation` (or that the predicate accepts) with `spec.reply`. */
  graphql(operation: string | ((request: GraphqlRequest) => boolean), spec: GraphqlSpec): this {
    const accepts = (body: unknown) => {
      const request = readGraphqlRequest(body);
      if (!request) return false;
      if (spec.variables && !isDeepStrictEqual(request.variables, spec.variables)) return false;
      return typeof operation === "string" ? request.operation === operation : operation(request);
    };
    const answer = this.#answerGraphql((request) => (typeof spec.reply === "function" ? spec.reply(request) : spec.reply));
    nock(this.#origin)
      .intercept(this.#graphqlPath, "POST", (body: unknown) => accepts(body))
      .times(spec.times ?? 1)
      .reply((_uri, body, callback) => answer(body, callback));
    return this;
  }

  /**
   * Answers every GraphQL request running `operation` (or that the predicate accepts) with
   * `handler`'s reply, checked like `graphql`'s; may go unused, like `serve`. Fakes of different
   * operations sit side by side.
   */
  serveGraphql(operation: string | ((request: GraphqlRequest) => boolean), handler: (request: GraphqlRequest) => GraphqlReply): this {
    const answer = this.#answerGraphql(handler);
    const accepts = (body: unknown) => {
      const request = readGraphqlRequest(body);
      return request !== undefined && (typeof operation === "string" ? request.operation === operation : operation(request));
    };
    nock(this.#origin)
      .persist()
      .intercept(this.#graphqlPath, "POST", (body: unknown) => accepts(body))
      .optionally()
      .reply((_uri, body, callback) => answer(body, callback));
    return this;
  }

  /** GraphQL requests sent (those running `operation`, or all), in order. */
  graphqlRequests(operation?: string): GraphqlRequest[] {
    return this.calls
      .filter((c) => c.route === GRAPHQL_ROUTE && (operation === undefined || c.operation === operation))
      .map((c) => readGraphqlRequest(c.body) ?? { query: "", operation: undefined, variables: {} });
  }

  /** GitHub serves GraphQL beside the REST API: /graphql, or /api/graphql on GitHub Enterprise Server. */
  get #graphqlPath(): string {
    return this.#prefix.endsWith("/api/v3") ? `${this.#prefix.slice(0, -"/v3".length)}/graphql` : `${this.#prefix}/graphql`;
  }

  #answerGraphql(replyTo: (request: GraphqlRequest) => GraphqlReply) {
    const calls = this.calls;
    return (requestBody: unknown, callback: (error: NodeJS.ErrnoException | null, reply: nock.ReplyFnResult) => void) => {
      const body = parseBody(requestBody);
      const { problems, checked } = checkGraphqlRequest(body);
      violations.push(...problems);
      const request = readGraphqlRequest(body) ?? { query: "", operation: undefined, variables: {} };
      const record = (status: number) =>
        calls.push({
          route: GRAPHQL_ROUTE,
          operation: request.operation,
          ...(checked ? { operationType: checked.operation.operation } : {}),
          method: "POST",
          path: "/graphql",
          query: {},
          body,
          status,
        });
      const headers = { "content-type": "application/json; charset=utf-8" };
      if (!checked) {
        // What GitHub answers to a document it cannot run: errors, no data.
        record(200);
        return callback(null, [200, { errors: problems.map((message) => ({ message })) }, headers]);
      }
      let reply: GraphqlReply;
      try {
        reply = replyTo(request);
      } catch (error) {
        violations.push(`the fake for ${request.operation ?? "a GraphQL request"} failed: ${(error as Error).message}`);
        return callback(error as Error, undefined as never);
      }
      if ("networkError" in reply) {
        record(0);
        const failure = Object.assign(new Error(`${reply.networkError}: connection failed`), { code: reply.networkError });
        return callback(failure, undefined as never);
      }
      const status = "status" in reply ? reply.status : 200;
      record(status);
      if (!("status" in reply)) {
        if ("data" in reply) violations.push(...checkGraphqlData(checked, reply.data).map((p) => `reply ${p}`));
        for (const error of reply.errors ?? []) {
          if (typeof error.message !== "string" || error.message === "")
            violations.push(`${request.operation}: a GraphQL error needs a message`);
          if (error.path) violations.push(...checkGraphqlErrorPath(checked, error.path).map((p) => `reply ${request.operation}: ${p}`));
        }
        if (!("data" in reply) && (reply.errors ?? []).length === 0)
          violations.push(`${request.operation}: a reply without data needs errors`);
      }
      const { headers: extra, ...payload } = reply;
      const sent = "status" in reply ? reply.data : payload;
      return callback(null, [status, sent as nock.Body, { ...headers, ...(extra ?? {}) }]);
    };
  }

  /** Request bodies sent to `route`, in order, typed from the route's parameters. */
  bodies<R extends Route>(route: R): Partial<RouteParams<R>>[] {
    return this.calls.filter((c) => c.route === route).map((c) => c.body as Partial<RouteParams<R>>);
  }

  /** How many requests reached `route` (or any route). */
  count(route?: Route | typeof GRAPHQL_ROUTE): number {
    return route ? this.calls.filter((c) => c.route === route).length : this.calls.length;
  }

  /** `METHOD /path` of every call, for readable assertions on what the app did. */
  log(): string[] {
    return this.calls.map((c) => `${c.method} ${c.route.split(" ")[1]}`);
  }
}

function readGraphqlRequest(body: unknown): GraphqlRequest | undefined {
  const fields = parseBody(body) as { query?: unknown; variables?: unknown; operationName?: unknown } | undefined;
  if (!fields || typeof fields !== "object" || typeof fields.query !== "string") return undefined;
  const variables = fields.variables && typeof fields.variables === "object" ? (fields.variables as Record<string, unknown>) : {};
  const named = typeof fields.operationName === "string" ? fields.operationName : undefined;
  return { query: fields.query, operation: operationNameOf(fields.query, named), variables };
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
