/**
 * GitHub's official OpenAPI description (from @octokit/openapi) as a test oracle: every request the
 * app sends in tests, and every reply a test gives, is checked against it. Loaded once per worker;
 * schemas are compiled lazily and cached.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule, { type FormatsPlugin } from "ajv-formats";

const require = createRequire(import.meta.url);
// ajv-formats is CommonJS with a default export; under NodeNext the import is its namespace.
const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? addFormatsModule) as unknown as FormatsPlugin;

interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: unknown;
  "x-multi-segment"?: boolean;
}
interface MediaType {
  schema?: unknown;
}
interface Response {
  content?: Record<string, MediaType>;
}
interface Operation {
  operationId: string;
  parameters?: (Parameter | { $ref: string })[];
  requestBody?: { required?: boolean; content: Record<string, MediaType> };
  responses: Record<string, Response | { $ref: string }>;
}
interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { parameters: Record<string, Parameter>; responses: Record<string, Response>; schemas: Record<string, unknown> };
}

export interface SpecOperation {
  /** `METHOD /path/{template}` as in @octokit/types Endpoints. */
  route: string;
  method: string;
  template: string;
  operation: Operation;
  parameters: Parameter[];
  pattern: RegExp;
  pathParams: string[];
  literalSegments: number;
}

const METHODS = ["get", "post", "put", "patch", "delete"];

let state: { spec: Spec; operations: SpecOperation[]; byRoute: Map<string, SpecOperation>; ajv: Ajv; paramAjv: Ajv } | null = null;
const compiled = new Map<string, ValidateFunction>();

function resolve<T>(spec: Spec, value: T | { $ref: string }): T {
  if (value && typeof value === "object" && "$ref" in value) {
    const parts = value.$ref.replace(/^#\//, "").split("/");
    let node: unknown = spec;
    for (const part of parts) node = (node as Record<string, unknown>)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
    return node as T;
  }
  return value;
}

/**
 * OpenAPI 3.0 `nullable` without `type` (beside allOf/anyOf) is not JSON Schema; ajv refuses it.
 * Rewrites it as "this, or null", which is what GitHub means.
 */
function normalizeNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normalizeNullable);
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = key === "example" || key === "examples" ? value : normalizeNullable(value);
  if (out.nullable === true && out.type === undefined) {
    delete out.nullable;
    return { anyOf: [out, { type: "null" }] };
  }
  // ajv reads `nullable` beside `type`, but an `enum` must list null itself (a queued check run's `conclusion`).
  if (out.nullable === true && Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...(out.enum as unknown[]), null];
  return out;
}

/** Keys that only document; the checks never read them. */
const PROSE = new Set(["description", "summary", "example", "examples", "externalDocs", "x-github", "x-octokit", "tags", "deprecated"]);
/** Maps whose keys are names chosen by GitHub (a property may well be called `description`). */
const NAMED = new Set([
  "properties",
  "patternProperties",
  "paths",
  "schemas",
  "parameters",
  "responses",
  "headers",
  "content",
  "definitions",
]);

function stripProse(node: unknown, parentKey = ""): unknown {
  if (Array.isArray(node)) return node.map((item) => stripProse(item));
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (!NAMED.has(parentKey) && PROSE.has(key)) continue;
    out[key] = stripProse(value, key);
  }
  return out;
}

/**
 * The description without its prose (13 MB -> 3 MB), cached under node_modules/.cache per package
 * version: every test file runs in a fresh worker, and parsing the full file costs ~0.5 s each time.
 */
