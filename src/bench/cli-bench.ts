/**
 * Times the command line as users run it, each run a fresh `node dist/cli.js` process:
 * - `gitops-bot check` on one small file, from process start to exit (median and p90), next to
 *   Node's own start-up (an empty script) and the import of the check's modules alone;
 * - `gitops-bot test` over the Kyverno tier1 corpus: its pass count and time, as it prints them.
 * Wall time depends on the machine's load; each run also reports the process's own CPU time (user
 * plus system, read at its exit), which a busy machine inflates far less.
 * Run the built file: `node dist/bench/cli-bench.js`.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const DIST = fileURLToPath(new URL("../", import.meta.url));
const PROJECT = join(DIST, "..");
const CLI = join(DIST, "cli.js");
const RUNS = 15;
const POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  securityContext: { runAsNonRoot: true }\n  containers:\n    - name: app\n      image: registry.example.com/web:1.2.3\n";

/** Prints the process's CPU time at exit, on stderr, for the parent to read. */
const CPU_AT_EXIT = `data:text/javascript,${encodeURIComponent("process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('\\ncpu-ms='+((u.user+u.system)/1000).toFixed(1)+'\\n')})")}`;

interface Sample {
  wall: number;
  cpu: number;
}

async function timed(args: string[], cwd: string): Promise<Sample> {
  const started = performance.now();
  const { stderr } = await run(process.execPath, ["--import", CPU_AT_EXIT, ...args], { cwd }).catch((error: { code?: number; stderr?: string }) => {
    if (typeof error.code !== "number" || error.code > 1) throw error;
    return { stderr: error.stderr ?? "" };
  });
  return { wall: performance.now() - started, cpu: Number(/cpu-ms=([\d.]+)/.exec(stderr)?.[1] ?? NaN) };
}

function quantiles(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return `median ${at(0.5).toFixed(0)} ms, p90 ${at(0.9).toFixed(0)} ms`;
}

function stats(samples: readonly Sample[]): string {
  return `wall ${quantiles(samples.map((s) => s.wall))}; CPU ${quantiles(samples.map((s) => s.cpu))}`;
}

async function sample(args: string[], cwd: string): Promise<Sample[]> {
  await timed(args, cwd);
  const samples: Sample[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await timed(args, cwd));
  return samples;
}

const dir = mkdtempSync(join(tmpdir(), "gitops-bot-cli-bench-"));
try {
  writeFileSync(join(dir, "pod.yaml"), POD);
  const imports = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(join(DIST, "cli/check.js")).href)}); process.stdout.write(String(performance.now() - t));`;
  const importTimes: number[] = [];
  for (let i = 0; i < RUNS; i++) importTimes.push(Number((await run(process.execPath, ["--input-type=module", "-e", imports], { cwd: dir })).stdout));
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(", ")} on ${availableParallelism()} cores`);
  console.log(`node start-up (empty script):                 ${stats(await sample(["-e", ""], dir))}`);
  console.log(`import of the check's modules (in-process):   wall ${quantiles(importTimes)}`);
  console.log(`gitops-bot check pod.yaml, start to exit:     ${stats(await sample([CLI, "check", "pod.yaml"], dir))}   (target: under 300 ms)`);

  const corpus = resolve(PROJECT, process.env.KYVERNO_CONFORMANCE_DIR || "../shared/conformance/kyverno", "tier1");
  const started = performance.now();
  const tested = await run(process.execPath, [CLI, "test", corpus, "--fail-only"]).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }));
  const summary = /Test Summary: .*/.exec(tested.stdout)?.[0] ?? "no summary (is the corpus there? set KYVERNO_CONFORMANCE_DIR)";
  console.log(`gitops-bot test over tier1:                   ${summary}; ${(performance.now() - started).toFixed(0)} ms start to exit`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
