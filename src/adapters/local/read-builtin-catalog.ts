import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { PACKAGE_ROOT } from "./package-root.js";
import { loadCatalog, type Catalog } from "../../core/catalog/load-catalog.js";
import { problem, type Problem } from "../../core/problems.js";

/** The project's root, where templates/ and policies/ are shipped. */
export const PROJECT_ROOT = PACKAGE_ROOT;
export const BUILTIN_TEMPLATES_DIR = join(PROJECT_ROOT, "templates");
export const BUILTIN_POLICIES_DIR = join(PROJECT_ROOT, "policies");

/**
 * Reads every file below `dir` into a map keyed by `/`-separated relative paths. With `skipHidden`,
 * files in hidden folders (a policy's `.kyverno-test/` resources) are not even read.
 */
export async function readTextTree(dir: string, options: { skipHidden?: boolean } = {}): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const paths = entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join("/"))
    .filter((path) => !options.skipHidden || !path.split("/").some((segment) => segment.startsWith(".")))
    .sort();
  const texts = await Promise.all(paths.map((path) => readFile(join(dir, path), "utf8")));
  paths.forEach((path, index) => files.set(path, texts[index] ?? ""));
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
