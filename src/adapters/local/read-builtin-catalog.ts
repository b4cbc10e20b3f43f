import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { PACKAGE_ROOT } from "./package-root.js";
import type { Catalog } from "../../core/catalog/load-catalog.js";
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
  const paths: string[] = [];
  // Walked folder by folder, so that a hidden folder is not even listed when it is skipped.
  const walk = async (relativeDir: string): Promise<void> => {
    const entries = await readdir(join(dir, relativeDir), { withFileTypes: true });
    await Promise.all(
      entries.map(async (entry) => {
        if (options.skipHidden && entry.name.startsWith(".")) return;
        const path = relativeDir === "" ? entry.name : `${relativeDir}/${entry.name}`;
        if (entry.isDirectory()) await walk(path);
        else if (entry.isFile()) paths.push(path);
      }),
    );
  };
  await walk("");
  paths.sort();
  const texts = await Promise.all(paths.map((path) => readFile(join(dir, ...path.split("/")), "utf8")));
  return new Map(paths.map((path, index) => [path, texts[index] ?? ""]));
}

/** Loads the built-in catalog shipped in templates/. */
export async function readBuiltinCatalog(dir: string = BUILTIN_TEMPLATES_DIR): Promise<{ catalog: Catalog; problems: Problem[] }> {
  // Imported here, not above: `gitops-bot check` reads its policies through this module, and needs no catalog.
  const { loadCatalog } = await import("../../core/catalog/load-catalog.js");
  return loadCatalog({ files: await readTextTree(dir), root: "templates" });
}

/** Loads a catalog folder of the user's (the layout of templates/), for `render --catalog DIR`. */
export async function readCatalogDir(dir: string): Promise<{ catalog: Catalog; problems: Problem[] }> {
  const { loadCatalog } = await import("../../core/catalog/load-catalog.js");
  try {
    return loadCatalog({ files: await readTextTree(dir), root: dir });
  } catch {
    return {
      catalog: { templates: new Map(), application: null },
      problems: [problem("cli.catalog-missing", `Cannot read the catalog folder ${dir}.`, { hint: "Check the --catalog path." })],
    };
  }
}
