import type { PlatformRules } from "../policy/platform/platform-config.schema.js";
import type { Finding, Manifest } from "../policy/types.js";
import { checkDashboards } from "./grafana/check-dashboards.js";
import { checkPrometheusRules } from "./promql/check-prometheus-rules.js";
import { checkSchemas } from "./schema/check-schemas.js";
import type { SchemaCatalog } from "./schema/schema-catalog.js";
import { SCHEMA_POLICY } from "./validation-finding.js";

/**
 * The checks of what the cluster, Prometheus or Grafana would reject: schema validation of every
 * manifest, PrometheusRule checks and Grafana dashboards. One entry point for `gitops-bot check`
 * and the pull request check; each check is switched off by its `severity: off` in the platform
 * config's rules.
 */
export function validateManifests(params: {
  manifests: readonly Manifest[];
  rules: PlatformRules;
  /** Schemas of the manifests' kinds; without it, schema validation is not run. */
  catalog?: SchemaCatalog;
  /** Dashboard `.json` files (those under `grafanaDashboards.paths`), judged and context alike. */
  dashboardFiles?: readonly { path: string; text: string }[];
  isJudged: (file: string) => boolean;
}): Finding[] {
  const { rules } = params;
  let findings: Finding[] = [];
  if (params.catalog && rules.schema.severity !== "off") {
    findings.push(
      ...checkSchemas({
        manifests: params.manifests,
        catalog: params.catalog,
        severity: rules.schema.severity,
        unknownKinds: rules.schema.unknownKinds,
        isJudged: params.isJudged,
      }),
    );
  }
  if (rules.prometheusRules.severity !== "off") {
    const ruleFindings = checkPrometheusRules({ manifests: params.manifests, checks: rules.prometheusRules, isJudged: params.isJudged });
    // The CRD schema's pattern for `for: 5x` says the same as the duration check, less readably: keep one.
    const explained = new Set(ruleFindings.map((f) => `${f.file}\0${f.path}`));
    findings = findings.filter((f) => !(f.policy === SCHEMA_POLICY && f.rule === "invalid-value" && explained.has(`${f.file}\0${f.path}`)));
    findings.push(...ruleFindings);
  }
  if (rules.grafanaDashboards.severity !== "off") {
    findings.push(
      ...checkDashboards({
        manifests: params.manifests,
        files: params.dashboardFiles ?? [],
        severity: rules.grafanaDashboards.severity,
        isJudged: params.isJudged,
      }),
    );
  }
  return findings;
}
