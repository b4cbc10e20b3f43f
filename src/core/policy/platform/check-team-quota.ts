import type { Severity } from "../../problems.js";
import type { Finding } from "../types.js";
import { totalRequests } from "./check-size-ceilings.js";
import type { PlatformContext } from "./platform-context.js";
import { platformFinding } from "./platform-finding.js";
import { formatCpu, formatMemory, parseQuantity } from "./quantity.js";
import type { Workload } from "./workloads.js";

const RULE = "team-quota";

/**
 * Team quota: everything a team runs, over the whole repository after the change, may not request
 * more CPU or memory than its quota. A workload belongs to the teams owning its file; a file outside
 * every team folder falls back to the teams owning its namespace. Replicas count at the most an HPA
 * may scale to, since that is what the cluster must be able to hold.
 */
export function checkTeamQuota(context: PlatformContext, severity: Severity): Finding[] {
  // Only a team with a quota can get a finding: without one, no workload's owners need working out.
  if (!Object.values(context.config.teams).some((spec) => spec.quota)) return [];
  const findings: Finding[] = [];
  const owned = new Map<string, Workload[]>();
  for (const workload of context.workloads) {
    let teams = context.teamsOwningPath(workload.manifest.file);
    if (teams.length === 0 && workload.namespace !== undefined) teams = context.teamsOwningNamespace(workload.namespace);
    for (const team of teams) {
      const list = owned.get(team);
      if (list) list.push(workload);
      else owned.set(team, [workload]);
    }
  }
  for (const [team, spec] of Object.entries(context.config.teams)) {
    if (!spec.quota) continue;
    const workloads = owned.get(team) ?? [];
    const judged = workloads.find((w) => context.isJudged(w.manifest.file));
    if (!judged) continue;
    const { cpu, memory } = totalRequests(context, workloads);
    const checks = [
      { resource: "CPU", total: cpu, quota: parseQuantity(spec.quota.cpu), format: formatCpu },
      { resource: "memory", total: memory, quota: parseQuantity(spec.quota.memory), format: formatMemory },
    ];
    for (const check of checks) {
      if (check.quota === undefined || check.total <= check.quota) continue;
      findings.push(
        platformFinding({
          manifest: judged.manifest,
          path: [...judged.podSpecPath, "containers", 0, "resources", "requests"],
          rule: RULE,
          severity,
          message: `Team "${team}" would request ${check.format(check.total)} ${check.resource} in total across ${workloads.length} workload(s), above its quota of ${check.format(check.quota)}.`,
          hint: "Lower replicas or requests, remove unused workloads, or ask the platform team for a larger quota.",
        }),
      );
    }
  }
  return findings;
}
