import { z } from "zod";
import { parseQuantity } from "./quantity.js";

/**
 * The platform configuration: sizes, environments, team ownership and quotas, and which platform
 * rules run at which severity. It lives next to the Kyverno policies (policies/platform.yaml) as a
 * Kubernetes-style document so the same YAML tooling reads it; docs/policies.md documents it.
 */

export const PLATFORM_CONFIG_API_VERSION = "gitops-bot.dev/v1alpha1";
export const PLATFORM_CONFIG_KIND = "PlatformConfig";

const Quantity = z
  .union([z.string(), z.number()])
  .refine((value) => parseQuantity(value) !== undefined && (parseQuantity(value) ?? -1) >= 0, {
    message: "Expected a Kubernetes quantity such as 500m, 2, 512Mi or 4Gi",
  });

const Resources = z
  .strictObject({
    cpu: Quantity.optional(),
    memory: Quantity.optional(),
  })
  .describe("CPU and memory amounts (Kubernetes quantities)");

const Name = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "Expected a lowercase DNS-1123 label");

export const SizeSchema = z
  .strictObject({
    replicas: z.int().min(1).optional().describe("Most replicas (also the most an HPA may scale to)"),
    container: Resources.optional().describe("Most CPU and memory one container may request or limit"),
    namespace: Resources.optional().describe("Most CPU and memory all workloads of one namespace may request together"),
  })
  .describe("The ceilings one size allows");
export type Size = z.infer<typeof SizeSchema>;

export const EnvironmentSchema = z
  .strictObject({
    name: Name,
    namespaces: z.array(z.string().min(1)).default([]).describe("Namespace globs (`*-prod`) that belong to it"),
    labels: z.record(z.string(), z.string()).default({}).describe("Object labels that put an object in it (all must match)"),
    paths: z.array(z.string().min(1)).default([]).describe("Repository path globs (`apps/*/prod/**`) that belong to it"),
    maxSize: Name.describe("The largest size allowed here: a key of `sizes`"),
  })
  .describe("An environment: the first one whose namespaces, labels or paths match an object applies to it");
export type Environment = z.infer<typeof EnvironmentSchema>;

export const TeamSchema = z
  .strictObject({
    paths: z.array(z.string().min(1)).default([]).describe("Extra path globs the team owns"),
    namespaces: z.array(z.string().min(1)).default([]).describe("Extra namespace globs the team owns"),
    quota: Resources.optional().describe("Most CPU and memory the team's workloads may request in total"),
  })
  .describe("One team, keyed by its GitHub team slug");

export const OwnershipSchema = z
  .strictObject({
    paths: z
      .array(z.string().min(1))
      .default(["apps/{team}/**"])
      .describe("Path globs with a `{team}` placeholder: a file matching one belongs to that team"),
    namespaces: z
      .array(z.string().min(1))
      .default(["{team}", "{team}-*"])
      .describe("Namespace globs with a `{team}` placeholder that a team owns"),
    adminTeams: z.array(z.string().min(1)).default([]).describe("Teams that may change any file and namespace"),
  })
  .describe("Who may change what");

const RuleSeverity = z.enum(["error", "warning", "notice", "off"]);
export type RuleSeverity = z.infer<typeof RuleSeverity>;

const severity = (value: RuleSeverity) => RuleSeverity.default(value);

