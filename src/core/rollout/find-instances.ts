import type { BotConfig } from "../config/bot-config.schema.js";
import { problem, type Problem } from "../problems.js";
import { MAX_APPLICATION_BYTES, TEMPLATE_ANNOTATION } from "../request/application-annotations.js";
import { parseRecordedRequest, type RecordedRequest } from "../request/recorded-request.js";
import { parseYamlDocuments } from "../yaml/parse-yaml-documents.js";

/** One request living in the GitOps repository: its Application file and what it records. */
export interface Instance {
  /** Path of its Argo CD Application file: the instance's identity. */
  application: string;
  request: RecordedRequest;
}

/**
 * The files that may be a request's Application, from the configured `gitops.applicationPath`
 * (`argocd/{environment}/{team}-{name}.yaml`): each placeholder stands for one path segment or
 * part of one. Other files are never read.
 */
export function selectApplicationPaths(params: { paths: readonly string[]; config: BotConfig }): string[] {
  const pattern = params.config.gitops.applicationPath
    .split(/(\{(?:team|name|environment|template)\})/)
    .map((part, i) => (i % 2 === 1 ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  const regex = new RegExp(`^${pattern}$`);
  return params.paths.filter((p) => regex.test(p)).sort();
}

/**
 * Reads an Application file's text into an instance. A file that is not an Application the bot
 * rendered is not an instance (null, no problem); one the bot rendered whose recorded request is
 * missing or invalid is a problem, so a rollout says which instances it could not reach.
 */
export function parseInstance(params: { path: string; text: string }): {
  instance: Instance | null;
  template: string | null;
  problems: Problem[];
} {
  const parsed = parseYamlDocuments({
    file: params.path,
    text: params.text,
    limits: { maxBytes: MAX_APPLICATION_BYTES, maxDocuments: 2, maxAliases: 0 },
  });
  const documents = parsed.documents.filter((d) => d.value !== null && d.value !== undefined);
  if (parsed.problems.length > 0 || documents.length !== 1) return { instance: null, template: null, problems: [] };
  const object = documents[0]!.value as {
    apiVersion?: unknown;
    kind?: unknown;
    metadata?: { annotations?: Record<string, unknown> };
  } | null;
  const isApplication =
    typeof object?.apiVersion === "string" && object.apiVersion.startsWith("argoproj.io/") && object.kind === "Application";
  const template = object?.metadata?.annotations?.[TEMPLATE_ANNOTATION];
  if (!isApplication || typeof template !== "string") return { instance: null, template: null, problems: [] };
  const recorded = parseRecordedRequest({ application: object, file: params.path });
  if (!recorded.request) return { instance: null, template, problems: recorded.problems };
  return { instance: { application: params.path, request: recorded.request }, template, problems: [] };
}

/** A problem about one instance, for the rollout summary. */
export function instanceProblem(path: string, message: string, hint: string): Problem {
  return problem("rollout.instance-failed", message, { file: path, hint });
}
