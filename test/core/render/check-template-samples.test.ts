import { beforeAll, describe, expect, it } from "vitest";
import {
  BUILTIN_POLICIES_DIR,
  BUILTIN_TEMPLATES_DIR,
  readBuiltinCatalog,
  readTextTree,
} from "../../../src/adapters/local/read-builtin-catalog.js";
import type { Catalog } from "../../../src/core/catalog/load-catalog.js";
import { BotConfigSchema } from "../../../src/core/config/bot-config.schema.js";
import { loadPolicies, type LoadedPolicies } from "../../../src/core/policy/load-policies.js";
import { kubernetesModelsSchemas } from "../../../src/adapters/schemas/kubernetes-models-schemas.js";
import { checkTemplateSamples } from "../../../src/core/render/check-template-samples.js";
import { TEMPLATE_YAML, deploymentYaml, queueCatalog } from "../../helpers/queue-template.js";

const config = BotConfigSchema.parse({});
let catalog: Catalog;
let policies: LoadedPolicies;
let texts: Map<string, string>;

beforeAll(async () => {
  catalog = (await readBuiltinCatalog()).catalog;
  texts = await readTextTree(BUILTIN_TEMPLATES_DIR);
  policies = loadPolicies({ files: [...(await readTextTree(BUILTIN_POLICIES_DIR))].map(([path, text]) => ({ path, text })) });
});

function check(name: string) {
  const template = catalog.templates.get(name)!;
  const templateTexts = new Map(template.files.map((f) => [f.path, texts.get(`${name}/${f.path}`) ?? ""]));
  return checkTemplateSamples({
    template,
    catalog,
    config,
    repoURL: "https://github.com/acme/gitops.git",
    templateFolder: `platform/templates/${name}`,
    templateTexts,
    policies: policies.policies,
    ...(policies.platform ? { platform: policies.platform } : {}),
  });
}

describe("checkTemplateSamples", () => {
  it.each(["web-service", "worker", "cron-job", "team-namespace"])("finds nothing in the built-in template %s", (name) => {
    expect(check(name).map((f) => `${f.file}:${f.line} ${f.rule} ${f.message}`)).toEqual([]);
  });
});

describe("checkTemplateSamples on a repository's template", () => {
  function checkQueue(deployment: string) {
    const queue = queueCatalog(deployment);
    return checkTemplateSamples({
      template: queue.templates.get("queue")!,
      catalog: queue,
      config,
      repoURL: "x",
      templateFolder: "platform/templates/queue/",
      templateTexts: new Map([["deployment.yaml", deployment]]),
      policies: policies.policies,
      ...(policies.platform ? { platform: policies.platform } : {}),
    });
  }

  it("finds nothing in a template that meets the policies", () => {
    expect(checkQueue(deploymentYaml())).toEqual([]);
  });

  it("validates the rendered objects against the schemas: a typo is reported at the template's line", async () => {
    const deployment = deploymentYaml().replace("containers:", "containres:");
    const line = deployment.split("\n").findIndex((l) => l.includes("containres:")) + 1;
    const queue = queueCatalog(deployment);
    const schemaCatalog = await kubernetesModelsSchemas.load([{ apiVersion: "apps/v1", kind: "Deployment" }]);
    const findings = checkTemplateSamples({
      template: queue.templates.get("queue")!,
      catalog: queue,
      config,
      repoURL: "x",
      templateFolder: "platform/templates/queue",
      templateTexts: new Map([["deployment.yaml", deployment]]),
      policies: [],
      schemaCatalog,
    });
    // The pod spec misses `containers` (at its parent) and has a field the schema does not know.
    expect(findings.map((f) => `${f.policy}/${f.rule}`)).toEqual(["schema/required", "schema/unknown-field"]);
    expect(findings[1]).toMatchObject({ file: "platform/templates/queue/deployment.yaml", line });
    expect(findings[1]?.message).toContain("did you mean `containers`?");
  });

  it("reports a privileged container once, at the template's `privileged:` line, naming every size", () => {
    const deployment = deploymentYaml({ privileged: true });
    const line = deployment.split("\n").findIndex((l) => l.includes("privileged: true")) + 1;
    const findings = checkQueue(deployment);
    expect(findings).toEqual([
      expect.objectContaining({
        file: "platform/templates/queue/deployment.yaml",
        line,
        column: 13,
        severity: "error",
        path: "spec.template.spec.containers[0].securityContext.privileged",
      }),
    ]);
    expect(findings[0]?.message).toMatch(/^In sizes small, medium, large: Deployment /);
  });

  it("reports a `latest` image written into the template at its line", () => {
    const deployment = deploymentYaml({ image: "ghcr.io/acme/queue:latest" });
    const line = deployment.split("\n").findIndex((l) => l.includes(":latest")) + 1;
    const findings = checkQueue(deployment);
    expect(findings.map((f) => [f.file, f.line, f.rule])).toContainEqual([
      "platform/templates/queue/deployment.yaml",
      line,
      expect.stringContaining("latest"),
    ]);
  });

  it("judges each size by the platform's ceilings of that size", () => {
    const deployment = deploymentYaml();
    const big = TEMPLATE_YAML.replace(
      'large: { replicas: 4, cpu: { request: 500m, limit: "2" }',
      'large: { replicas: 4, cpu: { request: "6", limit: "8" }',
    );
    const queue = queueCatalog(deployment, big);
    const findings = checkTemplateSamples({
      template: queue.templates.get("queue")!,
      catalog: queue,
      config,
      repoURL: "x",
      templateFolder: "platform/templates/queue",
      templateTexts: new Map([["deployment.yaml", deployment]]),
      policies: [],
      ...(policies.platform ? { platform: policies.platform } : {}),
    });
    // The requested CPU, the line after `requests:`: the template sets no CPU limit.
    const cpu = deployment.split("\n").findIndex((l) => l.includes("requests:")) + 2;
    expect(findings.map((f) => [f.line, f.rule, f.message.slice(0, 14)])).toEqual([[cpu, "size-ceiling", "In size large:"]]);
  });
});
