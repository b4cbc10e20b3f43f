import type { SkippedFile } from "../manifests/types.js";
import type { Severity } from "../problems.js";
import type { Finding } from "../policy/types.js";
import type { SchemaSet } from "../validate/schema/describe-schema-set.js";

export const FINDING_FORMATS = ["text", "json", "sarif"] as const;
export type FindingFormat = (typeof FINDING_FORMATS)[number];

const TOOL_NAME = "gitops-bot";
const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/**
 * Formats findings for a terminal or another tool:
 * - `text`: one compiler-style line per finding, `file:line:column: error: message [policy/rule]`,
 *   a `hint:` line when there is one, and a closing count; editors and CI logs link these.
 * - `json`: `{ version: 1, summary, findings, skipped, schemas? }`, the findings exactly as the engine
 *   produced them, every candidate file that was not judged with its reason, and the schema set the
 *   manifests were validated against when schema validation ran.
 * - `sarif`: a SARIF 2.1.0 log that GitHub code scanning accepts (one run, one rule per
 *   policy/rule, results with physical locations and a line-independent fingerprint), and the
 *   schema set, when schema validation ran, as a note of the run's invocation and in its properties.
 *
 * `ruleDescriptions` (keyed `policy/rule`) fill the SARIF rules' short descriptions. For text,
 * `quiet` leaves only the findings (no count, no "No findings.") and `color` adds ANSI colours to
 * the severities, for a terminal.
 */
export function formatFindings(params: {
  findings: readonly Finding[];
  format: FindingFormat;
  toolVersion?: string;
  ruleDescriptions?: Readonly<Record<string, string>>;
  quiet?: boolean;
  color?: boolean;
  /** Candidate files that were not judged, with their reasons (JSON output). */
  skipped?: readonly SkippedFile[];
  /** The schemas the manifests were validated against (JSON and SARIF output). */
  schemas?: SchemaSet;
}): string {
  switch (params.format) {
    case "text":
      return formatText({ findings: params.findings, quiet: params.quiet ?? false, color: params.color ?? false });
    case "json":
      return `${JSON.stringify({ version: 1, summary: summarize(params.findings), findings: params.findings, skipped: params.skipped ?? [], ...(params.schemas ? { schemas: params.schemas } : {}) }, null, 2)}\n`;
    case "sarif":
      return `${JSON.stringify(toSarif(params), null, 2)}\n`;
  }
}

function summarize(findings: readonly Finding[]): { errors: number; warnings: number; notices: number; files: number } {
  const count = (severity: Severity) => findings.filter((f) => f.severity === severity).length;
  return { errors: count("error"), warnings: count("warning"), notices: count("notice"), files: new Set(findings.map((f) => f.file)).size };
}

/** SGR colours of the severities: red, yellow, cyan (bold), as compilers print them. */
const SEVERITY_COLOR: Record<Severity, string> = { error: "\u001b[1;31m", warning: "\u001b[1;33m", notice: "\u001b[1;36m" };
const RESET = "\u001b[0m";

function formatText(params: { findings: readonly Finding[]; quiet: boolean; color: boolean }): string {
  const { findings } = params;
  const lines: string[] = [];
  for (const finding of findings) {
    const where = finding.file === "" ? TOOL_NAME : `${oneLine(finding.file)}:${finding.line}:${finding.column}`;
    const severity = params.color ? `${SEVERITY_COLOR[finding.severity]}${finding.severity}${RESET}` : finding.severity;
    lines.push(`${where}: ${severity}: ${oneLine(finding.message)} [${finding.policy}/${finding.rule}]`);
    if (finding.hint) lines.push(`  hint: ${oneLine(finding.hint)}`);
  }
  if (params.quiet) return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
  const summary = summarize(findings);
  if (findings.length === 0) lines.push("No findings.");
  else {
    const parts = [
      `${summary.errors} error${summary.errors === 1 ? "" : "s"}`,
      `${summary.warnings} warning${summary.warnings === 1 ? "" : "s"}`,
    ];
    if (summary.notices > 0) parts.push(`${summary.notices} notice${summary.notices === 1 ? "" : "s"}`);
    lines.push("", `${parts.join(", ")} in ${summary.files} file${summary.files === 1 ? "" : "s"}.`);
  }
  return `${lines.join("\n")}\n`;
}

