import { APPLICATION_FILE, TEMPLATE_FILE } from "../core/catalog/catalog-files.js";
import { parseYamlDocuments } from "../core/yaml/parse-yaml-documents.js";
import type { FileSource } from "../ports.js";

// Finding template folders needs no catalog code: `checkTemplates` (check-templates.ts), which loads
// and renders them, is imported by `gitops-bot check` only when a folder is found.

/**
 * The catalog files among `paths` that are not manifests: each template folder's files and the
 * Application template at the root of a catalog that holds template folders.
 */
export function catalogPathsToSkip(folders: readonly string[], paths: readonly string[]): string[] {
  const roots = new Set(folders.map((f) => (f.includes("/") ? f.slice(0, f.lastIndexOf("/") + 1) : "")));
  return [...folders, ...paths.filter((p) => [...roots].some((root) => p === `${root}${APPLICATION_FILE}`))];
}

/** Folders of `paths` that hold a gitops-bot template: a template.yaml of `kind: Template`. */
export async function findTemplateFolders(source: FileSource, paths: readonly string[]): Promise<string[]> {
  const folders: string[] = [];
  for (const path of paths) {
    if (path !== TEMPLATE_FILE && !path.endsWith(`/${TEMPLATE_FILE}`)) continue;
    const text = await source.readFile(path);
    const value = text === null ? null : parseYamlDocuments({ file: path, text }).documents[0]?.value;
    const doc = value !== null && typeof value === "object" ? (value as Record<string, unknown>) : null;
    if (doc?.kind === "Template" && doc.apiVersion === "gitops-bot.dev/v1")
      folders.push(path.slice(0, -TEMPLATE_FILE.length).replace(/\/$/, ""));
  }
  return folders.sort();
}
