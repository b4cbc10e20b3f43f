import type { Catalog, Template } from "../catalog/load-catalog.js";
import type { BotConfig } from "../config/bot-config.schema.js";
import { loadManifests } from "../manifests/load-manifests.js";
import { evaluatePolicies, findingFromProblem, sortFindings } from "../policy/evaluate.js";
import type { LoadedPolicy } from "../policy/load-policies.js";
import { PlatformRulesSchema, type PlatformConfig } from "../policy/platform/platform-config.schema.js";
import type { Finding } from "../policy/types.js";
import type { SchemaCatalog } from "../validate/schema/schema-catalog.js";
import { validateManifests } from "../validate/validate-manifests.js";
import { mapSampleFinding } from "./map-sample-finding.js";
import { renderTemplateSamples } from "./render-template-samples.js";

/**
 * Judges a template before anyone requests it: renders it in every size with its examples
 * ({@link renderTemplateSamples}), runs the policies, platform rules and validation checks (schemas,
 * PrometheusRules, dashboards) on each size's files alone,
 * and moves every finding to the line of the template file it comes from (`templateFolder` plus the
 * file's name, `platform/templates/web-service/deployment.yaml`), its message starting with the
 * sizes it occurs in. The same finding in several sizes is one finding naming them all.
 *
 * Each size is judged on its own, as if it were the only request in the repository: rules about
 * other objects (references, a team's quota) see only the sample. Namespace ownership is not judged,
 * since the sample's team is made up. Size ceilings judge a size by the platform's ceilings of the
 * same name in every environment ({@link ceilingsOfSize}). Rendering problems (a placeholder with no
 * value) are findings at the file the renderer names.
 */
export function checkTemplateSamples(params: {
  template: Template;
  catalog: Catalog;
  config: BotConfig;
  repoURL: string;
  /** The template's folder in the repository: findings land on its files. */
  templateFolder: string;
  /** The template's manifest files by name (`deployment.yaml`), as committed. */
  templateTexts: ReadonlyMap<string, string>;
  policies: readonly LoadedPolicy[];
  platform?: PlatformConfig;
  /** Schemas for validating the rendered objects; without it, schema validation is not run. */
  schemaCatalog?: SchemaCatalog;
}): Finding[] {
  const folder = params.templateFolder.replace(/\/+$/, "");
  const { samples, problems } = renderTemplateSamples(params);
  const merged = new Map<string, { finding: Finding; sizes: string[] }>();
  for (const sample of samples) {
    const files = sample.files.map((f) => ({ path: f.path, text: f.content }));
    const loaded = loadManifests({ files });
    const platform = params.platform ? ceilingsOfSize(params.platform, sample.size) : undefined;
    const evaluation = evaluatePolicies({
      policies: params.policies,
      manifests: loaded.manifests,
      ...(platform ? { platform } : {}),
      facts: { files: files.map((f) => f.path) },
    });
    // What the cluster, Prometheus or Grafana would reject, as for any manifest.
    const validation = validateManifests({
      manifests: loaded.manifests,
      rules: params.platform?.rules ?? PlatformRulesSchema.parse(undefined),
      ...(params.schemaCatalog ? { catalog: params.schemaCatalog } : {}),
      isJudged: () => true,
    });
    const found = [...evaluation.findings, ...validation, ...[...loaded.problems, ...evaluation.problems].map(findingFromProblem)];
    for (const finding of found) {
      const file = sample.files.find((f) => f.path === finding.file);
      const templateText = file ? params.templateTexts.get(file.source) : undefined;
      if (!file || templateText === undefined) continue;
      const mapped = mapSampleFinding({ finding, renderedText: file.content, templateFile: `${folder}/${file.source}`, templateText });
      // The message names the sample's namespace, which differs between environments: the place and rule identify a finding.
      const key = JSON.stringify([mapped.policy, mapped.rule, mapped.file, mapped.line, mapped.column, mapped.path]);
      const entry = merged.get(key);
      if (entry) {
        if (!entry.sizes.includes(sample.size)) entry.sizes.push(sample.size);
      } else merged.set(key, { finding: mapped, sizes: [sample.size] });
    }
  }
  const findings = [...merged.values()].map(({ finding, sizes }) => ({
    ...finding,
    message: `In ${sizes.length === 1 ? "size" : "sizes"} ${sizes.join(", ")}: ${finding.message}`,
  }));
  return sortFindings([...findings, ...problems.map(findingFromProblem)]);
}

/**
 * The platform configuration with every environment's largest size set to `size`, when the platform
 * defines that size: a template's `large` must fit the platform's `large`, whichever environment the
 * sample was rendered in. Which environments allow `large` is a question for each request, not for
 * the template, and the bot's and the platform's environment lists need not agree on it.
 */
function ceilingsOfSize(platform: PlatformConfig, size: string): PlatformConfig {
  if (!(size in platform.sizes)) return platform;
  return { ...platform, environments: platform.environments.map((environment) => ({ ...environment, maxSize: size })) };
}
