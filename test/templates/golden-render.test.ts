import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { load } from "js-yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { readBuiltinCatalog } from "../../src/adapters/local/read-builtin-catalog.js";
import type { Catalog } from "../../src/core/catalog/load-catalog.js";
import { renderRequest } from "../../src/core/render/render-request.js";
import { parseIssueRef } from "../../src/core/request/application-annotations.js";
import { TEST_CONFIG, TEST_REPO_URL } from "./render-case.js";

// Golden files: test/fixtures/render/<case>/values.yml is a request, expected/ holds the files it
// renders at their GitOps-repository paths. Review a change to them like any manifest change.
// Regenerate after an intended template change with: UPDATE_GOLDEN=1 npx vitest run test/templates/golden-render.test.ts

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "render");
const UPDATE = process.env.UPDATE_GOLDEN === "1";

const CaseSchema = z
  .object({
    template: z.string(),
    size: z.string(),
    requester: z.string(),
    // Values are text, as a requester types them.
    values: z.record(z.string(), z.string()),
    // The request issue, `owner/repo#number`: the Application then names it in an annotation.
    issue: z.string().optional(),
  })
  .strict();

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join("/"))
    .sort();
}

const cases = (await readdir(FIXTURES, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();

let catalog: Catalog;
beforeAll(async () => {
  catalog = (await readBuiltinCatalog()).catalog;
});

describe.each(cases)("golden render %s", (name) => {
  it("renders exactly the expected files, byte for byte", async () => {
    const { issue, ...request } = CaseSchema.parse(load(await readFile(join(FIXTURES, name, "values.yml"), "utf8")));
    const ref = issue === undefined ? null : parseIssueRef(issue);
    if (issue !== undefined && ref === null) throw new Error(`${name}/values.yml: issue must be owner/repo#number`);
    const withIssue = ref ? { issue: { ...ref, url: `https://github.com/${ref.repository}/issues/${ref.number}` } } : {};
    const result = renderRequest({ request: { action: "provision", ...request, ...withIssue }, catalog, config: TEST_CONFIG, repoURL: TEST_REPO_URL });
    expect(result.problems).toEqual([]);
    const expectedDir = join(FIXTURES, name, "expected");

    if (UPDATE) {
      await rm(expectedDir, { recursive: true, force: true });
      for (const file of result.files) {
        await mkdir(dirname(join(expectedDir, file.path)), { recursive: true });
        await writeFile(join(expectedDir, file.path), file.content);
      }
    }

    expect(result.files.map((f) => f.path)).toEqual(await listFiles(expectedDir));
    for (const file of result.files) {
      expect(file.content, file.path).toBe(await readFile(join(expectedDir, file.path), "utf8"));
    }
  });
});

it("has golden cases for every built-in template", async () => {
  const templates = await Promise.all(cases.map(async (name) => CaseSchema.parse(load(await readFile(join(FIXTURES, name, "values.yml"), "utf8"))).template));
  expect(new Set(templates)).toEqual(new Set(catalog.templates.keys()));
});
