import type { Finding, Manifest } from "../../policy/types.js";
import type { Severity } from "../../problems.js";
import { formatPath } from "../../problems.js";
import { codeSpan } from "../../report/markdown.js";
import { createLineIndex } from "../../yaml/create-line-index.js";
import type { FieldPath, SourcePosition } from "../../yaml/types.js";
import { checkPromql } from "../promql/check-promql.js";
import { GRAFANA_DASHBOARD_POLICY } from "../validation-finding.js";
import { substituteGrafanaVariables } from "./grafana-expression.js";
import { scanJsonKeys } from "./scan-json-keys.js";

/** Largest dashboard read; a bigger one is one finding. */
export const MAX_DASHBOARD_BYTES = 8 * 1024 * 1024;
/** Most queries checked per dashboard; the rest are counted in one notice, never skipped silently. */
export const MAX_QUERIES_PER_DASHBOARD = 1_000;

/** The label the Grafana sidecar looks for on ConfigMaps, as the built-in templates set it. */
export const DASHBOARD_LABEL = "grafana_dashboard";

/** One dashboard's JSON text and where it sits. */
interface DashboardSource {
  file: string;
  /** Field path of the JSON inside its manifest (`data["web.json"]`), or [] for a .json file. */
  path: FieldPath;
  text: string;
  judged: boolean;
  positionAt(offset: number): SourcePosition;
}

/**
 * Checks Grafana dashboards: those in ConfigMaps labelled `grafana_dashboard` (every `*.json` data
 * key) and the `.json` files given. Each must be a valid JSON object, its `uid` unique across the
 * repository, and every Prometheus query (`panels[].targets[].expr`, rows included) valid PromQL
 * once Grafana's variables are replaced, with the finding at the line of the `expr` in the JSON.
 * Unchanged files count for uid uniqueness but get no findings.
 */
export function checkDashboards(params: {
  manifests: readonly Manifest[];
  files: readonly { path: string; text: string }[];
  severity: Severity;
  isJudged: (file: string) => boolean;
}): Finding[] {
  const sources = [
    ...configMapSources(params.manifests, params.isJudged),
    ...params.files.map((file) => fileSource(file, params.isJudged)),
  ];
  const findings: Finding[] = [];
  const uids = new Map<string, { source: DashboardSource; offset: number }[]>();
  for (const source of sources) {
    const report = (finding: { rule: string; offset: number; message: string; hint?: string; severity?: Severity }) => {
      if (source.judged) findings.push(toFinding({ source, severity: finding.severity ?? params.severity, ...finding }));
    };
    const dashboard = parseDashboard(source, report);
    if (!dashboard) continue;
    const keys = scanJsonKeys(source.text, new Set(["expr"]));
    const uid = dashboard.uid;
    if (typeof uid === "string" && uid !== "") {
      const list = uids.get(uid) ?? [];
      list.push({ source, offset: keys.topLevel.get("uid") ?? 0 });
      uids.set(uid, list);
    }
    if (source.judged) checkQueries({ dashboard, exprOffsets: keys.values.get("expr") ?? [], report });
  }
  for (const [uid, places] of uids) {
    if (places.length < 2) continue;
    for (const place of places) {
      if (!place.source.judged) continue;
      const others = places
        .filter((p) => p !== place)
        .map((p) => `${p.source.file}${p.source.path.length > 0 ? ` (${formatPath(p.source.path)})` : ""}`);
      findings.push(
        toFinding({
          source: place.source,
          severity: params.severity,
          rule: "uid",
          offset: place.offset,
          message: `The dashboard uid ${codeSpan(uid)} is also used by ${[...new Set(others)].join(", ")}; Grafana keeps only one of them.`,
          hint: "Give every dashboard its own uid; links to the dashboard use it.",
        }),
      );
    }
  }
  return findings;
}

type Report = (finding: { rule: string; offset: number; message: string; hint?: string; severity?: Severity }) => void;

