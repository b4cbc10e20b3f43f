import { loadAll } from "js-yaml";
import type { Catalog } from "../../src/core/catalog/load-catalog.js";
import { BotConfigSchema } from "../../src/core/config/bot-config.schema.js";
import { renderRequest, type RenderResult } from "../../src/core/render/render-request.js";

/** The configuration every template test renders with: two environments on two clusters. */
export const TEST_CONFIG = BotConfigSchema.parse({
  gitops: { repository: "acme/gitops" },
  argocd: { namespace: "argocd", project: "apps" },
  environments: {
    // As in the default platform policies (policies/platform.yaml): development goes up to medium.
    dev: { cluster: "https://kubernetes.default.svc", namespace: "{team}-dev", maxSize: "medium" },
    prod: { cluster: "https://prod.k8s.acme.example", namespace: "{team}-prod", maxSize: "large" },
  },
  approvals: { groups: { platform: ["acme/platform-team"] } },
});

/** Clone URL handed to renderRequest; the config above names none, so this one must be used. */
export const TEST_REPO_URL = "https://github.com/acme/gitops.git";

export const ENVIRONMENTS = ["dev", "prod"] as const;
export const SIZES = ["small", "medium", "large"] as const;

/** Realistic values for each built-in template, without environment (the tests add it). */
export const SAMPLE_VALUES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "web-service": { name: "checkout", team: "payments", image: "ghcr.io/acme/checkout:1.4.2" },
  worker: { name: "mailer", team: "messaging", image: "ghcr.io/acme/mailer:2.0.1" },
  "cron-job": { name: "nightly-report", team: "finance", image: "ghcr.io/acme/report:3.2.0@sha256:4f1b7c3e5d9a2b6c8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c2d", schedule: "0 3 * * *" },
  "team-namespace": { name: "payments", team: "payments" },
};

/** Every template in every size in prod, and in every size dev allows: what the bot can render. */
export const CASES: readonly { template: string; size: (typeof SIZES)[number]; environment: (typeof ENVIRONMENTS)[number] }[] = Object.keys(SAMPLE_VALUES).flatMap((template) =>
  SIZES.flatMap((size) =>
    ENVIRONMENTS.filter((environment) => SIZES.indexOf(size) <= SIZES.indexOf(TEST_CONFIG.environments[environment]?.maxSize as (typeof SIZES)[number])).map((environment) => ({ template, size, environment })),
  ),
);

export interface RenderedObject {
  /** GitOps-repository path of the file the object is in. */
  file: string;
  object: Record<string, unknown>;
}

/** Renders one request the way the bot does. */
export function renderCase(params: { catalog: Catalog; template: string; size: string; environment: string; values?: Readonly<Record<string, string>> }): RenderResult {
  const values = { ...(params.values ?? SAMPLE_VALUES[params.template]), environment: params.environment };
  return renderRequest({
    request: { action: "provision", template: params.template, size: params.size, values, requester: "octocat" },
    catalog: params.catalog,
    config: TEST_CONFIG,
    repoURL: TEST_REPO_URL,
  });
}

/** Parses rendered files back from their text, as Argo CD will read them. */
export function parseRendered(result: RenderResult): RenderedObject[] {
  return result.files.flatMap((file) =>
    loadAll(file.content)
      .filter((doc) => doc !== null && doc !== undefined)
      .map((object) => ({ file: file.path, object: object as Record<string, unknown> })),
  );
}

export interface RenderedCase {
  result: RenderResult;
  objects: RenderedObject[];
}

/**
 * A renderer that renders each (template, size, environment) of the sample values once per test
 * file: many tests read the same case, and the suite must stay fast.
 */
export function createCaseRenderer(catalog: Catalog): (template: string, size: string, environment: string) => RenderedCase {
  const cache = new Map<string, RenderedCase>();
  return (template, size, environment) => {
    const key = `${template}/${size}/${environment}`;
    let entry = cache.get(key);
    if (!entry) {
      const result = renderCase({ catalog, template, size, environment });
      entry = { result, objects: parseRendered(result) };
      cache.set(key, entry);
    }
    return entry;
  };
}
