import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { kubernetesModelsSchemas } from "../../src/adapters/schemas/kubernetes-models-schemas.js";
import { appFile, OBJECTS_PER_APP } from "../../src/bench/generate-manifests.js";
import type { FileSource } from "../../src/ports.js";
import { checkFiles } from "../../src/workflows/check-files.js";
import { readPolicies } from "../../src/workflows/read-policies.js";

// Guards the speed work of issue 16: the policy benchmark's own input (5,000 manifests, the
// default policies, schema validation on) must give the same findings and results after every
// change made for speed. The findings are listed, the 80,000 results counted and hashed.

const POLICIES_DIR = fileURLToPath(new URL("../../policies/", import.meta.url));

function source(files: Map<string, string>): FileSource {
  return { listFiles: async () => [...files.keys()], readFile: async (file) => files.get(file) ?? null };
}

function folder(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.set(path.relative(root, full).split(path.sep).join("/"), readFileSync(full, "utf8"));
    }
  };
  walk(root);
  return files;
}

it("the policy benchmark's 5,000 manifests give the same findings and results", async () => {
  const repo = new Map<string, string>();
  for (let index = 0; index < 5_000 / OBJECTS_PER_APP; index++) repo.set(`apps/team-${index % 25}/app-${index}/app.yaml`, appFile(index));
  const policies = await readPolicies({ sources: [{ source: source(folder(POLICIES_DIR)), folder: "" }] });
  const result = await checkFiles({ source: source(repo), policies, schemas: kubernetesModelsSchemas, results: true });

  expect(result.checkedFiles).toHaveLength(500);
  expect(
    result.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.policy}/${f.rule} ${f.path} ${f.message}`),
  ).toMatchSnapshot();
  const counts: Record<string, number> = {};
  for (const r of result.results) counts[`${r.policy}/${r.rule} ${r.status}`] = (counts[`${r.policy}/${r.rule} ${r.status}`] ?? 0) + 1;
  expect(counts).toMatchSnapshot();
  expect(createHash("sha256").update(JSON.stringify(result.results)).digest("hex")).toMatchSnapshot();
}, 60_000);