function parseDashboard(source: DashboardSource, report: Report): Record<string, unknown> | undefined {
  if (source.text.length > MAX_DASHBOARD_BYTES) {
    report({
      rule: "json",
      offset: 0,
      message: `The dashboard is larger than the ${MAX_DASHBOARD_BYTES / (1024 * 1024)} MiB this check reads.`,
    });
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(source.text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(reason);
    report({
      rule: "json",
      offset: position ? Number(position[1]) : 0,
      message: `The dashboard is not valid JSON: ${codeSpan(reason.replace(/\s*\(line \d+ column \d+\)/, ""), 100)}.`,
      hint: "Grafana ignores a dashboard it cannot parse; check commas, quotes and brackets at this line.",
    });
    return undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    report({ rule: "json", offset: 0, message: "The dashboard is valid JSON but not an object." });
    return undefined;
  }
  return value as Record<string, unknown>;
}

interface Frame {
  entries: [string, unknown][];
  index: number;
  /** The object whose entries these are (undefined for an array). */
  object?: Record<string, unknown>;
  /** Set for the items of a panel's `targets`: the panel they belong to. */
  panel?: Record<string, unknown>;
  /** Set while inside a target: the target object. */
  target?: Record<string, unknown>;
}

/**
 * Walks the dashboard in document order, counting every `expr` key as the text scan did, so the
 * n-th `expr` found here is the n-th offset there; queries of Prometheus targets are parsed.
 */
function checkQueries(params: { dashboard: Record<string, unknown>; exprOffsets: readonly number[]; report: Report }): void {
  const stack: Frame[] = [{ entries: Object.entries(params.dashboard), index: 0, object: params.dashboard }];
  const queries: { expr: string; ordinal: number }[] = [];
  let ordinal = 0;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    const entry = frame.entries[frame.index++];
    if (!entry) {
      stack.pop();
      continue;
    }
    const [key, value] = entry;
    if (key === "expr") {
      if (
        frame.target &&
        frame.object === frame.target &&
        frame.panel &&
        typeof value === "string" &&
        isPrometheusTarget(frame.target, frame.panel)
      )
        queries.push({ expr: value, ordinal });
      ordinal++;
    }
    if (typeof value !== "object" || value === null) continue;
    if (Array.isArray(value)) {
      const owner = key === "targets" && frame.target === undefined ? frame.object : undefined;
      stack.push({
        entries: value.map((item, index) => [String(index), item] as [string, unknown]),
        index: 0,
        ...(owner ? { panel: owner } : {}),
        ...(frame.target ? { target: frame.target } : {}),
      });
    } else {
      const record = value as Record<string, unknown>;
      // Items of a panel's targets array are targets; everything below them stays in that target.
      const target = frame.target ?? (frame.panel ? record : undefined);
      stack.push({
        entries: Object.entries(record),
        index: 0,
        object: record,
        ...(frame.panel ? { panel: frame.panel } : {}),
        ...(target ? { target } : {}),
      });
    }
  }
  // Integer-like keys reorder objects in JavaScript; if the counts disagree, positions fall back to the start.
  const aligned = ordinal === params.exprOffsets.length;
  queries.slice(0, MAX_QUERIES_PER_DASHBOARD).forEach(({ expr, ordinal: index }) => {
    const offset = aligned ? (params.exprOffsets[index] ?? 0) : 0;
    for (const issue of checkPromql(substituteGrafanaVariables(expr))) {
      params.report({
        rule: "promql",
        offset,
        message: `A panel query is not valid PromQL: ${issue.message}`,
        hint: "Grafana shows an error instead of this panel's data.",
      });
    }
  });
  if (queries.length > MAX_QUERIES_PER_DASHBOARD) {
    params.report({
      rule: "promql",
      severity: "notice",
      offset: 0,
      message: `The dashboard has ${queries.length} Prometheus queries; the first ${MAX_QUERIES_PER_DASHBOARD} were checked, the other ${queries.length - MAX_QUERIES_PER_DASHBOARD} were not.`,
    });
  }
}

function isPrometheusTarget(target: Record<string, unknown>, panel: Record<string, unknown>): boolean {
  const datasource = target.datasource ?? panel.datasource;
  if (typeof datasource === "object" && datasource !== null && typeof (datasource as Record<string, unknown>).type === "string") {
    return (datasource as Record<string, unknown>).type === "prometheus";
  }
  // No type: the dashboard's default data source, or a data source named by a string (older dashboards).
  return !(typeof datasource === "string" && /loki|tempo|elastic|influx|graphite|sql|cloudwatch/i.test(datasource));
}

function configMapSources(manifests: readonly Manifest[], isJudged: (file: string) => boolean): DashboardSource[] {
  const sources: DashboardSource[] = [];
  for (const manifest of manifests) {
    const object = manifest.object;
    if (object.kind !== "ConfigMap" || object.apiVersion !== "v1") continue;
    const labels = (object.metadata as { labels?: unknown } | undefined)?.labels;
    if (typeof labels !== "object" || labels === null || !Object.hasOwn(labels, DASHBOARD_LABEL)) continue;
    const data = object.data;
    if (typeof data !== "object" || data === null) continue;
    for (const [key, text] of Object.entries(data as Record<string, unknown>)) {
      if (!key.endsWith(".json") || typeof text !== "string") continue;
      const path: FieldPath = ["data", key];
      sources.push({
        file: manifest.file,
        path,
        text,
        judged: isJudged(manifest.file),
        positionAt: (offset) => manifest.positionInValue?.(path, offset) ?? manifest.positionOf(path),
      });
    }
  }
  return sources;
}

function fileSource(file: { path: string; text: string }, isJudged: (file: string) => boolean): DashboardSource {
  let lines: ReturnType<typeof createLineIndex> | undefined;
  return {
    file: file.path,
    path: [],
    text: file.text,
    judged: isJudged(file.path),
    positionAt: (offset) => (lines ??= createLineIndex(file.text)).positionAt(offset),
  };
}

function toFinding(params: {
  source: DashboardSource;
  severity: Severity;
  rule: string;
  offset: number;
  message: string;
  hint?: string;
}): Finding {
  const position = params.source.positionAt(params.offset);
  return {
    policy: GRAFANA_DASHBOARD_POLICY,
    rule: params.rule,
    severity: params.severity,
    file: params.source.file,
    line: position.line,
    column: position.column,
    path: formatPath(params.source.path),
    message: params.message,
    ...(params.hint ? { hint: params.hint } : {}),
  };
}
