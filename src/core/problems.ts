import { SegmentChildren } from "./segment-children.js";

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

/**
 * Formats a field path array as `a.b[0].c`. A check formats the same few paths for thousands of
 * findings: each prefix is formatted once and its text shared.
 */
export function formatPath(path: readonly (string | number)[]): string {
  if (formattedCount >= MAX_FORMATTED) {
    formatted = { text: "", children: new SegmentChildren() };
    formattedCount = 0;
  }
  let prefix = formatted;
  for (let at = 0; at < path.length; at++) {
    const part = path[at] as string | number;
    let next = prefix.children.get(part);
    if (next === undefined) {
      const text = prefix.text + formatSegment(part, prefix.text === "");
      // A long key (keys are input) is formatted, not kept: the stored texts stay small. NaN is
      // never equal to itself, so it is not kept either.
      if (text.length > MAX_STORED_TEXT || part !== part) return formatRest({ text, path, from: at + 1 });
      next = { text, children: new SegmentChildren() };
      prefix.children.add(part, next);
      formattedCount++;
    }
    prefix = next;
  }
  return prefix.text;
}

function formatRest(params: { text: string; path: readonly (string | number)[]; from: number }): string {
  let text = params.text;
  for (let at = params.from; at < params.path.length; at++) text += formatSegment(params.path[at] as string | number, text === "");
  return text;
}

/** A formatted path prefix and the prefixes one segment longer. */
interface FormattedPrefix {
  text: string;
  children: SegmentChildren<FormattedPrefix>;
}

let formatted: FormattedPrefix = { text: "", children: new SegmentChildren() };
let formattedCount = 0;
// Bounds, as the paths come from the documents checked (keys are input): at most this many
// prefixes of at most this many characters are kept.
const MAX_FORMATTED = 10_000;
const MAX_STORED_TEXT = 256;

function formatSegment(part: string | number, first: boolean): string {
  if (typeof part === "number") return `[${part}]`;
  if (/^[A-Za-z_$][\w$-]*$/.test(part)) return first ? part : `.${part}`;
  return `[${JSON.stringify(part)}]`;
}
