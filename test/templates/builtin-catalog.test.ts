import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT, readBuiltinCatalog } from "../../src/adapters/local/read-builtin-catalog.js";
import type { Catalog, Template } from "../../src/core/catalog/load-catalog.js";
import { REQUIRED_SIZES } from "../../src/core/catalog/template.schema.js";
import { validateValues } from "../../src/core/render/validate-values.js";

let catalog: Catalog;
beforeAll(async () => {
  const loaded = await readBuiltinCatalog();
  expect(loaded.problems).toEqual([]);
  catalog = loaded.catalog;
});

const BUILTIN = ["cron-job", "team-namespace", "web-service", "worker"];
const DOCS = join(PROJECT_ROOT, "docs", "templates.md");

function templates(): Template[] {
  return [...catalog.templates.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Kinds of a manifest file's documents, as written in the template (they hold no placeholders). */
function kindsOf(documents: unknown[]): string {
  const counts = new Map<string, number>();
  for (const d of documents) {
    const kind = String((d as { kind?: unknown }).kind);
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts].map(([kind, n]) => (n === 1 ? kind : `${n} × ${kind}`)).join(", ");
}

/** The docs table of files each template renders, built from the catalog so the docs cannot drift. */
function filesTable(): string {
  const rows = ["| Template | File | Kinds | Sizes |", "| --- | --- | --- | --- |"];
  for (const template of templates()) {
    for (const file of template.files) {
      rows.push(`| \`${template.name}\` | \`${file.path}\` | ${kindsOf(file.documents)} | ${file.sizes ? file.sizes.join(", ") : "all"} |`);
    }
  }
  rows.push(`| every template | \`argocd-application.yaml\`, written to \`gitops.applicationPath\` | Application | all |`);
  return rows.join("\n");
}

/** The docs table of sizes, built from the catalog. */
function sizesTable(): string {
  const rows = ["| Template | Size | Replicas | CPU request / limit | Memory request / limit | Autoscaling (min-max, CPU target) | Namespace quota (CPU, memory, pods) | Approval |", "| --- | --- | --- | --- | --- | --- | --- | --- |"];
  for (const template of templates()) {
    for (const [name, size] of Object.entries(template.sizes)) {
      const autoscaling = size.autoscaling ? `${size.autoscaling.min}-${size.autoscaling.max}, ${size.autoscaling.targetCPUUtilization}%` : "-";
      const quota = size.quota ? `${size.quota.cpu}, ${size.quota.memory}, ${size.quota.pods}` : "-";
      rows.push(`| \`${template.name}\` | ${name} | ${size.replicas} | ${size.cpu.request} / ${size.cpu.limit} | ${size.memory.request} / ${size.memory.limit} | ${autoscaling} | ${quota} | ${size.approval ?? "-"} |`);
    }
  }
  return rows.join("\n");
}

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->`. */
function replaceSection(text: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`docs/templates.md has no ${start} ... ${end} section`);
  return `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`;
}

describe("the built-in catalog", () => {
  it("loads the four built-in templates and the Argo CD Application without problems", () => {
    expect(templates().map((t) => t.name)).toEqual(BUILTIN);
    expect(catalog.application).toMatchObject({ apiVersion: "argoproj.io/v1alpha1", kind: "Application" });
  });

  it.each(BUILTIN)("%s offers small, medium and large, in that order, and only large needs the platform group", (name) => {
    const template = catalog.templates.get(name);
    expect(Object.keys(template?.sizes ?? {})).toEqual([...REQUIRED_SIZES]);
    expect(REQUIRED_SIZES.map((size) => template?.sizes[size]?.approval)).toEqual([undefined, undefined, "platform"]);
  });

  it.each(BUILTIN)("%s describes every parameter, uses it in a manifest, and its defaults pass its own rules", (name) => {
    const template = catalog.templates.get(name);
    if (!template) throw new Error(`no template ${name}`);
    const manifests = JSON.stringify(template.files.map((f) => f.documents));
    for (const [key, parameter] of Object.entries(template.parameters)) {
      expect(parameter.description, key).not.toBe("");
      expect(manifests, `${key} is declared but no manifest uses values.${key}`).toMatch(new RegExp(`\\$\\{\\{\\s*values\\.${key}\\s*\\}\\}`));
      if (parameter.default === undefined) continue;
      // Defaults are not validated at request time, so a bad default would render silently.
      const { problems } = validateValues({ template, values: { name: "demo", team: "demo", [key]: String(parameter.default) } });
      expect(problems.filter((p) => p.path === key), key).toEqual([]);
    }
  });
});

describe("docs/templates.md", () => {
  // UPDATE_GOLDEN=1 rewrites the generated tables; review the diff like any golden file.
  it("lists every template's files and sizes as the catalog has them", async () => {
    const text = await readFile(DOCS, "utf8");
    const expected = replaceSection(replaceSection(text, "files-table", filesTable()), "sizes-table", sizesTable());
    if (process.env.UPDATE_GOLDEN === "1" && expected !== text) await writeFile(DOCS, expected);
    else expect(text).toBe(expected);
  });
});