function readSpec(): Spec {
  const version = (require("@octokit/openapi/package.json") as { version: string }).version;
  const cacheDir = join(dirname(require.resolve("@octokit/openapi/package.json")), "..", "..", ".cache", "gitops-bot-openapi");
  const cacheFile = join(cacheDir, `api.github.com-${version}-v3.json`);
  try {
    return JSON.parse(readFileSync(cacheFile, "utf8")) as Spec;
  } catch {
    const full = require("@octokit/openapi/generated/api.github.com.json") as Spec;
    const spec = normalizeNullable({
      paths: stripProse(full.paths, "paths"),
      components: stripProse({
        parameters: full.components.parameters,
        responses: full.components.responses,
        schemas: full.components.schemas,
      }),
    }) as Spec;
    mkdirSync(cacheDir, { recursive: true });
    // Two workers may race: write aside, then rename (atomic on one file system).
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(spec));
    renameSync(temporary, cacheFile);
    return spec;
  }
}

function load() {
  if (state) return state;
  const spec = readSpec();
  const operations: SpecOperation[] = [];
  for (const [template, item] of Object.entries(spec.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const parameters = (operation.parameters ?? []).map((p) => resolve<Parameter>(spec, p));
      const pathParams: string[] = [];
      const source = template
        .split("/")
        .map((segment) =>
          segment.replace(/\{([^}]+)\}|[^{]+/g, (whole, name?: string) => {
            if (name === undefined) return whole.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
            pathParams.push(name);
            return parameters.find((p) => p.name === name)?.["x-multi-segment"] ? "(.+)" : "([^/]+)";
          }),
        )
        .join("/");
      operations.push({
        route: `${method.toUpperCase()} ${template}`,
        method: method.toUpperCase(),
        template,
        operation,
        parameters,
        pattern: new RegExp(`^${source}$`),
        pathParams,
        literalSegments: template.split("/").filter((s) => s !== "" && !s.includes("{")).length,
      });
    }
  }
  // A literal segment beats a parameter: `/git/ref/{ref}` must not be read as `/{owner}/{repo}`-like wildcards.
  operations.sort((a, b) => b.literalSegments - a.literalSegments);
  const options = { strict: false, allErrors: true, validateSchema: false } as const;
  const ajv = new Ajv(options);
  addFormats(ajv);
  const paramAjv = new Ajv({ ...options, coerceTypes: true });
  state = { spec, operations, byRoute: new Map(operations.map((o) => [o.route, o])), ajv, paramAjv };
  return state;
}

/** The operation GitHub documents for `route` (`GET /repos/{owner}/{repo}`), or undefined. */
export function findRoute(route: string): SpecOperation | undefined {
  return load().byRoute.get(route);
}

/** The operation that serves `method` + `path` (a raw request path, without the API prefix). */
export function matchRequest(method: string, path: string): { operation: SpecOperation; params: Record<string, string> } | undefined {
  for (const operation of load().operations) {
    if (operation.method !== method.toUpperCase()) continue;
    const match = operation.pattern.exec(path);
    if (!match) continue;
    const params: Record<string, string> = {};
    operation.pathParams.forEach((name, i) => (params[name] = decodeURIComponent(match[i + 1] ?? "")));
    return { operation, params };
  }
  return undefined;
}

function schemaValidator(key: string, schema: unknown, forParams = false): ValidateFunction {
  const cacheKey = `${forParams ? "p" : "b"}:${key}`;
  let validate = compiled.get(cacheKey);
  if (!validate) {
    const { ajv, paramAjv } = load();
    const target = forParams ? paramAjv : ajv;
    validate = target.compile(withComponents(target, schema ?? {}));
    compiled.set(cacheKey, validate);
  }
  return validate;
}

const COMPONENT_REF = /"\$ref":"#\/components\/schemas\/([^"]+)"/g;
const registered = new WeakMap<Ajv, Set<string>>();

/**
 * Registers, once per ajv instance, only the component schemas `schema` reaches (GitHub's has
 * ~1,000; registering all of them costs more than the few a test run needs).
 */
