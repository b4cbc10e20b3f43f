/**
 * The one queue template of the tests (`platform/templates/queue/`): a Deployment that meets every
 * default policy in every size, or runs privileged; with or without an example for its required
 * `image`. Catalog tests load it as a catalog, the policy check's tests commit it as files.
 */
import { loadCatalog, type Catalog } from "../../src/core/catalog/load-catalog.js";

/** The template's `template.yaml`; `example: false` leaves out the example its required `image` needs. */
export function queueTemplateYaml(options: { example?: boolean } = {}): string {
  return `apiVersion: gitops-bot.dev/v1
kind: Template
name: queue
description: A queue consumer.
parameters:
  image: { required: true, description: an image with a pinned tag }
${options.example === false ? "" : "examples:\n  image: ghcr.io/acme/queue:1.0.0\n"}sizes:
  small: { replicas: 2, cpu: { request: 100m, limit: 500m }, memory: { request: 128Mi, limit: 256Mi } }
  medium: { replicas: 3, cpu: { request: 250m, limit: "1" }, memory: { request: 256Mi, limit: 512Mi } }
  large: { replicas: 4, cpu: { request: 500m, limit: "2" }, memory: { request: 512Mi, limit: 1Gi } }
files: [deployment.yaml]
`;
}

export const TEMPLATE_YAML = queueTemplateYaml();

/** A Deployment template that meets the default policies, or runs privileged in the sizes given. */
export function deploymentYaml(options: { privileged?: boolean; image?: string } = {}): string {
  return `# The consumer.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: \${{ values.name }}
  namespace: \${{ environment.namespace }}
spec:
  replicas: \${{ size.replicas }}
  selector:
    matchLabels:
      app.kubernetes.io/name: \${{ values.name }}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: \${{ values.name }}
    spec:
      securityContext:
        runAsNonRoot: true
      containers:
        - name: app
          image: ${options.image ?? "${{ values.image }}"}
          securityContext:
${options.privileged ? "            privileged: true\n" : ""}            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
          resources:
            requests:
              cpu: \${{ size.cpu.request }}
              memory: \${{ size.memory.request }}
            limits:
              memory: \${{ size.memory.limit }}
          readinessProbe: { httpGet: { path: /readyz, port: 8080 } }
          livenessProbe: { httpGet: { path: /healthz, port: 8080 } }
`;
}

export const APPLICATION_YAML = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${{ values.name }}\n";

/** The queue template as a catalog, with its deployment's text. */
export function queueCatalog(deployment: string, templateYaml = TEMPLATE_YAML): Catalog {
  const loaded = loadCatalog({
    files: new Map([
      ["queue/template.yaml", templateYaml],
      ["queue/deployment.yaml", deployment],
    ]),
    root: "platform/templates",
  });
  if (loaded.problems.length > 0) throw new Error(loaded.problems.map((p) => p.message).join("\n"));
  return loaded.catalog;
}

/** The template as files of the GitOps repository, for the pull request check. */
export function queueTemplateFiles(options: { privileged?: boolean; example?: boolean } = {}): {
  template: { path: string; content: string };
  deployment: { path: string; content: string };
} {
  return {
    template: {
      path: "platform/templates/queue/template.yaml",
      content: queueTemplateYaml(options.example === undefined ? {} : { example: options.example }),
    },
    deployment: {
      path: "platform/templates/queue/deployment.yaml",
      content: deploymentYaml(options.privileged === undefined ? {} : { privileged: options.privileged }),
    },
  };
}
