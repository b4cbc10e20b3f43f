import { dump } from "../yaml/js-yaml.js";
import { own } from "../own.js";
import type { Catalog, Template } from "../catalog/load-catalog.js";
import type { BotConfig } from "../config/bot-config.schema.js";
import { problem, type Problem } from "../problems.js";
import type { ProvisionRequest } from "../request/request.js";
import { renderTemplate, type RenderContext } from "./render-template.js";
import { codeSpan } from "../report/markdown.js";
import { validateValues } from "./validate-values.js";
import { findReservedSubjects } from "./find-reserved-subjects.js";
import { BOT_CONFIG_FILE } from "../config/parse-bot-config.js";
import { applicationAnnotations } from "../request/application-annotations.js";
import { renderedDigest } from "./rendered-digest.js";

export interface RenderedFile {
  path: string;
  content: string;
}

/** Where one request's files live in the GitOps repository. */
export interface RequestPaths {
  /** Folder of the request's manifests; every file in it belongs to the request. */
  manifests: string;
  /** The request's Argo CD Application file. */
  application: string;
}

export interface RenderResult {
  files: RenderedFile[];
  paths: RequestPaths | null;
  template: Template | null;
  /** Reviewers the configuration asks for: size, environment and the template size's approval group. */
  reviewers: string[];
  problems: Problem[];
}

const MANAGED_BY = "gitops-bot";

function fill(pattern: string, vars: Record<string, string>): string {
  return pattern.replace(/\{(team|name|environment|template)\}/g, (_, key: string) => vars[key] ?? "");
}

/** Resolves the folder and Application path of a request from the configured layout. */
export function resolveRequestPaths(params: {
  config: BotConfig;
  template: string;
  values: Readonly<Record<string, string>>;
}): RequestPaths {
  const vars = {
    team: params.values.team ?? "",
    name: params.values.name ?? "",
    environment: params.values.environment ?? "",
    template: params.template,
  };
  return {
    manifests: fill(params.config.gitops.manifestsPath, vars).replace(/\/+$/, ""),
    application: fill(params.config.gitops.applicationPath, vars),
  };
}

/** Reviewers for a request: union of the size's, the environment's and the approval group's, in config order. */
export function resolveReviewers(params: { config: BotConfig; template: Template; size: string; environment: string }): string[] {
  const { approvals } = params.config;
  const group = own(params.template.sizes, params.size)?.approval;
  const all = [
    ...(own(approvals.sizes, params.size) ?? []),
    ...(own(approvals.environments, params.environment) ?? []),
    ...(group ? (own(approvals.groups, group) ?? []) : []),
  ];
  return [...new Set(all)];
}

/**
 * Reviewers for deprovisioning a request: those provisioning it would ask (DESIGN.md: removing
 * something needs the same approval as adding it), for the size it has on the base branch. When
 * the template has left the catalog, or its approval group is not configured, the platform
 * reviewers stand in for the approval that cannot be named.
 */
export function resolveDeprovisionReviewers(params: {
  config: BotConfig;
  catalog: Catalog;
  template: string;
  size: string;
  environment: string;
}): string[] {
  const { approvals } = params.config;
  const template = params.catalog.templates.get(params.template);
  const group = template ? own(template.sizes, params.size)?.approval : undefined;
  const known = template ? resolveReviewers({ config: params.config, template, size: params.size, environment: params.environment }) : [];
  const unnamed = !template || (group !== undefined && own(approvals.groups, group) === undefined);
  const all = [
    ...known,
    ...(own(approvals.sizes, params.size) ?? []),
    ...(own(approvals.environments, params.environment) ?? []),
    ...(unnamed ? approvals.platform : []),
  ];
  return [...new Set(all)];
}

function withStandardLabels(object: unknown, labels: Record<string, string>): unknown {
  if (object === null || typeof object !== "object" || Array.isArray(object)) return object;
  const record = object as Record<string, unknown>;
  const metadata = (record.metadata && typeof record.metadata === "object" ? record.metadata : {}) as Record<string, unknown>;
  const existing = (metadata.labels && typeof metadata.labels === "object" ? metadata.labels : {}) as Record<string, unknown>;
  return { ...record, metadata: { ...metadata, labels: { ...existing, ...labels } } };
}

/**
 * The bot's identity annotations and the request's inputs go on the Application whatever the
 * catalog's Application template says, so a template change can render the request again.
 */
function withAnnotations(object: unknown, annotations: Record<string, string>): unknown {
  if (object === null || typeof object !== "object" || Array.isArray(object)) return object;
  const record = object as Record<string, unknown>;
  const metadata = (record.metadata && typeof record.metadata === "object" ? record.metadata : {}) as Record<string, unknown>;
  const existing = (metadata.annotations && typeof metadata.annotations === "object" ? metadata.annotations : {}) as Record<
    string,
    unknown
  >;
  return { ...record, metadata: { ...metadata, annotations: { ...existing, ...annotations } } };
}