const Duration = z
  .string()
  .regex(/^(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$/, "Expected a Prometheus duration such as 30s, 5m or 1h")
  .refine((value) => value !== "", "Expected a Prometheus duration such as 30s, 5m or 1h");

const PrometheusRuleChecksSchema = z
  .strictObject({
    severity: severity("error").describe("PromQL syntax, durations, names and templates: what Prometheus itself rejects"),
    recordNames: z
      .strictObject({ severity: severity("warning") })
      .prefault({})
      .describe("Recording rule names follow level:metric:operations"),
    severityLabel: z
      .strictObject({
        severity: severity("warning"),
        values: z.array(z.string().min(1)).min(1).default(["critical", "warning", "info"]),
      })
      .prefault({})
      .describe("Every alert has a severity label with one of these values"),
    summaryAnnotation: z
      .strictObject({ severity: severity("warning") })
      .prefault({})
      .describe("Every alert has a summary annotation"),
    rangeFunctions: z
      .strictObject({ severity: severity("error") })
      .prefault({})
      .describe("rate(), increase() and the other range functions are given a range vector"),
    forCeiling: z
      .strictObject({ severity: severity("warning"), max: Duration.default("1h") })
      .prefault({})
      .describe("An alert's `for` stays at or below this duration"),
  })
  .prefault({})
  .describe("Checks of PrometheusRule objects, in the spirit of promtool and pint");

export const PlatformRulesSchema = z
  .strictObject({
    sizeCeilings: z.strictObject({ severity: severity("error") }).prefault({}),
    namespaceOwnership: z.strictObject({ severity: severity("error") }).prefault({}),
    teamQuota: z.strictObject({ severity: severity("error") }).prefault({}),
    references: z
      .strictObject({
        severity: severity("warning"),
        argoCdRepoURLs: z
          .array(z.string().min(1))
          .default([])
          .describe("Repository URLs that mean this repository; empty: every Application source with a path"),
      })
      .prefault({}),
    deprecatedApis: z
      .strictObject({
        severity: severity("error"),
        kubernetesVersion: z
          .string()
          .regex(/^1\.\d+$/, "Expected a Kubernetes minor version such as 1.31")
          .optional()
          .describe(
            "Target Kubernetes version; removed APIs get the rule's severity, deprecated ones a warning. It also picks the schema set (the same minor, or the nearest shipped)",
          ),
      })
      .prefault({}),
    podDisruptionBudget: z
      .strictObject({
        severity: severity("warning"),
        environments: z.array(Name).default(["production"]).describe("Environments where replicated workloads need a PDB"),
      })
      .prefault({}),
    schema: z
      .strictObject({
        severity: severity("error").describe("Wrong types, unknown fields, enum values, missing required fields"),
        unknownKinds: z.enum(["notice", "off"]).default("notice").describe("Kinds without a known schema: one notice per file and kind"),
      })
      .prefault({})
      .describe("Validation against the Kubernetes and CRD schemas"),
    prometheusRules: PrometheusRuleChecksSchema,
    grafanaDashboards: z
      .strictObject({
        severity: severity("error").describe("Invalid JSON, missing or duplicate uid, invalid PromQL in a panel"),
        paths: z
          .array(z.string().min(1))
          .default(["dashboards/**/*.json", "**/dashboards/**/*.json"])
          .describe("Repository path globs of dashboard JSON files (ConfigMaps labelled grafana_dashboard are found anywhere)"),
      })
      .prefault({}),
  })
  .prefault({})
  .describe("Which platform rules run, at which severity (`off` disables one)");
export type PlatformRules = z.infer<typeof PlatformRulesSchema>;

export const PlatformConfigSchema = z
  .strictObject({
    apiVersion: z.literal(PLATFORM_CONFIG_API_VERSION),
    kind: z.literal(PLATFORM_CONFIG_KIND),
    metadata: z.strictObject({ name: z.string().optional() }).optional(),
    sizes: z.record(Name, SizeSchema).default({}),
    environments: z.array(EnvironmentSchema).default([]),
    ownership: OwnershipSchema.optional(),
    teams: z.record(z.string().min(1), TeamSchema).default({}),
    exclude: z
      .array(z.string().min(1))
      .default([])
      .describe("Repository path globs that hold no Kubernetes manifests (Helm values, CI files)"),
    rules: PlatformRulesSchema,
    yamlLimits: z
      .strictObject({
        maxBytes: z.int().positive().optional().describe("Largest manifest file, in bytes (default 1 MiB)"),
        maxDepth: z.int().positive().optional().describe("Deepest nesting of collections (default 64)"),
        maxAliases: z.int().min(0).optional().describe("Most alias expansions per document; 0 forbids aliases (default 100)"),
        maxDocuments: z.int().positive().optional().describe("Most documents in one file (default 500)"),
      })
      .optional()
      .describe("Limits on the manifests read from the repository; docs/yaml-limits.md gives the defaults"),
  })
  .superRefine((config, ctx) => {
    for (const [index, environment] of config.environments.entries()) {
      // hasOwn, not `in`: `maxSize: constructor` must be an unknown size, not Object's constructor.
      if (!Object.hasOwn(config.sizes, environment.maxSize)) {
        ctx.addIssue({
          code: "custom",
          path: ["environments", index, "maxSize"],
          message: `Unknown size "${environment.maxSize}"; expected one of: ${Object.keys(config.sizes).join(", ") || "(no sizes defined)"}`,
        });
      }
    }
    for (const [index, name] of config.rules.podDisruptionBudget.environments.entries()) {
      if (config.environments.length > 0 && !config.environments.some((e) => e.name === name)) {
        ctx.addIssue({
          code: "custom",
          path: ["rules", "podDisruptionBudget", "environments", index],
          message: `Unknown environment "${name}"`,
        });
      }
    }
  });
export type PlatformConfig = z.infer<typeof PlatformConfigSchema>;
