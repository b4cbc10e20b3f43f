/**
 * `npm run bench`: times the PrometheusRule checks (PromQL parsed with @prometheus-io/lezer-promql,
 * durations, names, templates, lint rules) of 1,000 generated rules, and prints the figures of
 * issue 11 (under 1 s of the check's time) and the peak memory. Run the built file:
 * `node dist/bench/promql-bench.js`.
 *
 * Cold is what the first check in a process costs (the grammar's parser not yet compiled by V8):
 * each cold sample is a fresh process. Warm is the median of later checks in one process. Each
 * figure is given as CPU time, the check's own time, and wall time, which on a shared machine also
 * holds the time spent waiting for a core (the load average is printed with it).
 */
import { execFileSync } from "node:child_process";
import { availableParallelism, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { loadManifests } from "../core/manifests/load-manifests.js";
import { PlatformRulesSchema } from "../core/policy/platform/platform-config.schema.js";
import { checkPrometheusRules } from "../core/validate/promql/check-prometheus-rules.js";

const RULES = 1_000;
const RULES_PER_FILE = 10;
const RUNS = 7;
const COLD_PROCESSES = 5;
const TARGET_MS = 1_000;
const COLD_FLAG = "--one-cold-check";

/** Ten rules of the kinds teams write: ratios, histograms, recording rules, templates; some broken. */
function ruleFile(index: number): string {
  const job = `service-${index}`;
  const rules: string[] = [];
  for (let rule = 0; rule < RULES_PER_FILE; rule++) {
    const n = index * RULES_PER_FILE + rule;
    const broken = n % 97 === 0 ? ")" : "";
    if (rule % 3 === 2) {
      rules.push(`        - record: job:http_requests:rate5m_${rule}
          expr: sum by (job, code) (rate(http_requests_total{job="${job}"}[5m]))${broken}`);
    } else {
      rules.push(`        - alert: HighErrorRate${rule}
          expr: |
            sum by (namespace, job) (rate(http_requests_total{job="${job}", code=~"5.."}[10m]))
              / sum by (namespace, job) (rate(http_requests_total{job="${job}"}[10m]))
              > 0.0${(rule % 9) + 1}${broken}
            or histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="${job}"}[10m]))) > 2
          for: ${n % 50 === 0 ? "5x" : "10m"}
          labels: { severity: ${rule % 2 === 0 ? "critical" : "warning"}, team: team-${index % 25} }
          annotations:
            summary: ${job} answers too many requests with 5xx.
            description: '{{ $value | humanizePercentage }} of requests to {{ $labels.job }} in {{ $labels.namespace }} failed.'`);
    }
  }
  return `apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: ${job}
  namespace: team-${index % 25}
spec:
  groups:
    - name: ${job}
      interval: 1m
      rules:
${rules.join("\n")}
`;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

interface Sample {
  wallMs: number;
  cpuMs: number;
}

/** Times one call: wall clock, and the process's CPU time (user + system) spent meanwhile. */
function time(run: () => unknown): Sample {
  const cpu = process.cpuUsage();
  const started = performance.now();
  run();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

function setUp(): { run: () => ReturnType<typeof checkPrometheusRules>; files: number } {
  const files = Array.from({ length: RULES / RULES_PER_FILE }, (_, index) => ({
    path: `monitoring/rules-${index}.yaml`,
    text: ruleFile(index),
  }));
  const { manifests, problems } = loadManifests({ files });
  if (problems.length > 0) throw new Error(`the generated rules do not load: ${problems[0]?.message ?? ""}`);
  const checks = PlatformRulesSchema.parse(undefined).prometheusRules;
  return { run: () => checkPrometheusRules({ manifests, checks, isJudged: () => true }), files: files.length };
}

/** In a fresh process: one check, the first of the process, printed as JSON for the parent. */
function oneColdCheck(): void {
  const { run } = setUp();
  const sample = time(run);
  process.stdout.write(`${JSON.stringify({ ...sample, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
}

function coldChecks(): (Sample & { maxRssBytes: number })[] {
  const script = fileURLToPath(import.meta.url);
  return Array.from(
    { length: COLD_PROCESSES },
    () => JSON.parse(execFileSync(process.execPath, [script, COLD_FLAG], { encoding: "utf8" })) as Sample & { maxRssBytes: number },
  );
}

function main(): void {
  const cold = coldChecks();
  const { run, files } = setUp();
  const findings = run();
  const warm = Array.from({ length: RUNS }, () => time(run));
  const peakRss = Math.max(process.resourceUsage().maxRSS * 1024, ...cold.map((c) => c.maxRssBytes));
  const heap = process.memoryUsage().heapUsed;
  const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
  const figure = (samples: readonly Sample[]) => {
    const cpu = median(samples.map((s) => s.cpuMs));
    const wall = median(samples.map((s) => s.wallMs));
    return {
      cpu,
      wall,
      text: `CPU ${cpu.toFixed(0)} ms (max ${Math.max(...samples.map((s) => s.cpuMs)).toFixed(0)}), wall ${wall.toFixed(0)} ms (max ${Math.max(...samples.map((s) => s.wallMs)).toFixed(0)})`,
    };
  };
  const coldFigure = figure(cold);
  const warmFigure = figure(warm);
  const lines = [
    `promql bench: ${RULES} rules in ${files} PrometheusRules (${findings.length} findings: ${findings.filter((f) => f.severity === "error").length} errors); load average ${loadavg()[0]?.toFixed(1) ?? "?"} on ${availableParallelism()} cores`,
    `  cold, the first check of a process (median of ${COLD_PROCESSES} processes): ${coldFigure.text} (target < ${TARGET_MS} ms of the check's CPU time) ${coldFigure.cpu < TARGET_MS ? "OK" : "OVER TARGET"}`,
    `  warm (median of ${RUNS} checks in one process): ${warmFigure.text} ${warmFigure.cpu < TARGET_MS ? "OK" : "OVER TARGET"}`,
    `  peak memory: rss ${mib(peakRss)} (the largest of all processes), heapUsed ${mib(heap)}`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

if (process.argv.includes(COLD_FLAG)) oneColdCheck();
else main();
