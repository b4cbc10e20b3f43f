import { parseYamlDocuments } from "../yaml/parse-yaml-documents.js";

/**
 * The annotations by which an Argo CD Application says it was made by gitops-bot for a request.
 * They are the request's identity in the GitOps repository: a commit status from Argo CD names
 * only the Application, and the bot reads these back from the Application file at that commit,
 * so no database maps Applications to request issues.
 */
export const TEMPLATE_ANNOTATION = "gitops-bot.dev/template";
/** `owner/repo#number` of the request issue; absent when the request had no issue (the CLI). */
export const REQUEST_ISSUE_ANNOTATION = "gitops-bot.dev/request-issue";
/** The request's size, so a template change can render the request again (src/core/request/recorded-request.ts). */
export const SIZE_ANNOTATION = "gitops-bot.dev/size";
/** The request's values exactly as typed (defaults are not pinned), as JSON with sorted keys. */
export const VALUES_ANNOTATION = "gitops-bot.dev/values";
/** Digest of the request's rendered manifests (src/core/render/rendered-digest.ts): tells an upgrade what the bot last wrote. */
export const DIGEST_ANNOTATION = "gitops-bot.dev/rendered-digest";

/** A request issue by repository (`owner/name`) and number. */
export interface IssueRef {
  repository: string;
  number: number;
}

// GitHub owner and repository names: letters, digits, `-`, `_`, `.` (the same rule as the config's
// `gitops.repository`); the issue number is a positive integer without leading zeros.
const ISSUE_REF = /^([A-Za-z0-9_.-]{1,100})\/([A-Za-z0-9_.-]{1,100})#([1-9][0-9]{0,9})$/;

/** `owner/repo#number`, the value of {@link REQUEST_ISSUE_ANNOTATION}. */
export function formatIssueRef(issue: IssueRef): string {
  return `${issue.repository}#${issue.number}`;
}

/** Reads `owner/repo#number`; null for anything else (the text comes from a repository file or a CLI flag). */
export function parseIssueRef(text: string): IssueRef | null {
  const match = ISSUE_REF.exec(text.trim());
  if (!match) return null;
  const [, owner = "", repo = "", number = ""] = match;
  if (owner === "." || owner === ".." || repo === "." || repo === "..") return null;
  const value = Number(number);
  return Number.isSafeInteger(value) ? { repository: `${owner}/${repo}`, number: value } : null;
}

/**
 * The identity annotations the bot puts on every Application it renders, in a fixed order so the
 * same request always renders the same bytes.
 */
export function applicationAnnotations(params: {
  template: string;
  requestIssue?: IssueRef | undefined;
  size?: string;
  values?: Readonly<Record<string, string>>;
  digest?: string;
}): Record<string, string> {
  const annotations: Record<string, string> = { [TEMPLATE_ANNOTATION]: params.template };
  if (params.requestIssue) annotations[REQUEST_ISSUE_ANNOTATION] = formatIssueRef(params.requestIssue);
  if (params.size !== undefined) annotations[SIZE_ANNOTATION] = params.size;
  if (params.values !== undefined) {
    const sorted = Object.fromEntries(Object.entries(params.values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    annotations[VALUES_ANNOTATION] = JSON.stringify(sorted);
  }
  if (params.digest !== undefined) annotations[DIGEST_ANNOTATION] = params.digest;
  return annotations;
}

/** What an Application file says about itself: its name and the bot's identity annotations. */
export interface ApplicationIdentity {
  /** `metadata.name`: the name Argo CD and its notifications use. */
  name: string;
  /** `metadata.namespace`, or null when the file leaves it to the default. */
  namespace: string | null;
  /** The template the bot rendered it from; null when absent (not made by the bot). */
  template: string | null;
  /** The request issue; null when absent or malformed. */
  requestIssue: IssueRef | null;
}

// An Application file is a few kilobytes; a larger one is not the bot's, and is not parsed at length.
export const MAX_APPLICATION_BYTES = 64 * 1024;

/**
 * Reads the identity of an Argo CD Application from a file's text. Returns null unless the file is
 * exactly one `argoproj.io` Application with a name: a list, another kind or broken YAML is not an
 * Application the bot made. The file is untrusted (anyone who can push to the GitOps repository
 * wrote it), so every field is checked, and a malformed annotation reads as absent.
 */
export function parseApplicationAnnotations(text: string): ApplicationIdentity | null {
  const parsed = parseYamlDocuments({
    file: "application.yaml",
    text,
    limits: { maxBytes: MAX_APPLICATION_BYTES, maxDocuments: 2, maxAliases: 0 },
  });
  const documents = parsed.documents.filter((d) => d.value !== null && d.value !== undefined);
  if (parsed.problems.length > 0 || documents.length !== 1) return null;
  const object = asRecord(documents[0]!.value);
  if (!object || object.kind !== "Application" || typeof object.apiVersion !== "string" || !object.apiVersion.startsWith("argoproj.io/"))
    return null;
  const metadata = asRecord(object.metadata);
  const name = metadata?.name;
  if (!metadata || typeof name !== "string" || name === "") return null;
  const annotations = asRecord(metadata.annotations) ?? {};
  const template = annotations[TEMPLATE_ANNOTATION];
  const issue = annotations[REQUEST_ISSUE_ANNOTATION];
  return {
    name,
    namespace: typeof metadata.namespace === "string" ? metadata.namespace : null,
    template: typeof template === "string" && template !== "" ? template : null,
    requestIssue: typeof issue === "string" ? parseIssueRef(issue) : null,
  };
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}