/** One line of plain text: line breaks folded, and control characters (from file names or manifest values) dropped before they reach a terminal. */
function oneLine(text: string): string {
  return text
    .replace(/\s*\n\s*/g, " ")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f\u009b]/g, "")
    .trim();
}

const SARIF_LEVEL: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", notice: "note" };

function toSarif(params: {
  findings: readonly Finding[];
  toolVersion?: string;
  ruleDescriptions?: Readonly<Record<string, string>>;
  schemas?: SchemaSet;
}) {
  const ruleIds: string[] = [];
  const ruleLevels = new Map<string, Severity>();
  for (const finding of params.findings) {
    const id = `${finding.policy}/${finding.rule}`;
    if (!ruleLevels.has(id)) ruleIds.push(id);
    // A rule's default level is the most severe level it was reported at.
    const previous = ruleLevels.get(id);
    if (previous === undefined || rank(finding.severity) < rank(previous)) ruleLevels.set(id, finding.severity);
  }
  const index = new Map(ruleIds.map((id, i) => [id, i] as const));
  const rules = ruleIds.map((id) => {
    const [policy = "", rule = ""] = id.split("/");
    return {
      id,
      name: pascalCase(`${policy}-${rule}`),
      shortDescription: { text: params.ruleDescriptions?.[id] ?? `${rule} (policy ${policy})` },
      defaultConfiguration: { level: SARIF_LEVEL[ruleLevels.get(id) ?? "warning"] },
      properties: { tags: ["kubernetes", "gitops", policy] },
    };
  });
  const results = params.findings.map((finding) => {
    const id = `${finding.policy}/${finding.rule}`;
    const text = finding.hint ? `${oneLine(finding.message)} ${oneLine(finding.hint)}` : oneLine(finding.message);
    return {
      ruleId: id,
      ruleIndex: index.get(id) ?? 0,
      level: SARIF_LEVEL[finding.severity],
      message: { text },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: toUri(finding.file) },
            region: { startLine: Math.max(1, finding.line), startColumn: Math.max(1, finding.column) },
          },
        },
      ],
      // Keyed on the field path, not the line, so an alert survives edits above it.
      partialFingerprints: { "gitopsBotFinding/v1": fingerprint(`${finding.file}\0${finding.path}\0${id}\0${finding.message}`) },
    };
  });
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            ...(params.toolVersion ? { version: params.toolVersion, semanticVersion: params.toolVersion } : {}),
            rules,
          },
        },
        columnKind: "utf16CodeUnits",
        results,
        // Which schema set judged the run: a note about the run for people, the set itself for tools.
        ...(params.schemas
          ? {
              invocations: [
                {
                  executionSuccessful: true,
                  toolExecutionNotifications: [{ level: "note", message: { text: oneLine(params.schemas.note) } }],
                },
              ],
              properties: { schemas: params.schemas },
            }
          : {}),
      },
    ],
  };
}

function rank(severity: Severity): number {
  return severity === "error" ? 0 : severity === "warning" ? 1 : 2;
}

/** A relative URI reference: each path segment percent-encoded, separators kept. */
function toUri(file: string): string {
  if (file === "") return ".";
  return file
    .replace(/\\/g, "/")
    .split("/")
    .map((segment) => (segment === ".." || segment === "." ? segment : encodeURIComponent(segment)))
    .join("/");
}

function pascalCase(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("");
}

/**
 * A 64-bit FNV-1a hash as hex (two 32-bit lanes with different offset bases): stable across runs
 * and platforms, and core stays free of node:crypto.
 */
function fingerprint(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    a = Math.imul(a ^ unit, 0x01000193);
    b = Math.imul(b ^ unit, 0x01000193);
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}
