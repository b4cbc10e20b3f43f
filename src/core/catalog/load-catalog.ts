import type { z } from "zod";
import { APPLICATION_FILE, TEMPLATE_FILE } from "./catalog-files.js";
import { own } from "../own.js";
import { formatPath, problem, type Problem } from "../problems.js";
import { didYouMean } from "../config/did-you-mean.js";
import { checkParameterValue } from "./check-parameter-value.js";
import { isWholePlaceholder } from "../render/render-template.js";
import { findQuotedScalars } from "../yaml/find-quoted-scalars.js";
import { parseYamlDocuments } from "../yaml/parse-yaml-documents.js";
import type { YamlDocument } from "../yaml/types.js";
import { REQUIRED_SIZES, RESERVED_PARAMETERS, TemplateSchema, type TemplateSpec } from "./template.schema.js";

/** A manifest file of a template: its parsed YAML documents, ready to render. */
export interface TemplateManifest {
  path: string;
  sizes?: string[];
  documents: unknown[];
  /**
   * Per document, the paths (JSON of the field path) of quoted scalars that are one placeholder:
   * `"${{ values.port }}"` renders a string where `${{ values.port }}` keeps the value's type.
   */
  quoted?: readonly ReadonlySet<string>[];
}

export interface Template extends Omit<TemplateSpec, "files"> {
  files: TemplateManifest[];
  /** Where the template came from, for messages: `templates/web-service/template.yaml`. */
  source: string;
}

export interface Catalog {
  templates: Map<string, Template>;
  /** The Argo CD Application document rendered for every request. */
  application: unknown;
  /** Its quoted whole placeholders, as in {@link TemplateManifest.quoted}. */
  applicationQuoted?: ReadonlySet<string>;
}

/** Paths of quoted scalars that are one placeholder, by document index. */
function quotedPlaceholders(text: string): string[][] {
  return findQuotedScalars({ text, select: isWholePlaceholder });
}

function parseYamlAll(file: string, text: string): { documents: YamlDocument[]; problems: Problem[] } {
  const parsed = parseYamlDocuments({ file, text });
  return { documents: parsed.documents.filter((d) => d.value !== null && d.value !== undefined), problems: parsed.problems };
}

function zodProblems(file: string, error: z.ZodError, document: YamlDocument | undefined): Problem[] {
  return error.issues.flatMap((issue) => {
    const base = issue.path as (string | number)[];
    // Each unknown key gets its own problem at its own line, with the key it probably meant.
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => {
        const path = [...base, key];
        const suggestion = didYouMean({ schema: TemplateSchema, path: base, key });
        return problem("catalog.invalid-template", `${file}: unknown key \`${formatPath(path)}\`.`, {
          file,
          path: formatPath(path),
          ...(document ? document.positionOf(path) : {}),
          hint: suggestion
            ? `Did you mean \`${suggestion}\`? See docs/templates.md for the template format.`
            : "See docs/templates.md for the template format.",
        });
      });
    }
    return [
      problem("catalog.invalid-template", `${file}: \`${formatPath(base) || "(root)"}\`: ${issue.message}.`, {
        file,
        path: formatPath(base),
        ...(document ? document.positionOf(base) : {}),
        hint: "See docs/templates.md for the template format.",
      }),
    ];
  });
}

function checkTemplate(
  spec: TemplateSpec,
  file: string,
  files: ReadonlyMap<string, string>,
  dir: string,
  document: YamlDocument | undefined,
  requireExamples: boolean,
): Problem[] {
  const problems: Problem[] = [];
  // Each problem points at the field (or, when missing, its parent) in template.yaml.
  const at = (...path: (string | number)[]) => (document ? document.positionOf(path) : {});
  for (const size of REQUIRED_SIZES) {
    if (own(spec.sizes, size) === undefined) {
      problems.push(
        problem("catalog.missing-size", `${file}: size \`${size}\` is missing.`, {
          file,
          path: `sizes.${size}`,
          ...at("sizes", size),
          hint: "Every template offers small, medium and large.",
        }),
      );
    }
  }
  problems.push(...checkParameters({ spec, file, at }));
  problems.push(...checkExamples(spec, file, requireExamples, at));
  for (const [index, entry] of spec.files.entries()) {
    if (!files.has(`${dir}/${entry.path}`)) {
      problems.push(
        problem("catalog.missing-file", `${file}: file \`${entry.path}\` is listed but does not exist.`, {
          file,
          path: `files[${index}]`,
          ...at("files", index),
          hint: `Add ${dir}/${entry.path} or remove it from the list.`,
        }),
      );
    }
    for (const size of entry.sizes ?? []) {
      if (own(spec.sizes, size) === undefined) {
        problems.push(
          problem("catalog.unknown-size", `${file}: file \`${entry.path}\` names unknown size \`${size}\`.`, {
            file,
            path: `files[${index}].sizes`,
            ...at("files", index, "sizes"),
          }),
        );
      }
    }
  }
  return problems;
}

