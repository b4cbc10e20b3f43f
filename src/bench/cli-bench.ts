/**
 * Times the command line as users run it, each run a fresh `node dist/cli.js` process:
 * - `gitops-bot check` on one small file: process start to exit (median and p90), next to Node's own
 *   start-up (an empty script), and split by the marks the CLI sets (src/cli.ts, src/cli/check.ts):
 *   Node's start-up and dist/cli.js, the import of the check's code, start-up to the first finding;
 * - the same check through the unbundled modules tsc wrote (dist/cli/check.js), for comparison
 *   with the bundle the build makes (scripts/bundle-cli.mjs);
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
const POD =
  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  securityContext: { runAsNonRoot: true }\n  containers:\n    - name: app\n      image: registry.example.com/web:1.2.3\n";

/** Prints, at exit and on stderr, the process's CPU time, its age and the marks it set, for the parent to read. */
const AT_EXIT = `data:text/javascript,${encodeURIComponent(
  "process.on('exit',()=>{const u=process.cpuUsage();const marks=Object.fromEntries(performance.getEntriesByType('mark').map((m)=>[m.name,{at:m.startTime,cpu:m.detail?.cpu}]));process.stderr.write('\\nbench='+JSON.stringify({cpu:(u.user+u.system)/1000,exit:performance.now(),marks})+'\\n')})",
)}`;

/** The check through tsc's unbundled modules, as dist/cli.js ran it before the build bundled it. */
const UNBUNDLED = `import { runCheck } from ${JSON.stringify(pathToFileURL(join(DIST, "cli/check.js")).href)};
process.exitCode = await runCheck(process.argv.slice(1), { stdout: (t) => void process.stdout.write(t), stderr: (t) => void process.stderr.write(t), cwd: process.cwd() });`;

interface Sample {
  wall: number;
  cpu: number;
  exit: number;
  /** The CLI's phases (src/cli/mark-phase.ts): wall and CPU time from the process's start. */
  marks: Record<string, { at: number; cpu: number }>;
}

async function timed(args: string[], cwd: string): Promise<Sample> {
  const started = performance.now();
  const { stderr } = await run(process.execPath, ["--import", AT_EXIT, ...args], { cwd }).catch(
    (error: { code?: number; stderr?: string }) => {
      if (typeof error.code !== "number" || error.code > 1) throw error;
      return { stderr: error.stderr ?? "" };
    },
  );
  const wall = performance.now() - started;
  const reported = JSON.parse(/bench=(.*)/.exec(stderr)?.[1] ?? "{}") as Partial<Sample>;
  return { wall, cpu: reported.cpu ?? NaN, exit: reported.exit ?? NaN, marks: reported.marks ?? {} };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function quantiles(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return `median ${at(0.5).toFixed(0)} ms, p90 ${at(0.9).toFixed(0)} ms`;
}

function stats(samples: readonly Sample[]): string {
  return `wall ${quantiles(samples.map((s) => s.wall))}; CPU ${quantiles(samples.map((s) => s.cpu))}`;
}

/** Runs every command line in turn, RUNS times (after one warm-up each), so the load hits them alike. */
async function sampleAll(commands: readonly string[][], cwd: string): Promise<Sample[][]> {
  for (const args of commands) await timed(args, cwd);
  const samples: Sample[][] = commands.map(() => []);
  for (let i = 0; i < RUNS; i++) for (const [index, args] of commands.entries()) samples[index]?.push(await timed(args, cwd));
  return samples;
}

const dir = mkdtempSync(join(tmpdir(), "gitops-bot-cli-bench-"));
try {
  writeFileSync(join(dir, "pod.yaml"), POD);
  const [bare = [], check = [], unbundled = []] = await sampleAll(
    [
      ["-e", ""],
      [CLI, "check", "pod.yaml"],
      ["--input-type=module", "-e", UNBUNDLED, "pod.yaml"],
    ],
    dir,
  );
  const phase = (name: string, of: "at" | "cpu") => check.map((s) => s.marks[`gitops-bot:${name}`]?.[of] ?? NaN);
  const imports = (of: "at" | "cpu") => phase("command-loaded", of).map((loaded, i) => loaded - (phase("started", of)[i] ?? NaN));
  const above = median(check.map((s) => s.wall)) - median(bare.map((s) => s.wall));
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(", ")} on ${availableParallelism()} cores; ${RUNS} runs each, interleaved`,
  );
  console.log(`node start-up (empty script):                 ${stats(bare)}`);
  console.log(`gitops-bot check pod.yaml, start to exit:     ${stats(check)}   (target: under 300 ms)`);
  const cpuAbove = median(check.map((s) => s.cpu)) - median(bare.map((s) => s.cpu));
  console.log(
    `  above bare node (median minus median): wall ${above.toFixed(0)} ms, CPU ${cpuAbove.toFixed(0)} ms   (target: at most 200 ms)`,
  );
  for (const of of ["at", "cpu"] as const) {
    const what = of === "at" ? "wall" : "CPU ";
    console.log(
      `  ${what} from the process's start: Node and dist/cli.js ${quantiles(phase("started", of))}; the check's imports ${quantiles(imports(of))}; first finding ${quantiles(phase("first-finding", of))}; exit ${quantiles(check.map((s) => (of === "at" ? s.exit : s.cpu)))}`,
    );
  }
  console.log(`the same check, unbundled (tsc's dist/cli/):  ${stats(unbundled)}`);

  const corpus = resolve(PROJECT, process.env.KYVERNO_CONFORMANCE_DIR || "../shared/conformance/kyverno", "tier1");
  const started = performance.now();
  const tested = await run(process.execPath, [CLI, "test", corpus, "--fail-only"]).catch((error: { stdout?: string }) => ({
    stdout: error.stdout ?? "",
  }));
  const summary = /Test Summary: .*/.exec(tested.stdout)?.[0] ?? "no summary (is the corpus there? set KYVERNO_CONFORMANCE_DIR)";
  console.log(`gitops-bot test over tier1:                   ${summary}; ${(performance.now() - started).toFixed(0)} ms start to exit`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
