import { loadManifests } from "../../../../src/core/manifests/load-manifests.js";
import { PlatformConfigSchema, type PlatformConfig } from "../../../../src/core/policy/platform/platform-config.schema.js";
import type { Manifest } from "../../../../src/core/policy/types.js";

/** Loads manifests from inline files, failing loudly on any YAML problem in the fixture itself. */
export function manifestsOf(files: Record<string, string>): Manifest[] {
  const loaded = loadManifests({ files: Object.entries(files).map(([path, text]) => ({ path, text })) });
  if (loaded.problems.length > 0) throw new Error(`fixture problems: ${JSON.stringify(loaded.problems)}`);
  return loaded.manifests;
}

/** A platform config with the given fields over the schema's defaults. */
export function configOf(fields: Record<string, unknown>): PlatformConfig {
  return PlatformConfigSchema.parse({ apiVersion: "gitops-bot.dev/v1alpha1", kind: "PlatformConfig", ...fields });
}

/** Sizes and environments most tests share. */
export const SIZES = {
  small: { replicas: 2, container: { cpu: "500m", memory: "512Mi" }, namespace: { cpu: "2", memory: "2Gi" } },
  large: { replicas: 6, container: { cpu: "2", memory: "4Gi" }, namespace: { cpu: "16", memory: "32Gi" } },
};
export const ENVIRONMENTS = [
  { name: "production", namespaces: ["*-prod"], labels: { environment: "production" }, maxSize: "large" },
  { name: "development", namespaces: ["*-dev"], paths: ["apps/*/dev/**"], maxSize: "small" },
];

/** A Deployment with one container, in YAML, with the given replicas and resources. */
export function deploymentYaml(params: {
  name: string;
  namespace?: string;
  replicas?: number;
  labels?: Record<string, string>;
  cpu?: string;
  memory?: string;
  limitCpu?: string;
}): string {
  const lines = ["apiVersion: apps/v1", "kind: Deployment", "metadata:", `  name: ${params.name}`];
  if (params.namespace) lines.push(`  namespace: ${params.namespace}`);
  if (params.labels) {
    lines.push("  labels:");
    for (const [key, value] of Object.entries(params.labels)) lines.push(`    ${key}: ${value}`);
  }
  lines.push("spec:");
  if (params.replicas !== undefined) lines.push(`  replicas: ${params.replicas}`);
  lines.push(
    "  selector:",
    "    matchLabels:",
    `      app: ${params.name}`,
    "  template:",
    "    metadata:",
    "      labels:",
    `        app: ${params.name}`,
    "    spec:",
    "      containers:",
    "        - name: app",
    "          image: registry.example.com/app:1.0.0",
    "          resources:",
    "            requests:",
    `              cpu: ${params.cpu ?? "100m"}`,
    `              memory: ${params.memory ?? "128Mi"}`,
  );
  if (params.limitCpu) lines.push("            limits:", `              cpu: ${params.limitCpu}`);
  return `${lines.join("\n")}\n`;
}

/** 1-based line and column of the `occurrence`-th (1-based) line containing `needle`, at the needle. */
export function positionOfText(text: string, needle: string, occurrence = 1): { line: number; column: number } {
  let seen = 0;
  const lines = text.split("\n");
  for (const [index, line] of lines.entries()) {
    const column = line.indexOf(needle);
    if (column >= 0 && ++seen === occurrence) return { line: index + 1, column: column + 1 };
  }
  throw new Error(`"${needle}" not found ${occurrence} time(s)`);
}
