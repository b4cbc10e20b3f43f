import { z } from "zod";
import { formatPath, problem, type Problem, type Result } from "../problems.js";
import { codeSpan } from "../report/markdown.js";
import type { FieldPath, SourcePosition } from "../yaml/types.js";
import { parseYamlDocuments } from "../yaml/parse-yaml-documents.js";
import { didYouMean } from "./did-you-mean.js";
import { BotConfigSchema, DEFAULT_BOT_CONFIG, type BotConfig } from "./bot-config.schema.js";

/** Where the bot's configuration lives in the request repository. */
export const BOT_CONFIG_FILE = ".github/gitops-bot.yml";
const DOCS = "docs/github-app.md#configuration";

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** A short description of what was found, for "expected X, found Y". */
function describeFound(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the text ${codeSpan(value, 40)}`;
  return `${typeof value} ${codeSpan(String(value), 40)}`;
}

function issueProblems(params: {
  issue: z.core.$ZodIssue;
  raw: unknown;
  file: string;
  locate: (path: FieldPath) => Partial<SourcePosition>;
}): Problem[] {
  const { issue, raw, file, locate } = params;
  const path = issue.path as (string | number)[];
  const at = formatPath(path) || "(top level)";
  const where = { file, path: formatPath(path), ...locate(path) };
  const found = describeFound(valueAt(raw, path));
  const custom = !/^Invalid|^Too (small|big)|^Unrecognized/.test(issue.message);
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => {
        const suggestion = didYouMean({ schema: BotConfigSchema, path, key });
        return problem("config.unknown-key", `${file}: unknown key ${codeSpan(key, 40)}${path.length > 0 ? ` in \`${at}\`` : ""}.`, {
          ...where,
          path: formatPath([...path, key]),
          ...locate([...path, key]),
          hint: suggestion ? `Did you mean \`${suggestion}\`?` : `Remove it; the keys are listed in ${DOCS}.`,
        });
      });
    case "invalid_type":
      return [
        problem("config.invalid-type", `${file}: \`${at}\` must be ${article(issue.expected)}, found ${found}.`, {
          ...where,
          hint: `See ${DOCS}.`,
        }),
      ];
    case "invalid_value":
      return [
        problem(
          "config.invalid-value",
          `${file}: \`${at}\` must be one of ${issue.values.map((v) => `\`${String(v)}\``).join(", ")}; found ${found}.`,
          {
            ...where,
            hint: `Use one of the listed values.`,
          },
        ),
      ];
    case "invalid_key":
      return [
        problem(
          "config.invalid-key",
          `${file}: ${codeSpan(String(path[path.length - 1]), 40)} is not a valid name in \`${formatPath(path.slice(0, -1))}\`: ${issue.issues[0]?.message ?? "invalid"}.`,
          {
            ...where,
            hint: "Names are lowercase letters, digits and dashes.",
          },
        ),
      ];
    default:
      return [
        problem(
          "config.invalid",
          `${file}: \`${at}\`: ${custom ? issue.message : issue.message.replace(/^Invalid input: /, "")}; found ${found}.`,
          { ...where, hint: `See ${DOCS}.` },
        ),
      ];
  }
}

function article(type: string): string {
  const names: Record<string, string> = {
    object: "a mapping",
    array: "a list",
    string: "text",
    number: "a number",
    boolean: "true or false",
    int: "a whole number",
  };
  return names[type] ?? `a ${type}`;
}

/**
 * Validates the bot configuration as read by Probot's config loader (`_extends` already merged).
 * Every problem names the file, the field path, what was expected and what was found; with
 * `positionOf` (from the file's source) it also has the line. `file` names it in the problems
 * (default `.github/gitops-bot.yml`; the CLI's `--config` names another). A missing file is a valid "not
 * configured here" and yields null.
 */
export function parseBotConfig(params: {
  raw: unknown;
  positionOf?: (path: FieldPath) => SourcePosition;
  file?: string;
}): Result<BotConfig | null> {
  if (params.raw === null || params.raw === undefined) return { ok: true, value: null, problems: [] };
  // `_extends` is consumed by Probot's loader; it is not ours to reject.
  const raw =
    typeof params.raw === "object" && !Array.isArray(params.raw)
      ? Object.fromEntries(Object.entries(params.raw).filter(([k]) => k !== "_extends"))
      : params.raw;
  const parsed = BotConfigSchema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data, problems: [] };
  const locate = (path: FieldPath): Partial<SourcePosition> => (params.positionOf ? params.positionOf(path) : {});
  const file = params.file ?? BOT_CONFIG_FILE;
  return { ok: false, problems: parsed.error.issues.flatMap((issue) => issueProblems({ issue, raw, file, locate })) };
}

/**
 * Validates a configuration file from its text, as the CLI reads one from disk: the same problems,
 * lines and hints as {@link parseBotConfig}, plus the YAML's own (syntax, limits, duplicate keys).
 * An empty file is the defaults. `_extends` cannot be followed without GitHub: it is reported as a
 * warning, so nobody mistakes the local result for the merged configuration.
 */
export function parseBotConfigText(params: { file: string; text: string }): Result<BotConfig> {
  const parsed = parseYamlDocuments({ file: params.file, text: params.text });
  if (parsed.problems.length > 0) return { ok: false, problems: parsed.problems };
  if (parsed.documents.length > 1)
    return {
      ok: false,
      problems: [
        problem("config.several-documents", `${params.file} holds ${parsed.documents.length} YAML documents; the configuration is one.`, {
          file: params.file,
          ...parsed.documents[1]?.positionOf([]),
          hint: "Remove the `---` separators.",
        }),
      ],
    };
  const document = parsed.documents[0];
  const raw: unknown = document?.value ?? {};
  const result = parseBotConfig({
    raw,
    file: params.file,
    ...(document ? { positionOf: (path: FieldPath) => document.positionOf(path) } : {}),
  });
  if (!result.ok) return result;
  const extendsWarning =
    raw !== null && typeof raw === "object" && Object.hasOwn(raw, "_extends")
      ? [
          problem(
            "config.extends-not-followed",
            `${params.file}: \`_extends\` is not followed here; only the App (through GitHub) merges the configuration it names.`,
            {
              severity: "warning",
              file: params.file,
              ...document?.positionOf(["_extends"]),
              hint: "Pass the merged configuration with --config to check against it.",
            },
          ),
        ]
      : [];
  return { ok: true, value: result.value ?? DEFAULT_BOT_CONFIG, problems: extendsWarning };
}

/** A configuration file Probot could not read at all (YAML syntax, a bad `_extends`). */
export function botConfigLoadProblem(params: { reason: string; line?: number; column?: number }): Problem {
  return problem("config.unreadable", `${BOT_CONFIG_FILE} could not be read: ${params.reason}`, {
    file: BOT_CONFIG_FILE,
    ...(params.line !== undefined ? { line: params.line } : {}),
    ...(params.column !== undefined ? { column: params.column } : {}),
    hint: "Fix the file's YAML (an editor with docs/gitops-bot.schema.json helps), then comment again.",
  });
}

/** The JSON Schema of `.github/gitops-bot.yml` for editors (published as docs/gitops-bot.schema.json). */
export function botConfigJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(BotConfigSchema, { io: "input", unrepresentable: "any" }),
    $id: "https://github.com/gitops-bot/gitops-bot/docs/gitops-bot.schema.json",
    title: "gitops-bot configuration (.github/gitops-bot.yml)",
  };
}
