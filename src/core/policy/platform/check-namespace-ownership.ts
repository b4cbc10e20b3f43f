import type { Severity } from "../../problems.js";
import type { Finding } from "../types.js";
import type { PlatformContext } from "./platform-context.js";
import { fileFinding, platformFinding } from "./platform-finding.js";
import { identify } from "./workloads.js";

const RULE = "namespace-ownership";

/**
 * Namespace ownership: the author of a change may only touch files under their teams' folders and
 * objects in their teams' namespaces. Admin teams may change anything. Files that belong to no team
 * (cluster-wide configuration) are reserved for admin teams.
 */
export function checkNamespaceOwnership(
  context: PlatformContext,
  params: { severity: Severity; changedFiles: readonly string[]; authorTeams: readonly string[] },
): Finding[] {
  const ownership = context.config.ownership;
  if (!ownership) return [];
  const { severity, authorTeams } = params;
  if (authorTeams.some((team) => ownership.adminTeams.includes(team))) return [];
  const yours = authorTeams.length > 0 ? `your teams (${authorTeams.join(", ")})` : "you (no team)";
  const admins = ownership.adminTeams.length > 0 ? ownership.adminTeams.join(", ") : "the platform team";

  const findings: Finding[] = [];
  const firstManifest = new Map(context.manifests.map((m) => [m.file, m] as const).reverse());
  for (const file of params.changedFiles) {
    const owners = context.teamsOwningPath(file);
    if (owners.some((team) => authorTeams.includes(team))) continue;
    const message =
      owners.length === 0
        ? `\`${file}\` belongs to no team, so only ${admins} may change it; ${yours} may not.`
        : `\`${file}\` belongs to ${owners.join(", ")}; ${yours} may not change it.`;
    const hint = `Change files under your team's folder, or ask ${owners.length === 0 ? admins : owners.join(", ")} to make this change.`;
    const manifest = firstManifest.get(file);
    findings.push(
      manifest
        ? platformFinding({ manifest, path: [], rule: RULE, severity, message, hint })
        : fileFinding({ file, rule: RULE, severity, message, hint }),
    );
  }

  const changed = new Set(params.changedFiles);
  for (const manifest of context.manifests) {
    if (!changed.has(manifest.file)) continue;
    const { kind, name, namespace } = identify(manifest);
    // A Namespace object claims the namespace it names.
    const claimed = kind === "Namespace" ? name : namespace;
    if (claimed === undefined || claimed === "") continue;
    if (authorTeams.some((team) => context.teamOwnsNamespace(team, claimed))) continue;
    findings.push(
      platformFinding({
        manifest,
        path: kind === "Namespace" ? ["metadata", "name"] : ["metadata", "namespace"],
        rule: RULE,
        severity,
        message: `${kind} "${name}" is in namespace "${claimed}", which ${yours} do not own.`,
        hint: `Use one of your team's namespaces, or ask ${admins} to make this change.`,
      }),
    );
  }
  return findings;
}
