import type { z } from "zod";
import { formatPath, problem, type Problem } from "../../problems.js";
import { didYouMean } from "../../config/did-you-mean.js";
import type { FieldPath, SourcePosition } from "../../yaml/types.js";
import { PlatformConfigSchema, type PlatformConfig } from "./platform-config.schema.js";

/**
 * Validates one PlatformConfig document. Every schema violation becomes one problem at the line of
 * the offending field (or of its parent when the field is missing), so a typo in a PR to the GitOps
 * repository is annotated where it is.
 */
export function parsePlatformConfig(params: { file: string; document: unknown; positionOf?: (path: FieldPath) => SourcePosition }): {
  config?: PlatformConfig;
  problems: Problem[];
} {
  const parsed = PlatformConfigSchema.safeParse(params.document);
  if (parsed.success) return { config: parsed.data, problems: [] };
  return { problems: parsed.error.issues.flatMap((issue) => issueProblems(issue, params)) };
}

function issueProblems(issue: z.core.$ZodIssue, params: { file: string; positionOf?: (path: FieldPath) => SourcePosition }): Problem[] {
  const base = issue.path.filter((part): part is string | number => typeof part !== "symbol");
  // A strict object reports all unknown keys in one issue; each typo deserves its own line.
  const paths = issue.code === "unrecognized_keys" ? issue.keys.map((key) => [...base, key]) : [base];
  return paths.map((path) => {
    const where = params.positionOf?.(path);
    const field = formatPath(path) || "(document)";
    const message =
      issue.code === "unrecognized_keys"
        ? `Unknown field \`${field}\` in the platform configuration.`
        : `Invalid platform configuration at \`${field}\`: ${issue.message}.`;
    const key = path[path.length - 1];
    const suggestion =
      issue.code === "unrecognized_keys" && typeof key === "string" ? didYouMean({ schema: PlatformConfigSchema, path: base, key }) : null;
    return problem("platform-config.invalid", message, {
      file: params.file,
      path: formatPath(path),
      ...(where ? { line: where.line, column: where.column } : {}),
      hint: suggestion
        ? `Did you mean \`${suggestion}\`? See docs/policies.md for the PlatformConfig format.`
        : "See docs/policies.md for the PlatformConfig format.",
    });
  });
}
