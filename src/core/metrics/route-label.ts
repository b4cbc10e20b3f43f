/**
 * Route templates without a placeholder that the App may call. Anything else without a `{…}` is a
 * raw path or URL (the next page of a list, a URL from a reply) and could carry owner, repository
 * or branch names: it is counted under one label so the series stay bounded.
 */
const STATIC_ROUTES: ReadonlySet<string> = new Set([
  "/",
  "/app",
  "/app/installations",
  "/graphql",
  "/installation/repositories",
  "/meta",
  "/rate_limit",
  "/user",
]);

/** The label of a request made from an absolute URL whose route template is not known. */
export const ABSOLUTE_URL_ROUTE = "(absolute url)";
/** The label of any other request that was not made from a route template. */
export const OTHER_ROUTE = "(other)";

const TEMPLATE = /^\/[A-Za-z0-9_./{}-]*$/;

/**
 * The bounded label of a GitHub API request: its route template as Octokit received it
 * (`/repos/{owner}/{repo}/git/trees`), never the expanded path, which holds user input.
 * @param url `options.url` of an Octokit request, before its parameters are expanded.
 */
export function routeLabel(url: string): string {
  if (/^https?:\/\//i.test(url)) return ABSOLUTE_URL_ROUTE;
  const path = url.split("?")[0] ?? "";
  if (!TEMPLATE.test(path) || path.length > 120) return OTHER_ROUTE;
  if (path.includes("{")) return path;
  return STATIC_ROUTES.has(path) ? path : OTHER_ROUTE;
}

const METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]);

/** An HTTP method label from a fixed set. */
export function methodLabel(method: string | undefined): string {
  const upper = (method ?? "GET").toUpperCase();
  return METHODS.has(upper) ? upper : "OTHER";
}
