/**
 * Times the command line as users run it, each run a fresh `node dist/cli.js` process:
 * - `gitops-bot check` on one small file, from process start to exit (median and p90), next to
 *   Node's own start-up (an empty script) and the import of the check's modules alone;
 * - `gitops-bot test` over the Kyverno tier1 corpus: its pass count and time, as it prints them.
 * Run the built file: `node dist/bench/cli-bench.js`.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
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

async function timed(args: string[], cwd: string): Promise<number> {
  const started = performance.now();
  await run(process.execPath, args, { cwd }).catch((error: { code?: number }) => {
    if (typeof error.code !== "number" || error.code > 1) throw error;
  });
  return performance.now() - started;
}

function stats(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return `median ${at(0.5).toFixed(0)} ms, p90 ${at(0.9).toFixed(0)} ms`;
}

async function sample(args: string[], cwd: string): Promise<number[]> {
  await timed(args, cwd);
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await timed(args, cwd));
  return samples;
}

const dir = mkdtempSync(join(tmpdir(), "gitops-bot-cli-bench-"));
try {
  writeFileSync(join(dir, "pod.yaml"), POD);
  const imports = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(join(DIST, "cli/check.js")).href)}); process.stdout.write(String(performance.now() - t));`;
  const importTimes: number[] = [];
  for (let i = 0; i < RUNS; i++) importTimes.push(Number((await run(process.execPath, ["--input-type=module", "-e", imports], { cwd: dir })).stdout));
  console.log(`node start-up (empty script):                 ${stats(await sample(["-e", ""], dir))}`);
  console.log(`import of the check's modules (in-process):   ${stats(importTimes)}`);
  console.log(`gitops-bot check pod.yaml, start to exit:     ${stats(await sample([CLI, "check", "pod.yaml"], dir))}   (target: under 300 ms)`);

  const corpus = resolve(PROJECT, process.env.KYVERNO_CONFORMANCE_DIR || "../shared/conformance/kyverno", "tier1");
  const started = performance.now();
  const tested = await run(process.execPath, [CLI, "test", corpus, "--fail-only"]).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }));
  const summary = /Test Summary: .*/.exec(tested.stdout)?.[0] ?? "no summary (is the corpus there? set KYVERNO_CONFORMANCE_DIR)";
  console.log(`gitops-bot test over tier1:                   ${summary}; ${(performance.now() - started).toFixed(0)} ms start to exit`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
