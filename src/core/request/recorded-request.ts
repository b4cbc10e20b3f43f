import { z } from "zod";
import { DNS_LABEL } from "../config/bot-config.schema.js";
import { problem, type Problem } from "../problems.js";
import {
  DIGEST_ANNOTATION,
  parseIssueRef,
  REQUEST_ISSUE_ANNOTATION,
  SIZE_ANNOTATION,
  TEMPLATE_ANNOTATION,
  VALUES_ANNOTATION,
} from "./application-annotations.js";

/**
 * A request as its Argo CD Application records it (annotations of application-annotations.ts), so
 * the GitOps repository alone can render it again when its template changes: no database, and no
 * reading of issues.
 */
/** The inputs of one request as recorded on its Application. */
export interface RecordedRequest {
  template: string;
  size: string;
  values: Record<string, string>;
  /** Digest of the manifests the bot last rendered for it; null when not recorded. */
  digest: string | null;
  /** The request issue, `owner/name#number`, when the request came from GitHub. */
  issue: { repository: string; number: number } | null;
}

// Read back from a file anyone with write access can edit: the same bounds as a stored request.
const ValuesSchema = z
  .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,62}$/), z.string().max(1000))
  .refine((v) => Object.keys(v).length <= 100, "at most 100 values");
const AnnotationsSchema = z.object({
  [TEMPLATE_ANNOTATION]: z.string().regex(DNS_LABEL).max(63),
  [SIZE_ANNOTATION]: z.string().regex(/^[a-z0-9][a-z0-9-]{0,30}$/),
  [VALUES_ANNOTATION]: z.string().max(120_000),
  [REQUEST_ISSUE_ANNOTATION]: z.string().max(220).optional(),
  [DIGEST_ANNOTATION]: z
    .string()
    .regex(/^[0-9a-f]{1,64}$/)
    .optional(),
});

function annotationsOf(application: unknown): Record<string, unknown> | null {
  if (application === null || typeof application !== "object" || Array.isArray(application)) return null;
  const metadata = (application as Record<string, unknown>).metadata;
  if (metadata === null || typeof metadata !== "object" || Array.isArray(metadata)) return null;
  const annotations = (metadata as Record<string, unknown>).annotations;
  if (annotations === null || typeof annotations !== "object" || Array.isArray(annotations)) return null;
  return annotations as Record<string, unknown>;
}

/** True when the object is an Argo CD Application the bot rendered (it names its template). */
export function isRenderedApplication(object: unknown): boolean {
  const record = object as { apiVersion?: unknown; kind?: unknown } | null;
  return (
    typeof record?.apiVersion === "string" &&
    record.apiVersion.startsWith("argoproj.io/") &&
    record.kind === "Application" &&
    typeof annotationsOf(object)?.[TEMPLATE_ANNOTATION] === "string"
  );
}

/**
 * Reads the recorded request back from a parsed Application. Everything in it is untrusted (a hand
 * edit can change any annotation): the shape is checked here, and the values are validated against
 * the template again when the request is rendered. A problem names the file and what to do.
 */
export function parseRecordedRequest(params: { application: unknown; file: string }): {
  request: RecordedRequest | null;
  problems: Problem[];
} {
  const fail = (message: string, hint: string) => ({
    request: null,
    problems: [problem("rollout.unrecorded-request", `${params.file}: ${message}`, { file: params.file, hint })],
  });
  const annotations = annotationsOf(params.application) ?? {};
  const refresh =
    "Run `/provision` again on the request issue (it records them on its next write), or `gitops-bot upgrade --backfill` in a clone.";
  if (!(SIZE_ANNOTATION in annotations) || !(VALUES_ANNOTATION in annotations))
    return fail("the Application does not record the request's size and values (it was rendered before they were recorded).", refresh);
  const parsed = AnnotationsSchema.safeParse(annotations);
  if (!parsed.success)
    return fail(`the request recorded on the Application is not valid (\`${String(parsed.error.issues[0]?.path[0] ?? "")}\`).`, refresh);
  let json: unknown;
  try {
    json = JSON.parse(parsed.data[VALUES_ANNOTATION]);
  } catch {
    return fail(`\`${VALUES_ANNOTATION}\` is not JSON.`, refresh);
  }
  const values = ValuesSchema.safeParse(json);
  if (!values.success) return fail(`\`${VALUES_ANNOTATION}\` is not a map of parameter names to text.`, refresh);
  const issueText = parsed.data[REQUEST_ISSUE_ANNOTATION];
  const issue = issueText === undefined ? null : parseIssueRef(issueText);
  if (issueText !== undefined && issue === null) return fail(`\`${REQUEST_ISSUE_ANNOTATION}\` is not \`owner/name#number\`.`, refresh);
  return {
    request: {
      template: parsed.data[TEMPLATE_ANNOTATION],
      size: parsed.data[SIZE_ANNOTATION],
      values: values.data,
      digest: parsed.data[DIGEST_ANNOTATION] ?? null,
      issue,
    },
    problems: [],
  };
}
