import { dump, load, loadAll } from "../yaml/js-yaml.js";
import type { Catalog } from "../catalog/load-catalog.js";
import type { BotConfig } from "../config/bot-config.schema.js";
import { problem, type Problem } from "../problems.js";
import { renderRequest, resolveRequestPaths } from "../render/render-request.js";
import {
  DIGEST_ANNOTATION,
  SIZE_ANNOTATION,
  TEMPLATE_ANNOTATION,
  VALUES_ANNOTATION,
  applicationAnnotations,
} from "../request/application-annotations.js";

const WHOLE_VALUE = /^\$\{\{\s*values\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;

function record(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** Where a template scalar is exactly `${{ values.X }}`, the rendered file holds X's value at the same place. */
function collectValues(template: unknown, rendered: unknown, out: Map<string, string>): void {
  if (typeof template === "string") {
    const match = WHOLE_VALUE.exec(template);
    if (match && (typeof rendered === "string" || typeof rendered === "number" || typeof rendered === "boolean"))
      out.set(match[1]!, String(rendered));
    return;
  }
  if (Array.isArray(template) && Array.isArray(rendered)) {
    template.forEach((item, i) => collectValues(item, rendered[i], out));
    return;
  }
  const t = record(template);
  const r = record(rendered);
  if (t && r) for (const [key, value] of Object.entries(t)) if (!key.includes("${{")) collectValues(value, r[key], out);
}

/** Inserts annotation lines right after the `gitops-bot.dev/template:` line, so the rest of the file stays byte for byte. */
function insertAnnotations(text: string, annotations: Record<string, string>): string | null {
  const lines = text.split("\n");
  const index = lines.findIndex((line) => new RegExp(`^\\s+${TEMPLATE_ANNOTATION.replace(/[./]/g, "\\$&")}:`).test(line));
  if (index < 0) return null;
  const indent = /^\s*/.exec(lines[index]!)![0];
  const added = dump(annotations, { lineWidth: -1 })
    .replace(/\n$/, "")
    .split("\n")
    .map((line) => `${indent}${line}`);
  return [...lines.slice(0, index + 1), ...added, ...lines.slice(index + 1)].join("\n");
}

/** What the labels of an Application rendered before inputs were recorded still say about its request. */
export interface LabelledRequest {
  template: string;
  size: string;
  /** name, team and environment. */
  values: Record<string, string>;
}

/**
 * Reads name, team, environment and size from the labels the renderer put on an Application, and
 * the template from its annotation; null when they do not say it.
 */
export function readLabelledRequest(text: string): LabelledRequest | null {
  let object: Record<string, unknown> | null;
  try {
    object = record(load(text));
  } catch {
    return null;
  }
  const metadata = record(object?.metadata);
  const labels = record(metadata?.labels) ?? {};
  const template = record(metadata?.annotations)?.[TEMPLATE_ANNOTATION];
  const size = labels[SIZE_ANNOTATION];
  const name = labels["app.kubernetes.io/name"];
  const team = labels["app.kubernetes.io/part-of"];
  const instance = labels["app.kubernetes.io/instance"];
  if (
    typeof template !== "string" ||
    typeof size !== "string" ||
    typeof name !== "string" ||
    typeof team !== "string" ||
    typeof instance !== "string" ||
    !instance.startsWith(`${name}-`)
  )
    return null;
  return { template, size, values: { name, team, environment: instance.slice(name.length + 1) } };
}

/**
 * Backfill: recovers the inputs of a request rendered before the bot recorded them, from its files
 * alone (`files`: its folder, see {@link readLabelledRequest} and `resolveRequestPaths`). Values
 * other than name, team and environment come from the place their placeholder fills in the
 * template's files. The guess is accepted only when rendering it gives exactly the files in the
 * repository, so a recovered request is never a different request; otherwise the problem says
 * which files differ. Values equal to their parameter's default are left out (they follow the
 * default, as a request that did not type them does). The Application gets the annotations on
 * new lines; the rest of it stays byte for byte.
 */
export function recoverRequest(params: {
  application: { path: string; text: string };
  labelled: LabelledRequest;
  files: ReadonlyMap<string, string>;
  catalog: Catalog;
  config: BotConfig;
  repoURL: string;
}): { text: string | null; problems: Problem[] } {
  const fail = (message: string) => ({
    text: null,
    problems: [
      problem("backfill.not-recovered", `${params.application.path}: ${message}`, {
        file: params.application.path,
        hint: "Run `/provision` on the request issue with the request's values: it records them.",
      }),
    ],
  });
  const { template: templateName, size } = params.labelled;
  const template = params.catalog.templates.get(templateName);
  if (!template) return fail(`there is no template \`${templateName}\` in the catalog.`);
  const values = new Map<string, string>(Object.entries(params.labelled.values));
  const folder = resolveRequestPaths({ config: params.config, template: templateName, values: params.labelled.values }).manifests;
  const recovered = new Map<string, string>();
  for (const file of template.files) {
    const text = params.files.get(`${folder}/${file.path}`);
    if (text === undefined) continue;
    let documents: unknown[];
    try {
      documents = loadAll(text);
    } catch {
      continue;
    }
    file.documents.forEach((doc, i) => collectValues(doc, documents[i], recovered));
  }
  for (const [key, value] of recovered) {
    const parameter = template.parameters[key];
    if (parameter && String(parameter.default ?? "") !== value) values.set(key, value);
  }
  const typed = Object.fromEntries(values);
  const rendered = renderRequest({
    request: { action: "provision", template: templateName, size, values: typed, requester: "gitops-bot" },
    catalog: params.catalog,
    config: params.config,
    repoURL: params.repoURL,
  });
  if (rendered.problems.length > 0) return fail(`the recovered values do not render: ${rendered.problems[0]!.message}`);
  const manifests = rendered.files.filter((f) => f.path !== params.application.path);
  const differing = manifests.filter((f) => params.files.get(f.path) !== f.content).map((f) => f.path);
  if (differing.length > 0)
    return fail(
      `rendering the recovered values does not give the files in the repository (${differing.slice(0, 3).join(", ")} differ${differing.length > 3 ? ", …" : ""}).`,
    );
  const renderedApplication = record(record(load(rendered.files.find((f) => f.path === params.application.path)?.content ?? ""))?.metadata);
  const digest = record(renderedApplication?.annotations)?.[DIGEST_ANNOTATION];
  const added = applicationAnnotations({ template: templateName, size, values: typed, ...(typeof digest === "string" ? { digest } : {}) });
  delete added[TEMPLATE_ANNOTATION];
  const text = insertAnnotations(params.application.text, {
    [SIZE_ANNOTATION]: added[SIZE_ANNOTATION]!,
    [VALUES_ANNOTATION]: added[VALUES_ANNOTATION]!,
    ...(added[DIGEST_ANNOTATION] ? { [DIGEST_ANNOTATION]: added[DIGEST_ANNOTATION] } : {}),
  });
  return text === null ? fail("its `gitops-bot.dev/template` annotation is not on a line of its own.") : { text, problems: [] };
}
