/**
 * `npm run bench`: times the PrometheusRule checks (PromQL parsed with @prometheus-io/lezer-promql,
 * durations, names, templates, lint rules) of 1,000 generated rules, and prints the median, the
 * target (under 1 s) and the peak memory. Run the built file: `node dist/bench/promql-bench.js`.
 */
import { loadManifests } from "../core/manifests/load-manifests.js";
import { PlatformRulesSchema } from "../core/policy/platform/platform-config.schema.js";
import { checkPrometheusRules } from "../core/validate/promql/check-prometheus-rules.js";

const RULES = 1_000;
const RULES_PER_FILE = 10;
const RUNS = 7;
const TARGET_MS = 1_000;

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

function main(): void {
  const files = Array.from({ length: RULES / RULES_PER_FILE }, (_, index) => ({ path: `monitoring/rules-${index}.yaml`, text: ruleFile(index) }));
  const { manifests, problems } = loadManifests({ files });
  if (problems.length > 0) throw new Error(`the generated rules do not load: ${problems[0]?.message ?? ""}`);
  const checks = PlatformRulesSchema.parse(undefined).prometheusRules;
  const run = () => checkPrometheusRules({ manifests, checks, isJudged: () => true });
  // The first run includes loading and compiling the grammar, as the first check in a process does.
  let started = performance.now();
  const findings = run();
  const firstMs = performance.now() - started;
  const times: number[] = [];
  for (let index = 0; index < RUNS; index++) {
    started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  const medianMs = median(times);
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const heap = process.memoryUsage().heapUsed;
  const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
  const lines = [
    `promql bench: ${RULES} rules in ${files.length} PrometheusRules (${findings.length} findings: ${findings.filter((f) => f.severity === "error").length} errors), ${RUNS} runs`,
    `  PrometheusRule checks: median ${medianMs.toFixed(1)} ms, min ${Math.min(...times).toFixed(1)} ms, first run ${firstMs.toFixed(1)} ms (target < ${TARGET_MS} ms) ${Math.max(medianMs, firstMs) < TARGET_MS ? "OK" : "OVER TARGET"}`,
    `  peak memory: rss ${mib(peakRss)}, heapUsed ${mib(heap)}`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

main();