function serialize(documents: unknown[], header: string): string {
  const body = documents.map((d) => dump(d, { noRefs: true, lineWidth: -1 })).join("---\n");
  return `${header}${body}`;
}

/**
 * The environment and size a request names, checked against the config: the environment exists,
 * the template offers the size, the environment allows it (`maxSize`), and the approval group the
 * size needs is defined. A config that names what the template does not offer fails closed.
 */
function checkSizeAndEnvironment(params: { request: ProvisionRequest; template: Template; config: BotConfig }): {
  environment: BotConfig["environments"][string] | undefined;
  size: Template["sizes"][string] | undefined;
  problems: Problem[];
} {
  const { request, template, config } = params;
  const problems: Problem[] = [];
  const environmentName = request.values.environment ?? "";
  const environment = own(config.environments, environmentName);
  if (!environment) {
    problems.push(
      problem(
        environmentName ? "request.unknown-environment" : "request.missing-value",
        environmentName ? `There is no environment ${codeSpan(environmentName, 40)}.` : "`environment` is required.",
        {
          path: "environment",
          hint: `Choose one of: ${Object.keys(config.environments).join(", ")}.`,
        },
      ),
    );
  }
  const sizeNames = Object.keys(template.sizes);
  const size = own(template.sizes, request.size);
  if (!size) {
    problems.push(
      problem("request.unknown-size", `Template \`${template.name}\` has no size ${codeSpan(request.size, 20)}.`, {
        path: "size",
        hint: `Choose one of: ${sizeNames.join(", ")}.`,
      }),
    );
  } else if (environment) {
    const max = sizeNames.indexOf(environment.maxSize);
    if (max < 0) {
      // Fail closed: a maxSize the template does not offer (a typo, `huge`) allows nothing, never everything.
      problems.push(
        problem(
          "config.unknown-max-size",
          `${BOT_CONFIG_FILE}: \`environments.${environmentName}.maxSize\` is ${codeSpan(environment.maxSize, 30)}, which template \`${template.name}\` does not offer, so no size can be requested in \`${environmentName}\`.`,
          {
            file: BOT_CONFIG_FILE,
            path: `environments.${environmentName}.maxSize`,
            hint: `Ask the platform team to set it to one of ${sizeNames.join(", ")}.`,
          },
        ),
      );
    } else if (sizeNames.indexOf(request.size) > max) {
      problems.push(
        problem(
          "request.size-not-allowed",
          `Size \`${request.size}\` is above the largest size allowed in \`${environmentName}\` (\`${environment.maxSize}\`).`,
          {
            path: "size",
            hint: `Choose ${sizeNames.slice(0, max + 1).join(", ")}, or ask the platform team to raise maxSize for ${environmentName}.`,
          },
        ),
      );
    }
  }
  const group = size?.approval;
  if (group !== undefined && own(config.approvals.groups, group) === undefined) {
    // Fail closed: an approval the template asks for must be asked of someone, or the request waits.
    problems.push(
      problem(
        "config.unknown-approval-group",
        `Template \`${template.name}\` size \`${request.size}\` needs the approval of group \`${group}\`, which ${BOT_CONFIG_FILE} does not define, so the request cannot ask for it.`,
        {
          file: BOT_CONFIG_FILE,
          path: `approvals.groups.${group}`,
          hint: `Ask the platform team to add \`approvals.groups.${group}\` with its reviewers.`,
        },
      ),
    );
  }
  return { environment, size, problems };
}

/** The Argo CD Application that records the request: the catalog's, rendered, with the standard labels, the size and the manifests' digest. */
function renderApplication(params: {
  catalog: Catalog;
  template: Template;
  request: ProvisionRequest;
  context: RenderContext;
  labels: Record<string, string>;
  header: string;
  /** The rendered manifests, complete: their digest goes on the Application. */
  manifests: readonly RenderedFile[];
  path: string;
}): { file: RenderedFile | null; problems: Problem[] } {
  const { catalog, request } = params;
  if (catalog.application === null) {
    return {
      file: null,
      problems: [
        problem("catalog.missing-application", "The catalog has no argocd-application.yaml.", {
          hint: "Add argocd-application.yaml at the catalog's root.",
        }),
      ],
    };
  }
  const rendered = renderTemplate({
    tree: catalog.application,
    context: params.context,
    file: "argocd-application.yaml",
    ...(catalog.applicationQuoted ? { quoted: catalog.applicationQuoted } : {}),
  });
  const identity = applicationAnnotations({
    template: params.template.name,
    requestIssue: request.issue,
    size: request.size,
    values: request.values,
    digest: renderedDigest(params.manifests),
  });
  const application = withAnnotations(
    withStandardLabels(rendered.value, { ...params.labels, "gitops-bot.dev/size": request.size }),
    identity,
  );
  return { file: { path: params.path, content: serialize([application], params.header) }, problems: rendered.problems };
}

