import type { Catalog, Template } from "../catalog/load-catalog.js";
import type { BotConfig } from "../config/bot-config.schema.js";
import type { Problem } from "../problems.js";
import { renderRequest, type RenderedFile } from "./render-request.js";

/** The name and team every sample request uses. */
export const SAMPLE_NAME = "example";

/** One size of a template rendered with its examples. */
export interface TemplateSample {
  size: string;
  /** The environment the size was rendered in: the first in the config that allows the size. */
  environment: string;
  /** The template's files only (the Application is the catalog's, not the template's). */
  files: (RenderedFile & { source: string })[];
}

/**
 * The Application is rendered for every request but belongs to the catalog; a sample needs one only
 * so that rendering succeeds, and drops it.
 */
const SAMPLE_APPLICATION = { apiVersion: "argoproj.io/v1alpha1", kind: "Application", metadata: { name: "sample" } };

/**
 * Renders a template in each of its sizes with its `examples`, as a request named `example` of team
 * `example` would render: what the pull request check judges before any developer asks for it.
 *
 * Each size is rendered in the first environment of the config (in its order) whose `maxSize`
 * allows it, so the sample is one a developer could actually request; a size no environment allows
 * cannot be requested and is left out. Each file keeps the name of the template file it came from
 * (`source`, the template folder's file name such as `deployment.yaml`). Problems (an example that
 * is missing or wrong, a placeholder with no value) are returned once, whatever the sizes they occur in.
 */
export function renderTemplateSamples(params: { template: Template; catalog: Catalog; config: BotConfig; repoURL: string }): {
  samples: TemplateSample[];
  problems: Problem[];
} {
  const { template, config } = params;
  // The config's `templates:` allow-list limits requests, not what the platform team may check.
  // Approval groups decide who reviews, not what renders: a sample asks a stand-in for any the config lacks.
  const groups = Object.fromEntries(
    Object.values(template.sizes).flatMap((size) => (size.approval ? [[size.approval, ["sample-reviewer"]]] : [])),
  );
  const open: BotConfig = {
    ...config,
    templates: undefined,
    approvals: { ...config.approvals, groups: { ...groups, ...config.approvals.groups } },
  };
  const catalog: Catalog = {
    templates: new Map([[template.name, template]]),
    application: params.catalog.application ?? SAMPLE_APPLICATION,
    ...(params.catalog.applicationQuoted ? { applicationQuoted: params.catalog.applicationQuoted } : {}),
  };
  const sizeNames = Object.keys(template.sizes);
  const ownFiles = new Set(template.files.map((f) => f.path));
  const samples: TemplateSample[] = [];
  const problems: Problem[] = [];
  for (const size of sizeNames) {
    const environment = Object.entries(config.environments).find(([, env]) => {
      const max = sizeNames.indexOf(env.maxSize);
      return max < 0 || sizeNames.indexOf(size) <= max;
    })?.[0];
    if (environment === undefined) continue;
    const values = { ...template.examples, name: SAMPLE_NAME, team: SAMPLE_NAME, environment };
    const result = renderRequest({
      request: { action: "preview", template: template.name, size, values, requester: SAMPLE_NAME },
      catalog,
      config: open,
      repoURL: params.repoURL,
    });
    for (const found of result.problems) {
      if (!problems.some((p) => p.code === found.code && p.message === found.message && p.file === found.file)) problems.push(found);
    }
    const folder = `${result.paths?.manifests}/`;
    const files = result.files.flatMap((f) => {
      const source = f.path.slice(folder.length);
      return f.path.startsWith(folder) && ownFiles.has(source) ? [{ ...f, source }] : [];
    });
    if (files.length === 0) continue;
    samples.push({ size, environment, files });
  }
  return { samples, problems };
}
