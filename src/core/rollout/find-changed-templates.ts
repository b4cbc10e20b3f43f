import { APPLICATION_FILE } from "../catalog/catalog-files.js";

/** A file listing entry: path and git blob SHA. */
interface Entry {
  path: string;
  sha: string;
}

export interface ChangedTemplates {
  /** Names of the templates whose folder under the catalog path changed, sorted. */
  templates: string[];
  /** The catalog's Application file changed: every request renders it, so every template counts as changed. */
  applicationChanged: boolean;
}

/**
 * Which templates of the GitOps repository's catalog differ between two listings of the base
 * branch (before and after a push), by blob SHA: exact whatever the push's commit list says
 * (GitHub cuts that list at 20 commits), and without reading any file.
 */
export function findChangedTemplates(params: { before: readonly Entry[]; after: readonly Entry[]; catalogPath: string }): ChangedTemplates {
  const prefix = `${params.catalogPath}/`;
  const index = (entries: readonly Entry[]) =>
    new Map(entries.filter((e) => e.path.startsWith(prefix)).map((e) => [e.path.slice(prefix.length), e.sha]));
  const before = index(params.before);
  const after = index(params.after);
  const templates = new Set<string>();
  let applicationChanged = false;
  for (const path of new Set([...before.keys(), ...after.keys()])) {
    if (before.get(path) === after.get(path)) continue;
    if (path === APPLICATION_FILE) applicationChanged = true;
    const slash = path.indexOf("/");
    // Only `<template>/<file>` belongs to a template (load-catalog reads no deeper).
    if (slash > 0 && path.indexOf("/", slash + 1) === -1) templates.add(path.slice(0, slash));
  }
  return { templates: [...templates].sort(), applicationChanged };
}
