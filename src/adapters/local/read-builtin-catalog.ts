import { readdir, readFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { loadCatalog, type Catalog } from "../../core/catalog/load-catalog.js";
import { problem, type Problem } from "../../core/problems.js";

/** The project's root: two levels above this file, in src/ and in dist/ alike. */
export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const BUILTIN_TEMPLATES_DIR = join(PROJECT_ROOT, "templates");
export const BUILTIN_POLICIES_DIR = join(PROJECT_ROOT, "policies");

/** Reads every file below `dir` into a map keyed by `/`-separated relative paths. */
export async function readTextTree(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const paths = entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
  for (const path of paths) {
    files.set(relative(dir, path).split(sep).join("/"), await readFile(path, "utf8"));
  }
  return files;
}

/** Loads the built-in catalog shipped in templates/. */
export async function readBuiltinCatalog(dir: string = BUILTIN_TEMPLATES_DIR): Promise<{ catalog: Catalog; problems: Problem[] }> {
  return loadCatalog({ files: await readTextTree(dir), root: "templates" });
}

/** Loads a catalog folder of the user's (the layout of templates/), for `render --catalog DIR`. */
export async function readCatalogDir(dir: string): Promise<{ catalog: Catalog; problems: Problem[] }> {
  try {
    return loadCatalog({ files: await readTextTree(dir), root: dir });
  } catch {
    return { catalog: { templates: new Map(), application: null }, problems: [problem("cli.catalog-missing", `Cannot read the catalog folder ${dir}.`, { hint: "Check the --catalog path." })] };
  }
}