/** The declared parameters: none redeclares a built-in one, every pattern compiles and every default passes its own rules. */
function checkParameters(params: {
  spec: TemplateSpec;
  file: string;
  at: (...path: (string | number)[]) => { line?: number; column?: number };
}): Problem[] {
  const { spec, file, at } = params;
  const problems: Problem[] = [];
  for (const reserved of RESERVED_PARAMETERS) {
    if (reserved in spec.parameters) {
      problems.push(
        problem("catalog.reserved-parameter", `${file}: parameter \`${reserved}\` is built in and cannot be redeclared.`, {
          file,
          path: `parameters.${reserved}`,
          ...at("parameters", reserved),
          hint: "Remove it: name, team and environment are given to every template.",
        }),
      );
    }
  }
  for (const [name, param] of Object.entries(spec.parameters)) {
    if (param.pattern !== undefined) {
      try {
        new RegExp(param.pattern);
      } catch {
        problems.push(
          problem("catalog.bad-pattern", `${file}: parameter \`${name}\` has an invalid pattern.`, {
            file,
            path: `parameters.${name}.pattern`,
            ...at("parameters", name, "pattern"),
          }),
        );
        continue;
      }
    }
    // A default must pass its own parameter's rules, or every request that relies on it renders bad values.
    if (param.default !== undefined) {
      const checked = checkParameterValue(name, String(param.default), param);
      if (checked.problem) {
        problems.push(
          problem("catalog.bad-default", `${file}: the default of parameter \`${name}\` is invalid: ${checked.problem.message}`, {
            file,
            path: `parameters.${name}.default`,
            ...at("parameters", name, "default"),
            hint: "Change the default or the parameter's rules so that they agree.",
          }),
        );
      }
    }
  }
  return problems;
}

/**
 * The examples the pull request check renders the template with: each must pass its parameter's
 * rules. With `requireExamples`, a required parameter without a default needs one, or the template
 * cannot be rendered (and so not judged) before a developer requests it.
 */
function checkExamples(
  spec: TemplateSpec,
  file: string,
  requireExamples: boolean,
  at: (...path: (string | number)[]) => { line?: number; column?: number },
): Problem[] {
  const problems: Problem[] = [];
  const examples = spec.examples ?? {};
  for (const [name, value] of Object.entries(examples)) {
    const param = own(spec.parameters, name);
    if (!param) {
      problems.push(
        problem("catalog.unknown-example", `${file}: \`examples.${name}\` names no parameter of the template.`, {
          file,
          path: `examples.${name}`,
          ...at("examples", name),
          hint: "Give examples only for the parameters under `parameters:` (name, team and environment are set by the check).",
        }),
      );
      continue;
    }
    const checked = checkParameterValue(name, value, param);
    if (checked.problem) {
      problems.push(
        problem("catalog.bad-example", `${file}: the example of parameter \`${name}\` is invalid: ${checked.problem.message}`, {
          file,
          path: `examples.${name}`,
          ...at("examples", name),
          hint: "Change the example or the parameter's rules so that they agree.",
        }),
      );
    }
  }
  for (const [name, param] of Object.entries(spec.parameters)) {
    if (requireExamples && param.required && param.default === undefined && !(name in examples)) {
      problems.push(
        problem("catalog.missing-example", `${file}: required parameter \`${name}\` has no example under \`examples\`.`, {
          file,
          path: `examples.${name}`,
          // Without an `examples` block, the parameter's declaration is the nearest place to fix.
          ...(spec.examples ? at("examples") : at("parameters", name)),
          hint: `Add \`examples: { ${name}: <a valid value> }\`: the pull request check renders the template with it to run the policies.`,
        }),
      );
    }
  }
  return problems;
}

