import { describe, expect, it } from "vitest";
import { gitBlobSha } from "../../../src/adapters/git-blob-sha.js";
import { renderRequest } from "../../../src/core/render/render-request.js";
import { findChangedTemplates } from "../../../src/core/rollout/find-changed-templates.js";
import { parseInstance, selectApplicationPaths } from "../../../src/core/rollout/find-instances.js";
import { pathsToRead, planInstanceUpgrade, renderUpgrade } from "../../../src/core/rollout/plan-instance-upgrade.js";
import { assignPullRequests, upgradeBranch } from "../../../src/core/rollout/plan-rollout.js";
import { TINY_FILES, tinyCatalog, tinyConfig } from "../../helpers/tiny-catalog.js";

const config = tinyConfig();
const before = tinyCatalog();
const changedFiles = new Map(TINY_FILES);
changedFiles.set(
  "web/deployment.yaml",
  TINY_FILES.get("web/deployment.yaml")!.replace("spec:\n  replicas:", "spec:\n  revisionHistoryLimit: 3\n  replicas:"),
);
const after = tinyCatalog(changedFiles);
const repoURL = "https://github.com/acme/gitops.git";
const values = { name: "checkout", team: "payments", environment: "dev", image: "ghcr.io/acme/checkout:1.2.3" };

/** The repository as the bot left it after a request rendered with the old template. */
function repository() {
  const rendered = renderRequest({
    request: {
      action: "provision",
      template: "web",
      size: "small",
      values,
      requester: "octocat",
      issue: { repository: "acme/requests", number: 7, url: "x" },
    },
    catalog: before,
    config,
    repoURL,
  });
  return new Map(rendered.files.map((f) => [f.path, f.content]));
}

function plan(files: Map<string, string>, options: { catalogAfter?: typeof after } = {}) {
  const tree = [...files].map(([path, content]) => ({ path, sha: gitBlobSha(content) }));
  const [applicationPath] = selectApplicationPaths({ paths: [...files.keys()], config });
  const { instance } = parseInstance({ path: applicationPath!, text: files.get(applicationPath!)! });
  const rendered = renderUpgrade({
    instance: instance!,
    before,
    after: options.catalogAfter ?? after,
    config,
    repoURL,
    serverUrl: "https://github.com",
  });
  if (!rendered.renders) return { rendered, upgrade: null, read: [] };
  const read = pathsToRead({ renders: rendered.renders, tree, hashBlob: gitBlobSha });
  const texts = new Map(read.map((p) => [p, files.get(p)!]));
  return { rendered, read, upgrade: planInstanceUpgrade({ renders: rendered.renders, tree, texts, hashBlob: gitBlobSha }) };
}

describe("an instance's upgrade", () => {
  it("finds the instance from its Application and renders the change without reading untouched files", () => {
    const { rendered, read, upgrade } = plan(repository());
    expect(rendered.renders?.baseKnown).toBe(true);
    expect(read).toEqual([]);
    expect(upgrade?.changeset.changes.map((c) => [c.kind, c.path])).toEqual([
      ["changed", "apps/payments/checkout/dev/deployment.yaml"],
      ["changed", "argocd/dev/payments-checkout.yaml"],
    ]);
    expect(upgrade?.changeset.diff).toContain("+  revisionHistoryLimit: 3");
    expect(upgrade?.drift).toEqual([]);
  });

  it("is unchanged when the catalog change renders the same files for it", () => {
    expect(plan(repository(), { catalogAfter: before }).rendered.unchanged).toBe(true);
  });

  it("keeps a hand edit through a three-way merge and reads only that file", () => {
    const files = repository();
    const path = "apps/payments/checkout/dev/deployment.yaml";
    files.set(path, files.get(path)!.replace("image: ghcr.io/acme/checkout:1.2.3", "image: ghcr.io/acme/checkout:1.2.4"));
    const { read, upgrade } = plan(files);
    expect(read).toEqual([path]);
    expect(upgrade?.drift).toEqual([{ path, upgrade: { kind: "merged", content: expect.stringContaining("checkout:1.2.4") } }]);
    const written = upgrade?.changeset.changes.find((c) => c.path === path);
    expect(written?.after).toContain("revisionHistoryLimit: 3");
    expect(written?.after).toContain("checkout:1.2.4");
  });

  it("never deletes a file a person added to the folder", () => {
    const files = repository();
    files.set("apps/payments/checkout/dev/extra.yaml", "kind: ConfigMap\n");
    expect(plan(files).upgrade?.changeset.changes.map((c) => c.path)).not.toContain("apps/payments/checkout/dev/extra.yaml");
  });

  it("re-validates the recorded values against the changed template", () => {
    const strict = new Map(TINY_FILES);
    strict.set(
      "web/template.yaml",
      TINY_FILES.get("web/template.yaml")!.replace("parameters:\n", "parameters:\n  owner: { type: string, required: true }\n"),
    );
    const { rendered } = plan(repository(), { catalogAfter: tinyCatalog(strict) });
    expect(rendered.renders).toBeNull();
    expect(rendered.problems[0]).toMatchObject({ code: "request.missing-value", path: "owner" });
  });

  it("without a matching digest, merges nothing and lists what an edit loses", () => {
    const files = repository();
    const app = "argocd/dev/payments-checkout.yaml";
    files.set(app, files.get(app)!.replace(/rendered-digest: \S+/, "rendered-digest: 0123abc"));
    const path = "apps/payments/checkout/dev/deployment.yaml";
    files.set(path, files.get(path)!.replace("checkout:1.2.3", "checkout:1.2.4"));
    const { upgrade } = plan(files);
    expect(upgrade?.baseKnown).toBe(false);
    expect(upgrade?.drift.map((d) => [d.path, d.upgrade.kind])).toEqual([
      [path, "overwritten"],
      [app, "overwritten"],
    ]);
  });
});

