import { loadCatalog, type Catalog } from "../../src/core/catalog/load-catalog.js";
import { BotConfigSchema, type BotConfig } from "../../src/core/config/bot-config.schema.js";

/** A small catalog written inline, so core tests do not depend on the built-in templates. */
export const TINY_FILES = new Map<string, string>([
  [
    "web/template.yaml",
    `apiVersion: gitops-bot.dev/v1
kind: Template
name: web
description: A tiny web service.
parameters:
  image: { type: string, required: true, pattern: "[a-z0-9./-]+:[A-Za-z0-9._-]+", description: "an image with a tag" }
  port: { type: integer, default: 8080, minimum: 1024, maximum: 65535 }
  public: { type: boolean, default: false }
  ratio: { type: number, default: 0.5 }
  tier: { type: string, enum: [gold, silver], default: silver }
sizes:
  small: { replicas: 1, cpu: { request: 100m, limit: 200m }, memory: { request: 64Mi, limit: 128Mi } }
  medium: { replicas: 2, cpu: { request: 200m, limit: 400m }, memory: { request: 128Mi, limit: 256Mi }, autoscaling: { min: 2, max: 4 } }
  large: { replicas: 4, cpu: { request: "1", limit: "2" }, memory: { request: 1Gi, limit: 2Gi }, autoscaling: { min: 4, max: 10 }, approval: platform }
files:
  - deployment.yaml
  - { path: hpa.yaml, sizes: [medium, large] }
`,
  ],
  [
    "web/deployment.yaml",
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: \${{ values.name }}
  namespace: \${{ environment.namespace }}
  annotations:
    tier: \${{ values.tier }}
    public: \${{ values.public }}
    summary: "\${{ values.name }} on port \${{ values.port }}"
    alert: "{{ $labels.pod }} is down"
    port: "\${{ values.port }}"
    public-text: '\${{ values.public }}'
spec:
  replicas: \${{ size.replicas }}
  template:
    spec:
      containers:
        - name: app
          image: \${{ values.image }}
          ports:
            - containerPort: \${{ values.port }}
          resources:
            requests: { cpu: "\${{ size.cpu.request }}", memory: "\${{ size.memory.request }}" }
            limits:
              cpu: \${{ size.cpu.limit }}
              memory: \${{ size.memory.limit }}
`,
  ],
  [
    "web/hpa.yaml",
    `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: \${{ values.name }}
spec:
  minReplicas: \${{ size.autoscaling.min }}
  maxReplicas: \${{ size.autoscaling.max }}
`,
  ],
  [
    "argocd-application.yaml",
    `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: \${{ values.team }}-\${{ values.name }}-\${{ values.environment }}
  namespace: \${{ argocd.namespace }}
spec:
  project: \${{ argocd.project }}
  source:
    repoURL: \${{ argocd.repoURL }}
    path: \${{ paths.manifests }}
    targetRevision: HEAD
  destination: { server: "\${{ environment.cluster }}", namespace: "\${{ environment.namespace }}" }
`,
  ],
]);

export function tinyCatalog(files: ReadonlyMap<string, string> = TINY_FILES): Catalog {
  const { catalog, problems } = loadCatalog({ files, root: "catalog" });
  if (problems.length > 0) throw new Error(`tiny catalog is invalid: ${JSON.stringify(problems)}`);
  return catalog;
}

export function tinyConfig(overrides: Record<string, unknown> = {}): BotConfig {
  return BotConfigSchema.parse({
    environments: {
      dev: { cluster: "https://dev.example", namespace: "{team}-dev" },
      prod: { cluster: "https://prod.example", namespace: "{team}-prod", maxSize: "medium" },
    },
    approvals: { groups: { platform: ["acme/platform"] }, environments: { prod: ["acme/sre"] } },
    ...overrides,
  });
}