/**
 * Loads a catalog from a map of catalog-relative paths to file text (`web-service/template.yaml`,
 * `web-service/deployment.yaml`, `argocd-application.yaml`). Collects every problem instead of
 * stopping at the first; a template with problems is left out of the catalog.
 *
 * `requireExamples` makes a required parameter without a default and without an example a problem.
 * The pull request check that changes a template asks for it; loading a catalog for a request does
 * not, so templates written before `examples` existed keep serving requests.
 */
export function loadCatalog(params: { files: ReadonlyMap<string, string>; root: string; requireExamples?: boolean }): {
  catalog: Catalog;
  problems: Problem[];
} {
  const { files, root } = params;
  const requireExamples = params.requireExamples ?? false;
  const problems: Problem[] = [];
  const templates = new Map<string, Template>();
  const shown = (p: string) => (root === "" ? p : `${root}/${p}`);

  const templateFiles = [...files.keys()].filter((p) => p.endsWith(`/${TEMPLATE_FILE}`) && p.split("/").length === 2).sort();
  for (const templatePath of templateFiles) {
    const dir = templatePath.slice(0, -TEMPLATE_FILE.length - 1);
    const file = shown(templatePath);
    const parsed = parseYamlAll(file, files.get(templatePath) ?? "");
    problems.push(...parsed.problems);
    if (parsed.problems.length > 0) continue;
    const document = parsed.documents[0];
    const result = TemplateSchema.safeParse(document?.value ?? {});
    if (!result.success) {
      problems.push(...zodProblems(file, result.error, document));
      continue;
    }
    const spec = result.data;
    const found = checkTemplate(spec, file, files, dir, document, requireExamples);
    if (spec.name !== dir) {
      found.push(
        problem("catalog.name-mismatch", `${file}: name \`${spec.name}\` differs from its folder \`${dir}\`.`, {
          file,
          path: "name",
          ...document?.positionOf(["name"]),
          hint: `Rename the folder or set name: ${dir}.`,
        }),
      );
    }
    const manifests: TemplateManifest[] = [];
    for (const entry of spec.files) {
      const text = files.get(`${dir}/${entry.path}`);
      if (text === undefined) continue;
      const docs = parseYamlAll(shown(`${dir}/${entry.path}`), text);
      found.push(...docs.problems);
      const quoted = quotedPlaceholders(text);
      manifests.push({
        path: entry.path,
        ...(entry.sizes ? { sizes: entry.sizes } : {}),
        documents: docs.documents.map((d) => d.value),
        quoted: docs.documents.map((d) => new Set(quoted[d.index] ?? [])),
      });
    }
    problems.push(...found);
    if (found.length === 0) templates.set(spec.name, { ...spec, files: manifests, source: file });
  }

  let application: unknown = null;
  let applicationQuoted: ReadonlySet<string> | undefined;
  const applicationText = files.get(APPLICATION_FILE);
  if (applicationText !== undefined) {
    const parsed = parseYamlAll(shown(APPLICATION_FILE), applicationText);
    problems.push(...parsed.problems);
    const first = parsed.documents[0];
    application = first?.value ?? null;
    if (first) applicationQuoted = new Set(quotedPlaceholders(applicationText)[first.index] ?? []);
  }
  return { catalog: { templates, application, ...(applicationQuoted ? { applicationQuoted } : {}) }, problems };
}

/** Templates of the GitOps repository override built-in ones of the same name. */
export function mergeCatalogs(base: Catalog, override: Catalog): Catalog {
  const templates = new Map(base.templates);
  for (const [name, template] of override.templates) templates.set(name, template);
  const application = override.application ?? base.application;
  const applicationQuoted =
    override.application !== null && override.application !== undefined ? override.applicationQuoted : base.applicationQuoted;
  return { templates, application, ...(applicationQuoted ? { applicationQuoted } : {}) };
}