describe("rollout planning", () => {
  it("finds changed templates by blob SHA, and every template when the Application file changed", () => {
    const beforeTree = [
      { path: "platform/templates/web/template.yaml", sha: "a" },
      { path: "platform/templates/web/deployment.yaml", sha: "b" },
      { path: "platform/templates/worker/template.yaml", sha: "c" },
      { path: "platform/templates/argocd-application.yaml", sha: "d" },
      { path: "apps/x/deployment.yaml", sha: "e" },
    ];
    const changed = beforeTree.map((e) => (e.path.endsWith("web/deployment.yaml") || e.path.startsWith("apps/") ? { ...e, sha: "z" } : e));
    expect(findChangedTemplates({ before: beforeTree, after: changed, catalogPath: "platform/templates" })).toEqual({
      templates: ["web"],
      applicationChanged: false,
    });
    const added = [...beforeTree, { path: "platform/templates/cron/template.yaml", sha: "f" }].filter(
      (e) => !e.path.startsWith("platform/templates/worker/"),
    );
    expect(findChangedTemplates({ before: beforeTree, after: added, catalogPath: "platform/templates" }).templates).toEqual([
      "cron",
      "worker",
    ]);
    expect(
      findChangedTemplates({
        before: beforeTree,
        after: beforeTree.map((e) => (e.path.endsWith("argocd-application.yaml") ? { ...e, sha: "y" } : e)),
        catalogPath: "platform/templates",
      }).applicationChanged,
    ).toBe(true);
  });

  it("selects Application files from the configured layout only", () => {
    expect(
      selectApplicationPaths({
        paths: ["argocd/dev/payments-checkout.yaml", "argocd/dev/readme.md", "argocd/bootstrap/dev.yaml", "apps/a/b/dev/deployment.yaml"],
        config,
      }),
    ).toEqual(["argocd/dev/payments-checkout.yaml"]);
  });

  it("holds the open pull request limit: open ones are updated, new ones wait", () => {
    const upgrades = ["a", "b", "c", "d"].map((n) => ({ branch: `gitops-bot/upgrade/web/${n}` }));
    const result = assignPullRequests({
      upgrades,
      openBranches: new Set(["gitops-bot/upgrade/web/c", "gitops-bot/upgrade/web/other"]),
      limit: 3,
    });
    expect(result.publish.map((u) => u.branch.slice(-1))).toEqual(["a", "c"]);
    expect(result.pending.map((u) => u.branch.slice(-1))).toEqual(["b", "d"]);
    expect(upgradeBranch({ config, request: { template: "web", size: "small", values, digest: null, issue: null } })).toBe(
      "gitops-bot/upgrade/web/payments-checkout-dev",
    );
  });
});
