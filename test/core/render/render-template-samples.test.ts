import { describe, expect, it } from "vitest";
import { BotConfigSchema } from "../../../src/core/config/bot-config.schema.js";
import { renderTemplateSamples } from "../../../src/core/render/render-template-samples.js";
import { APPLICATION_YAML, TEMPLATE_YAML, deploymentYaml, queueCatalog } from "../../helpers/queue-template.js";
import { loadCatalog } from "../../../src/core/catalog/load-catalog.js";

const environments = {
  dev: { cluster: "https://kubernetes.default.svc", namespace: "{team}-dev", maxSize: "small" },
  staging: { cluster: "https://kubernetes.default.svc", namespace: "{team}-staging", maxSize: "medium" },
  prod: { cluster: "https://prod.example", namespace: "{team}-prod", maxSize: "large" },
};

describe("renderTemplateSamples", () => {
  it("renders every size in the first environment that allows it, as request `example` of team `example`, without the Application", () => {
    const catalog = queueCatalog(deploymentYaml());
    const config = BotConfigSchema.parse({ environments, templates: ["web-service"] });
    const { samples, problems } = renderTemplateSamples({ template: catalog.templates.get("queue")!, catalog, config, repoURL: "x" });
    expect(problems).toEqual([]);
    expect(samples.map((s) => [s.size, s.environment, s.files.map((f) => `${f.source} -> ${f.path}`)])).toEqual([
      ["small", "dev", ["deployment.yaml -> apps/example/example/dev/deployment.yaml"]],
      ["medium", "staging", ["deployment.yaml -> apps/example/example/staging/deployment.yaml"]],
      ["large", "prod", ["deployment.yaml -> apps/example/example/prod/deployment.yaml"]],
    ]);
    expect(samples[2]?.files[0]?.content).toContain("image: ghcr.io/acme/queue:1.0.0");
    expect(samples[2]?.files[0]?.content).toContain("namespace: example-prod");
  });

  it("leaves out a size no environment allows", () => {
    const catalog = queueCatalog(deploymentYaml());
    const config = BotConfigSchema.parse({ environments: { dev: environments.dev } });
    expect(
      renderTemplateSamples({ template: catalog.templates.get("queue")!, catalog, config, repoURL: "x" }).samples.map((s) => s.size),
    ).toEqual(["small"]);
  });

  it("uses the catalog's Application when it has one, and still keeps only the template's files", () => {
    const loaded = loadCatalog({
      files: new Map([
        ["queue/template.yaml", TEMPLATE_YAML],
        ["queue/deployment.yaml", deploymentYaml()],
        ["argocd-application.yaml", APPLICATION_YAML],
      ]),
      root: "platform/templates",
    });
    const config = BotConfigSchema.parse({});
    const { samples } = renderTemplateSamples({
      template: loaded.catalog.templates.get("queue")!,
      catalog: loaded.catalog,
      config,
      repoURL: "x",
    });
    expect(samples.flatMap((s) => s.files.map((f) => f.source))).toEqual(["deployment.yaml", "deployment.yaml", "deployment.yaml"]);
  });

  it("reports a placeholder with no value once, not once per size", () => {
    const deployment = deploymentYaml().replace("${{ size.replicas }}", "${{ size.replica }}");
    const catalog = queueCatalog(deployment);
    const { samples, problems } = renderTemplateSamples({
      template: catalog.templates.get("queue")!,
      catalog,
      config: BotConfigSchema.parse({}),
      repoURL: "x",
    });
    expect(samples).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.file).toBe("platform/templates/queue/deployment.yaml");
  });
});
