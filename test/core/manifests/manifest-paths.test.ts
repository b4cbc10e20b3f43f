import { describe, expect, it } from "vitest";
import { applicationSourcePaths } from "../../../src/core/manifests/application-source-paths.js";
import { findHelmChartFolders } from "../../../src/core/manifests/find-helm-chart-folders.js";
import { isKubernetesManifestCandidate } from "../../../src/core/manifests/is-kubernetes-manifest-candidate.js";
import { isManifestPath } from "../../../src/core/manifests/is-manifest-path.js";
import { loadManifests } from "../../../src/core/manifests/load-manifests.js";
import { selectManifestPaths } from "../../../src/core/manifests/select-manifest-paths.js";

describe("isManifestPath: the extensions Argo CD's directory applications apply", () => {
  it.each([
    ["apps/web/deployment.yaml", true],
    ["apps/web/deployment.yml", true],
    ["APPS/WEB.YAML", true],
    ["dashboards/web.json", true],
    ["README.md", false],
    ["deployment.yaml.bak", false],
    ["yaml", false],
    ["app.jsonnet", false],
  ])("%s -> %s", (path, expected) => {
    expect(isManifestPath(path)).toBe(expected);
  });
});

describe("isKubernetesManifestCandidate: nothing Argo CD applies is dropped by its name", () => {
  it.each([
    ["apps/web/deployment.yaml", "read"],
    ["clusters/prod/web.yml", "read"],
    ["apps/web/values-staging.yaml", "read"],
    ["charts/web/values.prod.yml", "read"],
    ["compose.yaml", "read"],
    ["docker-compose.yml", "read"],
    ["skaffold.yaml", "read"],
    ["mkdocs.yml", "read"],
    ["catalog-info.yaml", "read"],
    [".github/workflows/ci.yaml", "read"],
    ["apps/.hidden/pod.yaml", "read"],
    [".pre-commit-config.yaml", "read"],
    ["apps/web/config.json", "read"],
    ["charts/web/Chart.yaml", "read"],
    ["apps/web/chart.yml", "read"],
    ["apps/web/kustomization.yaml", "kustomization"],
    ["apps/web/kustomization.yml", "kustomization"],
    ["apps/web/Kustomization", "kustomization"],
    ["apps/web/main.jsonnet", "jsonnet"],
    ["apps/web/lib.libsonnet", "jsonnet"],
    ["README.md", null],
    ["apps/web/run.sh", null],
  ])("%s -> %s", (path, expected) => {
    expect(isKubernetesManifestCandidate(path)).toBe(expected);
  });
});

describe("findHelmChartFolders", () => {
  it("takes only an exact Chart.yaml, as Argo CD detects Helm", () => {
    expect(
      findHelmChartFolders(["charts/web/Chart.yaml", "apps/x/chart.yml", "apps/y/Chart.yml", "apps/z/chart.yaml", "Chart.yaml"]),
    ).toEqual(["charts/web", ""]);
  });
});

describe("applicationSourcePaths", () => {
  const app = (spec: string) =>
    loadManifests({
      files: [{ path: "apps/a.yaml", text: `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a}\nspec:\n${spec}` }],
    }).manifests;

  it("reads source.path and sources[].path, normalised, leaving out Helm repository sources", () => {
    expect(
      applicationSourcePaths(
        app(
          "  source: {repoURL: r, path: ./charts/web/}\n  sources:\n    - {repoURL: r, path: apps/api}\n    - {repoURL: h, chart: redis, path: x}\n    - {repoURL: r, path: .}\n",
        ),
      ),
    ).toEqual(new Set(["charts/web", "apps/api", ""]));
  });

  it("is null when no Application names a path, so callers know nothing tells", () => {
    expect(applicationSourcePaths(app("  source: {repoURL: h, chart: redis}\n"))).toBeNull();
    expect(applicationSourcePaths([])).toBeNull();
  });
});

describe("selectManifestPaths", () => {
  const paths = [
    "apps/web/deployment.yaml",
    "charts/web/Chart.yaml",
    "charts/web/templates/deployment.yaml",
    "charts/web/values-prod.yaml",
    "charts/web-other/deployment.yaml",
    "apps/web/kustomization.yaml",
    "apps/web/chart.yml",
    "apps/web/pod.json",
    "apps/web/main.jsonnet",
    ".github/gitops-bot.yml",
    "policies/disallow.yaml",
    "README.md",
  ];

  it("reads every candidate outside the charts it is given, and names every other candidate with its reason", () => {
    const selection = selectManifestPaths({
      paths,
      helmCharts: ["charts/web"],
      exclude: (p) => (p.startsWith("policies/") ? "the policy folder" : undefined),
    });
    expect(selection.read).toEqual([
      "apps/web/deployment.yaml",
      "charts/web-other/deployment.yaml",
      "apps/web/chart.yml",
      "apps/web/pod.json",
      ".github/gitops-bot.yml",
    ]);
    expect(selection.skipped).toEqual([
      { path: "charts/web/Chart.yaml", reason: "helm-chart", detail: "inside the Helm chart charts/web/" },
      { path: "charts/web/templates/deployment.yaml", reason: "helm-chart", detail: "inside the Helm chart charts/web/" },
      { path: "charts/web/values-prod.yaml", reason: "helm-chart", detail: "inside the Helm chart charts/web/" },
      { path: "apps/web/kustomization.yaml", reason: "kustomization" },
      { path: "apps/web/main.jsonnet", reason: "jsonnet" },
      { path: "policies/disallow.yaml", reason: "excluded", detail: "the policy folder" },
    ]);
  });

  it("a stray chart.yml hides nothing: without charts every candidate is read", () => {
    expect(selectManifestPaths({ paths: ["apps/chart.yml", "apps/pod.yaml", "apps/sub/pod.yaml"] }).read).toEqual([
      "apps/chart.yml",
      "apps/pod.yaml",
      "apps/sub/pod.yaml",
    ]);
  });

  it("a chart at the root covers the whole tree", () => {
    expect(selectManifestPaths({ paths: ["Chart.yaml", "templates/a.yaml"], helmCharts: [""] })).toEqual({
      read: [],
      skipped: [
        { path: "Chart.yaml", reason: "helm-chart", detail: "the repository root is a Helm chart" },
        { path: "templates/a.yaml", reason: "helm-chart", detail: "the repository root is a Helm chart" },
      ],
    });
  });
});
