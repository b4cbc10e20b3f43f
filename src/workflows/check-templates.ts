import { loadCatalog } from "../core/catalog/load-catalog.js";
import type { BotConfig } from "../core/config/bot-config.schema.js";
import { findingFromProblem, sortFindings } from "../core/policy/evaluate.js";
import type { LoadedPolicy } from "../core/policy/load-policies.js";
import type { PlatformConfig } from "../core/policy/platform/platform-config.schema.js";
import type { Finding } from "../core/policy/types.js";
import { checkTemplateSamples } from "../core/render/check-template-samples.js";
import { chooseSchemaSet } from "../core/validate/schema/choose-schema-set.js";
import { parseYamlDocuments } from "../core/yaml/parse-yaml-documents.js";
import type { FileSource, SchemaLoader } from "../ports.js";

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
        ...(params.schemas
          ? {
              schemaCatalog: await params.schemas.load(
                kindsIn([...files.values()]),
                chooseSchemaSet({
                  shipped: params.schemas.kubernetesVersions,
                  configuredVersion: params.platform?.rules.deprecatedApis.kubernetesVersion,
                }).kubernetesVersion,
              ),
            }
          : {}),
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
