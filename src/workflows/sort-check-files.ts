import { globToRegExp } from "../core/policy/platform/glob.js";
import type { PlatformRules } from "../core/policy/platform/platform-config.schema.js";

/**
 * Sorts the repository's files for the check: dashboards (judged as dashboards, not as manifests),
 * the files a person named (read whatever their folder, name or extension, and never counted as
 * skipped), and the candidate manifests. Policy and template folders (`otherFolders`) are judged as
 * policies and templates, not skipped: they are left out of the candidates and the dashboards.
 */
export function sortCheckFiles(params: {
  allFiles: readonly string[];
  otherFolders: readonly string[];
  rules: PlatformRules;
  alwaysRead: readonly string[];
}) {
  const { allFiles, rules } = params;
  const otherFolders = params.otherFolders.map((folder) => (folder === "" ? "" : `${folder.replace(/\/+$/, "")}/`));
  const isOutsideOthers = (path: string) => !otherFolders.some((folder) => path.startsWith(folder) || `${path}/` === folder);
  const dashboardGlobs = rules.grafanaDashboards.severity === "off" ? [] : rules.grafanaDashboards.paths.map(globToRegExp);
  const dashboardPaths = allFiles.filter(
    (path) => path.endsWith(".json") && isOutsideOthers(path) && dashboardGlobs.some((glob) => glob.test(path)),
  );
  const dashboardSet = new Set(dashboardPaths);
  const named = new Set(params.alwaysRead.filter((path) => !dashboardSet.has(path)));
  const candidates = allFiles.filter((path) => !named.has(path) && !dashboardSet.has(path) && isOutsideOthers(path));
  return { dashboardPaths, dashboardSet, named, candidates };
}
