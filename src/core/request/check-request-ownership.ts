import type { BotConfig } from "../config/bot-config.schema.js";
import { problem, type Problem } from "../problems.js";
import { codeSpan } from "../report/markdown.js";
import { parseYamlDocuments } from "../yaml/parse-yaml-documents.js";

/** The three values that identify a request's target. */
export interface RequestIdentity {
  team: string;
  name: string;
  environment: string;
}

/**
 * Why a request's names could be read as another request's, or null. Branches, Application files
 * and Application names join team, name and environment with `-`, which names contain too:
 * `payments` + `api-gateway` and `payments-api` + `gateway` both read `payments-api-gateway`. The
 * longer team (or environment) keeps the reading, so the request whose name reaches into it is
 * refused: with team `payments-api` configured, team `payments` cannot use a name starting with
 * `api-`; with environment `dev-prod` configured, no name in `prod` ends with `-dev`.
 */
export function findNameClash(params: { identity: RequestIdentity; config: Pick<BotConfig, "teams" | "environments"> }): Problem | null {
  const { team, name, environment } = params.identity;
  for (const other of Object.keys(params.config.teams)) {
    const rest = other.startsWith(`${team}-`) ? other.slice(team.length + 1) : null;
    if (rest === null || !name.startsWith(`${rest}-`)) continue;
    const theirs = name.slice(rest.length + 1);
    return problem(
      "request.ambiguous-name",
      `Team ${codeSpan(team, 40)} with name ${codeSpan(name, 60)} reads the same as team ${codeSpan(other, 40)} with name ${codeSpan(theirs, 60)} (${codeSpan(`${team}-${name}`, 100)}), so both would share one branch and one Argo CD Application.`,
      { path: "name", hint: `Choose a name that does not start with \`${rest}-\`.` },
    );
  }
  for (const other of Object.keys(params.config.environments)) {
    const rest = other.endsWith(`-${environment}`) ? other.slice(0, -(environment.length + 1)) : null;
    if (rest === null || !name.endsWith(`-${rest}`)) continue;
    const theirs = name.slice(0, -(rest.length + 1));
    return problem(
      "request.ambiguous-name",
      `Name ${codeSpan(name, 60)} in environment ${codeSpan(environment, 40)} reads the same as name ${codeSpan(theirs, 60)} in environment ${codeSpan(other, 40)} (${codeSpan(`${name}-${environment}`, 100)}), so both would share one branch and one Argo CD Application.`,
      { path: "name", hint: `Choose a name that does not end with \`-${rest}\`.` },
    );
  }
  return null;
}

function labelsOf(value: unknown): Record<string, unknown> {
  const metadata = value !== null && typeof value === "object" ? (value as { metadata?: unknown }).metadata : undefined;
  const labels = metadata !== null && typeof metadata === "object" ? (metadata as { labels?: unknown }).labels : undefined;
  return labels !== null && typeof labels === "object" ? (labels as Record<string, unknown>) : {};
}

/**
 * The first existing file among a request's paths that the bot wrote for another request, as a
 * problem; null when all are the request's own (or written by hand). Every object the bot renders
 * carries `app.kubernetes.io/part-of` (team), `…/name` and `…/instance` (`name-environment`), so a
 * file whose labels name someone else belongs to that request, whatever layout put it there.
 */
export function findForeignFile(params: { files: ReadonlyMap<string, string>; identity: RequestIdentity }): Problem | null {
  const { team, name, environment } = params.identity;
  for (const [path, text] of [...params.files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const document of parseYamlDocuments({ file: path, text }).documents) {
      const labels = labelsOf(document.value);
      if (labels["app.kubernetes.io/managed-by"] !== "gitops-bot") continue;
      const theirs = {
        team: labels["app.kubernetes.io/part-of"],
        name: labels["app.kubernetes.io/name"],
        instance: labels["app.kubernetes.io/instance"],
      };
      if (theirs.team === team && theirs.name === name && theirs.instance === `${name}-${environment}`) continue;
      const owner = `${String(theirs.team ?? "?")}/${String(theirs.instance ?? theirs.name ?? "?")}`;
      return problem(
        "request.paths-taken",
        `${codeSpan(path, 300)} already belongs to another request (${codeSpan(owner, 100)}), so this request may not write or delete it.`,
        {
          file: path,
          hint: "Choose another name; if the file is really this request's, ask the platform team to fix its labels.",
        },
      );
    }
  }
  return null;
}

/** The size an Application file on the base branch was rendered in (its `gitops-bot.dev/size` label), or null. */
export function recordedSize(text: string): string | null {
  for (const document of parseYamlDocuments({ file: "application.yaml", text }).documents) {
    const size = labelsOf(document.value)["gitops-bot.dev/size"];
    if (typeof size === "string" && /^[a-z0-9][a-z0-9-]{0,30}$/.test(size)) return size;
  }
  return null;
}
