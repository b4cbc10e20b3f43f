import { formatPath, type Severity } from "../../problems.js";
import type { FieldPath } from "../../yaml/types.js";
import type { Finding, Manifest } from "../types.js";

/** Every platform rule reports under this policy name, with the rule telling which check fired. */
export const PLATFORM_POLICY = "platform";

/** Builds a platform finding positioned at `path` in the manifest (its parent when missing). */
export function platformFinding(params: {
  manifest: Manifest;
  path: FieldPath;
  rule: string;
  severity: Severity;
  message: string;
  hint?: string;
}): Finding {
  const position = params.manifest.positionOf(params.path);
  return {
    policy: PLATFORM_POLICY,
    rule: params.rule,
    severity: params.severity,
    file: params.manifest.file,
    line: position.line,
    column: position.column,
    path: formatPath(params.path),
    message: params.message,
    ...(params.hint === undefined ? {} : { hint: params.hint }),
  };
}

/** Builds a platform finding about a whole file (a path with no manifest, such as a deleted file). */
export function fileFinding(params: {
  file: string;
  rule: string;
  severity: Severity;
  message: string;
  hint?: string;
}): Finding {
  return {
    policy: PLATFORM_POLICY,
    rule: params.rule,
    severity: params.severity,
    file: params.file,
    line: 1,
    column: 1,
    path: "",
    message: params.message,
    ...(params.hint === undefined ? {} : { hint: params.hint }),
  };
}
