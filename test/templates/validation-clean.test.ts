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

const SETS = kubernetesModelsSchemas.kubernetesVersions;

// Each case is rendered and parsed once and validated under every shipped schema set: a template
// must not use a field only some of the Kubernetes versions a platform may target know.
it.each(CASES)("$template in size $size ($environment) passes schema, PrometheusRule and dashboard checks with no finding under every schema set", async ({ template, size, environment }) => {
  const result = renderCase({ catalog, template, size, environment });
  expect(result.problems).toEqual([]);
  const { manifests, problems } = loadManifests({ files: result.files.map((f) => ({ path: f.path, text: f.content })) });
  expect(problems).toEqual([]);
  const kinds = manifests.map((m) => ({ apiVersion: String(m.object.apiVersion), kind: String(m.object.kind) }));
  expect(SETS.length).toBeGreaterThan(1);
  for (const kubernetesVersion of SETS) {
    const schemaCatalog = await kubernetesModelsSchemas.load(kinds, kubernetesVersion);
    const findings = validateManifests({ manifests, rules: RULES, catalog: schemaCatalog, isJudged: () => true });
    expect({ kubernetesVersion, findings }).toEqual({ kubernetesVersion, findings: [] });
  }
});
