/**
 * Reads a generated local GitOps clone the way `gitops-bot upgrade` and the local request commands
 * do (list the base branch, then read every file), two ways in the same run:
 * - per file: `git ls-tree <base> -- <path>` then `git cat-file blob <sha>`, two git processes a
 *   read (how the local adapter read files before it kept one `git cat-file --batch`);
 * - LocalRepo: one `ls-tree -r` and one long-lived `git cat-file --batch` for the whole command.
 * Each way runs several times, alternating; it prints the median wall time, this process's CPU and
 * the CPU of the git processes it waited for (Linux: /proc/self/stat), and the load average.
 * Run the built file: `node dist/bench/local-repo-bench.js [files]` (default 400).
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import { LocalRepo } from "../adapters/local/local-repo.js";

const run = promisify(execFile);
const FILES = Number(process.argv[2] ?? 400);
const ROUNDS = 5;

/** CPU milliseconds of this process, and of the children it waited for (clock ticks of 10 ms). */
function cpu(): { own: number; children: number } {
  const usage = process.cpuUsage();
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]?.split(" ") ?? [];
  // Fields 16 and 17 of stat (cutime, cstime), counted from the state field (3) after the name.
  const children = (Number(fields[13]) + Number(fields[14])) * 10;
  return { own: (usage.user + usage.system) / 1000, children };
}

function makeClone(files: number): string {
  const dir = mkdtempSync(join(tmpdir(), "gitops-bot-local-bench-"));
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
  git("init", "-q", "-b", "main");
  for (let i = 0; i < files; i++) {
    const folder = join(dir, "apps", `team-${i % 20}`, `svc-${i}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      join(folder, "deployment.yaml"),
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc-${i}\n  namespace: team-${i % 20}\nspec:\n  replicas: 2\n${"  # padding\n".repeat(40)}`,
    );
  }
  git("add", "-A");
  git("-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-q", "-m", "clone");
  return dir;
}

async function perFile(dir: string): Promise<number> {
  const { stdout } = await run("git", ["ls-tree", "-r", "-z", "--full-tree", "--name-only", "main"], { cwd: dir });
  let bytes = 0;
  for (const path of stdout.split("\0").filter(Boolean)) {
    const entry = (await run("git", ["ls-tree", "-z", "--full-tree", "main", "--", path], { cwd: dir })).stdout;
    const sha = entry.split("\t")[0]?.split(" ")[2] ?? "";
    bytes += (await run("git", ["cat-file", "blob", sha], { cwd: dir, maxBuffer: 64 * 1024 * 1024 })).stdout.length;
  }
  return bytes;
}

async function batched(dir: string): Promise<number> {
  const repo = new LocalRepo(dir, "main");
  try {
    let bytes = 0;
    for (const entry of await repo.listFiles()) bytes += (await repo.readFile(entry.path))?.length ?? 0;
    return bytes;
  } finally {
    repo.close();
  }
}

async function measure(
  way: (dir: string) => Promise<number>,
  dir: string,
): Promise<{ wall: number; own: number; children: number; bytes: number }> {
  const before = cpu();
  const start = performance.now();
  const bytes = await way(dir);
  const wall = performance.now() - start;
  // The batch process is reaped shortly after its stdin closes: wait for it before reading children's CPU.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const after = cpu();
  return { wall, own: after.own - before.own, children: after.children - before.children, bytes };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const dir = makeClone(FILES);
try {
  const samples = { perFile: [] as Awaited<ReturnType<typeof measure>>[], batched: [] as Awaited<ReturnType<typeof measure>>[] };
  for (let round = 0; round < ROUNDS; round++) {
    samples.perFile.push(await measure(perFile, dir));
    samples.batched.push(await measure(batched, dir));
  }
  if (samples.perFile[0]?.bytes !== samples.batched[0]?.bytes) throw new Error("the two ways read different bytes");
  const show = (name: string, list: Awaited<ReturnType<typeof measure>>[]) =>
    `${name}: wall ${median(list.map((s) => s.wall)).toFixed(0)} ms, own CPU ${median(list.map((s) => s.own)).toFixed(0)} ms, git CPU ${median(list.map((s) => s.children)).toFixed(0)} ms`;
  const ratio = median(samples.perFile.map((s) => s.wall)) / median(samples.batched.map((s) => s.wall));
  const cpuRatio =
    median(samples.perFile.map((s) => s.own + s.children)) / Math.max(1, median(samples.batched.map((s) => s.own + s.children)));
  console.log(`local clone: ${FILES} files read (medians of ${ROUNDS} alternating rounds; load average ${loadavg()[0]?.toFixed(1)})`);
  console.log(`  ${show(`2 git processes a file (${2 * FILES + 1} processes)`, samples.perFile)}`);
  console.log(`  ${show("LocalRepo, ls-tree once + one cat-file --batch (2 processes)", samples.batched)}`);
  console.log(
    `  LocalRepo is ${ratio.toFixed(1)}x faster in wall time, ${cpuRatio.toFixed(1)}x in CPU (this process and its git processes)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
