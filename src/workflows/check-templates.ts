import { APPLICATION_FILE, loadCatalog, TEMPLATE_FILE } from "../core/catalog/load-catalog.js";
import type { BotConfig } from "../core/config/bot-config.schema.js";
import { findingFromProblem, sortFindings } from "../core/policy/evaluate.js";
import type { LoadedPolicy } from "../core/policy/load-policies.js";
import type { PlatformConfig } from "../core/policy/platform/platform-config.schema.js";
import type { Finding } from "../core/policy/types.js";
import { checkTemplateSamples } from "../core/render/check-template-samples.js";
import { parseYamlDocuments } from "../core/yaml/parse-yaml-documents.js";
import type { SchemaLoader } from "../ports.js";
import type { FileSource } from "./check-files.js";

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
    if (doc?.kind === "Template" && doc.apiVersion === "gitops-bot.dev/v1") folders.push(path.slice(0, -TEMPLATE_FILE.length).replace(/\/$/, ""));
  }
  return folders.sort();
}

/**
 * Judges templates before anyone requests them, for the pull request check and `gitops-bot check`
 * alike: each folder's template is loaded (examples required), rendered in every size and checked
 * against the policies; findings, and the folder's loading problems, land on the template's own files.
 */
export async function checkTemplates(params: {
  source: FileSource;
  folders: readonly string[];
  config: BotConfig;
  policies: readonly LoadedPolicy[];
  platform?: PlatformConfig;
  /** Schemas for validating the rendered samples; without it, schema validation is not run. */
  schemas?: SchemaLoader;
}): Promise<Finding[]> {
  const findings: Finding[] = [];
  const all = await params.source.listFiles();
  for (const folder of params.folders) {
    const slash = folder.lastIndexOf("/");
    const root = slash < 0 ? "" : folder.slice(0, slash);
    const prefix = root === "" ? "" : `${root}/`;
    const files = new Map<string, string>();
    for (const path of all) {
      if (!path.startsWith(`${folder}/`)) continue;
      const text = await params.source.readFile(path);
      if (text !== null) files.set(path.slice(prefix.length), text);
    }
    const loaded = loadCatalog({ files, root, requireExamples: true });
    findings.push(...loaded.problems.map(findingFromProblem));
    const name = folder.slice(slash + 1);
    const template = loaded.catalog.templates.get(name);
    if (!template) continue;
    findings.push(
      ...checkTemplateSamples({
        template,
        catalog: loaded.catalog,
        config: params.config,
        repoURL: params.config.argocd.repoURL ?? "",
        templateFolder: folder,
        templateTexts: new Map(template.files.map((f) => [f.path, files.get(`${name}/${f.path}`) ?? ""] as const)),
        policies: params.policies,
        ...(params.platform ? { platform: params.platform } : {}),
        ...(params.schemas ? { schemaCatalog: await params.schemas.load(kindsIn([...files.values()])) } : {}),
      }),
    );
  }
  return sortFindings(findings);
}

/** The apiVersion and kind of every document in the template's files (placeholders rarely sit there). */
function kindsIn(texts: readonly string[]): { apiVersion: string; kind: string }[] {
  const kinds: { apiVersion: string; kind: string }[] = [];
  for (const text of texts) {
    for (const { value } of parseYamlDocuments({ file: "", text }).documents) {
      const doc = value !== null && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
      if (typeof doc?.apiVersion === "string" && typeof doc.kind === "string") kinds.push({ apiVersion: doc.apiVersion, kind: doc.kind });
    }
  }
  return kinds;
}