function withComponents(ajv: Ajv, schema: unknown): object {
  const done = registered.get(ajv) ?? new Set<string>();
  registered.set(ajv, done);
  const { spec } = load();
  const rewrite = (value: unknown) =>
    JSON.parse(JSON.stringify(value).replace(COMPONENT_REF, (_, name: string) => `"$ref":"gh-schema-${name}"`)) as object;
  const pending = [JSON.stringify(schema)];
  while (pending.length > 0) {
    for (const match of (pending.pop() ?? "").matchAll(COMPONENT_REF)) {
      const name = match[1]!;
      if (done.has(name)) continue;
      done.add(name);
      const component = spec.components.schemas[name];
      pending.push(JSON.stringify(component));
      ajv.addSchema({ ...rewrite(component), $id: `gh-schema-${name}` });
    }
  }
  return rewrite(schema);
}

function describe(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 5)
    .map(
      (e) =>
        `${e.instancePath || "(root)"} ${e.message ?? ""}${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`,
    )
    .join("; ");
}

/** Problems GitHub would have with this request: unknown route, unknown query parameter, bad body. */
export function checkRequest(params: { method: string; path: string; query: Record<string, string>; body: unknown }): string[] {
  const found = matchRequest(params.method, params.path);
  if (!found) return [`GitHub has no ${params.method} ${params.path}`];
  const { operation } = found;
  const problems: string[] = [];
  for (const [name, value] of Object.entries(params.query)) {
    const declared = operation.parameters.find((p) => p.in === "query" && p.name === name);
    if (!declared) {
      problems.push(`${operation.route}: unknown query parameter \`${name}\``);
      continue;
    }
    const holder = { value };
    const validate = schemaValidator(`${operation.route}?${name}`, { type: "object", properties: { value: declared.schema ?? {} } }, true);
    if (!validate(holder)) problems.push(`${operation.route}: query \`${name}=${value}\`: ${describe(validate.errors)}`);
  }
  const requestBody = operation.operation.requestBody;
  const hasBody = params.body !== undefined && params.body !== "";
  if (!requestBody) {
    if (hasBody) problems.push(`${operation.route} takes no request body`);
  } else if (!hasBody) {
    if (requestBody.required) problems.push(`${operation.route} requires a request body`);
  } else {
    const schema = requestBody.content["application/json"]?.schema;
    if (schema) {
      const validate = schemaValidator(`${operation.route} body`, schema);
      if (!validate(params.body)) problems.push(`${operation.route}: body GitHub would reject: ${describe(validate.errors)}`);
    }
  }
  return problems;
}

/**
 * Answers any route may give, which GitHub documents once for the whole API rather than per
 * operation: rate limits (403 or 429, https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api)
 * and server errors. Their body is GitHub's `basic-error`.
 */
const API_WIDE_STATUSES = new Set([429, 500, 502, 503, 504]);

function isApiWideAnswer(status: number, body: unknown): boolean {
  if (API_WIDE_STATUSES.has(status)) return true;
  const message = (body as { message?: unknown } | undefined)?.message;
  return status === 403 && typeof message === "string" && /rate limit/i.test(message);
}

/** Problems with a reply a test gives: a status GitHub does not document, or a body of the wrong shape. */
export function checkResponse(params: { route: string; status: number; body: unknown; raw: boolean }): string[] {
  const operation = findRoute(params.route);
  if (!operation) return [`GitHub has no ${params.route}`];
  const apiWide = isApiWideAnswer(params.status, params.body) ? { $ref: "#/components/responses/forbidden" } : undefined;
  const declared = operation.operation.responses[String(params.status)] ?? operation.operation.responses.default ?? apiWide;
  if (!declared)
    return [`${params.route} never answers ${params.status} (documented: ${Object.keys(operation.operation.responses).join(", ")})`];
  if (params.raw) return [];
  const response = resolve<Response>(load().spec, declared);
  const schema = response.content?.["application/json"]?.schema;
  if (!schema) return [];
  const validate = schemaValidator(`${params.route} ${params.status}`, schema);
  return validate(params.body)
    ? []
    : [`${params.route} ${params.status}: reply body does not match GitHub's schema: ${describe(validate.errors)}`];
}
