import { beforeAll, expect, it } from "vitest";
import { readBuiltinCatalog } from "../../src/adapters/local/read-builtin-catalog.js";
import { kubernetesModelsSchemas } from "../../src/adapters/schemas/kubernetes-models-schemas.js";
import type { Catalog } from "../../src/core/catalog/load-catalog.js";
import { loadManifests } from "../../src/core/manifests/load-manifests.js";
import { PlatformRulesSchema } from "../../src/core/policy/platform/platform-config.schema.js";
import { validateManifests } from "../../src/core/validate/validate-manifests.js";
import { CASES, renderCase } from "./render-case.js";

let catalog: Catalog;
beforeAll(async () => {
  const loaded = await readBuiltinCatalog();
  expect(loaded.problems).toEqual([]);
  catalog = loaded.catalog;
});

// Every check at its strictest: a notice or a warning on a built-in template is a typo to fix too.
const RULES = PlatformRulesSchema.parse(undefined);

it.each(CASES)("$template in size $size ($environment) passes schema, PrometheusRule and dashboard checks with no finding", async ({ template, size, environment }) => {
  const result = renderCase({ catalog, template, size, environment });
  expect(result.problems).toEqual([]);
  const { manifests, problems } = loadManifests({ files: result.files.map((f) => ({ path: f.path, text: f.content })) });
  expect(problems).toEqual([]);
  const schemaCatalog = await kubernetesModelsSchemas.load(manifests.map((m) => ({ apiVersion: String(m.object.apiVersion), kind: String(m.object.kind) })));
  const findings = validateManifests({ manifests, rules: RULES, catalog: schemaCatalog, isJudged: () => true });
  expect(findings).toEqual([]);
});
