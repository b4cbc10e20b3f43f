/**
 * Marks a phase of the command's start-up in Node's performance timeline, with the process's CPU
 * time so far: `npm run bench` (src/bench/cli-bench.ts) reads the marks at exit and prints the time
 * to each phase. Nothing else reads them; a mark costs microseconds.
 */
export function markPhase(name: "started" | "command-loaded" | "first-finding"): void {
  const cpu = process.cpuUsage();
  performance.mark(`gitops-bot:${name}`, { detail: { cpu: (cpu.user + cpu.system) / 1000 } });
}
