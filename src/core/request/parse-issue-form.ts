import { problem, type Problem } from "../problems.js";
import { codeSpan } from "../report/markdown.js";
import { PARAMETER_KEY } from "./parse-key-values.js";

/** What an issue form body asks for: template and size, and every other field as a value. */
export interface IssueFormRequest {
  template: string | null;
  size: string | null;
  values: Record<string, string>;
}

/** GitHub writes this for a form field left empty. */
const NO_RESPONSE = "_No response_";

/** Splits a form body into `### Heading` sections, ignoring headings inside fenced code. */
function sections(body: string): Map<string, string> {
  const found = new Map<string, string>();
  let heading: string | null = null;
  let lines: string[] = [];
  let fence: string | null = null;
  const flush = () => {
    if (heading !== null && !found.has(heading)) found.set(heading, lines.join("\n").trim());
  };
  for (const line of body.split(/\r?\n/)) {
    const fenceMatch = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fenceMatch)
      fence = fence === null ? fenceMatch[1]! : fenceMatch[1]![0] === fence[0] && fenceMatch[1]!.length >= fence.length ? null : fence;
    const headingMatch = fence === null ? /^### +(.+?)\s*#*\s*$/.exec(line) : null;
    if (headingMatch) {
      flush();
      heading = headingMatch[1]!.trim();
      lines = [];
    } else if (heading !== null) {
      lines.push(line);
    }
  }
  flush();
  return found;
}

/** A dropdown or input answer: the trimmed text, or null when left empty. */
function answer(text: string | undefined): string | null {
  if (text === undefined) return null;
  const value = text.trim();
  return value === "" || value === NO_RESPONSE ? null : value;
}

/** `key=value` lines of the extra-values textarea (blank lines and `#` comments skipped). */
function parseValueLines(text: string, field: string): { values: Record<string, string>; problems: Problem[] } {
  const values: Record<string, string> = {};
  const problems: Problem[] = [];
  // GitHub renders a textarea with `render:` inside a fence; the lines are the same.
  const lines = text.split(/\r?\n/).filter((l) => !/^ {0,3}(`{3,}|~{3,})/.test(l));
  for (const raw of lines) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    const key = eq > 0 ? line.slice(0, eq).trim() : "";
    if (!PARAMETER_KEY.test(key)) {
      problems.push(
        problem("form.bad-value-line", `${codeSpan(line)} in "${field}" is not a \`key=value\` line.`, {
          hint: "Write one key=value per line, for example port=8080.",
        }),
      );
      continue;
    }
    values[key] = line.slice(eq + 1).trim();
  }
  return { values, problems };
}

/**
 * Reads an issue created from the request form. GitHub renders each field as a `### Label`
 * section (`_No response_` when empty); `fields` maps labels to request fields. Unknown sections
 * are ignored, so a platform team can add free-text fields (a justification) to its form.
 */
export function parseIssueForm(params: { body: string; fields: Readonly<Record<string, string>>; valuesField: string }): {
  request: IssueFormRequest;
  problems: Problem[];
} {
  const found = sections(params.body);
  const request: IssueFormRequest = { template: null, size: null, values: {} };
  const problems: Problem[] = [];
  // Headings are matched without regard to case: editing a form's label casing must not break requests.
  const byLowerHeading = new Map([...found].map(([heading, text]) => [heading.toLowerCase(), text]));
  const extra = answer(byLowerHeading.get(params.valuesField.toLowerCase()));
  if (extra !== null) {
    const parsed = parseValueLines(extra, params.valuesField);
    Object.assign(request.values, parsed.values);
    problems.push(...parsed.problems);
  }
  // Dedicated fields win over the same key in the extra-values textarea.
  for (const [heading, key] of Object.entries(params.fields)) {
    const value = answer(byLowerHeading.get(heading.toLowerCase()));
    if (value === null) continue;
    if (key === "template") request.template = value;
    else if (key === "size") request.size = value;
    else request.values[key] = value;
  }
  return { request, problems };
}

/** True when `body` has at least one of the form's headings (for messages about a mislabelled issue). */
export function hasFormHeadings(body: string, fields: Readonly<Record<string, string>>): boolean {
  const headings = new Set([...sections(body).keys()].map((h) => h.toLowerCase()));
  return Object.keys(fields).some((h) => headings.has(h.toLowerCase()));
}