/** Renders the template's files that the size uses, each under the manifests folder with the standard labels and the header. */
function renderTemplateFiles(params: {
  template: Template;
  size: string;
  context: RenderContext;
  labels: Record<string, string>;
  header: string;
  manifestsDir: string;
}): { files: RenderedFile[]; problems: Problem[] } {
  const files: RenderedFile[] = [];
  const problems: Problem[] = [];
  for (const file of params.template.files) {
    if (file.sizes && !file.sizes.includes(params.size)) continue;
    const shownPath = `${params.template.source.replace(/template\.yaml$/, "")}${file.path}`;
    const documents = file.documents.map((doc, index) => {
      const quoted = file.quoted?.[index];
      const rendered = renderTemplate({ tree: doc, context: params.context, file: shownPath, ...(quoted ? { quoted } : {}) });
      problems.push(...rendered.problems);
      return withStandardLabels(rendered.value, params.labels);
    });
    problems.push(...findReservedSubjects({ documents, file: `${params.manifestsDir}/${file.path}` }));
    files.push({ path: `${params.manifestsDir}/${file.path}`, content: serialize(documents, params.header) });
  }
  return { files, problems };
}

/**
 * Renders a request into the files of the GitOps repository: the template's manifests for the
 * requested size under the request's folder, plus its Argo CD Application. Validates everything
 * first (template, environment, size, values); on any problem it renders nothing. The output is
 * deterministic: the same request renders byte-identical files.
 */
export function renderRequest(params: { request: ProvisionRequest; catalog: Catalog; config: BotConfig; repoURL: string }): RenderResult {
  const { request, catalog, config } = params;
  const empty = (problems: Problem[], template: Template | null = null): RenderResult => ({
    files: [],
    paths: null,
    template,
    reviewers: [],
    problems,
  });

  const allowed = config.templates;
  const template = catalog.templates.get(request.template);
  if (!template || (allowed && !allowed.includes(request.template))) {
    const names = [...catalog.templates.keys()].filter((n) => !allowed || allowed.includes(n)).sort();
    return empty([
      problem("request.unknown-template", `There is no template ${codeSpan(request.template, 40)}.`, {
        path: "template",
        hint: `Choose one of: ${names.join(", ")}.`,
      }),
    ]);
  }

  const environmentName = request.values.environment ?? "";
  const { environment, size, problems } = checkSizeAndEnvironment({ request, template, config });
  const validated = validateValues({ template, values: request.values });
  problems.push(...validated.problems);
  if (problems.length > 0 || !environment || !size) return empty(problems, template);

  const values: Record<string, string | number | boolean> = { ...validated.values, environment: environmentName };
  const name = String(values.name);
  const team = String(values.team);
  const paths = resolveRequestPaths({ config, template: template.name, values: { name, team, environment: environmentName } });
  const context: RenderContext = {
    values,
    size: { name: request.size, ...size },
    environment: {
      name: environmentName,
      cluster: environment.cluster,
      namespace: fill(environment.namespace, { team, name, environment: environmentName, template: template.name }),
    },
    request: { template: template.name, size: request.size, requester: request.requester },
    argocd: { ...config.argocd, repoURL: config.argocd.repoURL ?? params.repoURL },
    paths,
  };
  const labels: Record<string, string> = {
    "app.kubernetes.io/name": name,
    "app.kubernetes.io/instance": `${name}-${environmentName}`,
    "app.kubernetes.io/component": template.name,
    "app.kubernetes.io/part-of": team,
    "app.kubernetes.io/managed-by": MANAGED_BY,
  };
  // The size lives only on the Application, so a resize touches just the files whose content changes.
  const header = `# Generated by gitops-bot from template ${template.name}.\n# Change it with /resize or /deprovision on the request issue, or edit it in a reviewed pull request.\n`;

  const { files, problems: fileProblems } = renderTemplateFiles({
    template,
    size: request.size,
    context,
    labels,
    header,
    manifestsDir: paths.manifests,
  });
  problems.push(...fileProblems);
  const application = renderApplication({ catalog, template, request, context, labels, header, manifests: files, path: paths.application });
  problems.push(...application.problems);
  if (application.file) files.push(application.file);
  if (problems.length > 0) return empty(problems, template);
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    files,
    paths,
    template,
    reviewers: resolveReviewers({ config, template, size: request.size, environment: environmentName }),
    problems: [],
  };
}
