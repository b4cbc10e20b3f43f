/**
 * Expected problems travel as data, never as exceptions (STYLE.md section 6).
 * A Problem is one message for a person: what went wrong, where, and how to fix it.
 */
export type Severity = "error" | "warning" | "notice";

export interface Problem {
  /** Stable machine-readable code, for example `request.unknown-template`. */
  code: string;
  /** One sentence: what went wrong. */
  message: string;
  severity: Severity;
  /** Repository-relative file the problem is in, when there is one. */
  file?: string;
  /** 1-based line and column in `file`. */
  line?: number;
  column?: number;
  /** Field path inside the document, for example `spec.template.spec.containers[0].image`. */
  path?: string;
  /** One sentence: how to fix it. */
  hint?: string;
}

/** Builds an error-severity problem. */
export function problem(code: string, message: string, extra: Partial<Omit<Problem, "code" | "message">> = {}): Problem {
  return { code, message, severity: "error", ...extra };
}

/** True when any problem is an error (warnings and notices do not block). */
export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === "error");
}

/** A value or the problems that prevented it. */
export type Result<T> = { ok: true; value: T; problems: Problem[] } | { ok: false; problems: Problem[] };

/** Formats a field path array as `a.b[0].c`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(part)) out += out === "" ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}
