import { describe, expect, it } from "vitest";
import { isKubernetesManifestCandidate } from "../../../src/core/manifests/is-kubernetes-manifest-candidate.js";
import { isManifestPath } from "../../../src/core/manifests/is-manifest-path.js";
import { selectManifestPaths } from "../../../src/core/manifests/select-manifest-paths.js";

describe("isManifestPath", () => {
  it.each([
    ["apps/web/deployment.yaml", true],
    ["apps/web/deployment.yml", true],
    ["APPS/WEB.YAML", true],
    ["dashboards/web.json", false],
    ["README.md", false],
    ["deployment.yaml.bak", false],
    ["yaml", false],
  ])("%s -> %s", (path, expected) => {
    expect(isManifestPath(path)).toBe(expected);
  });
});

describe("isKubernetesManifestCandidate", () => {
  it.each([
    ["apps/web/deployment.yaml", true],
    ["clusters/prod/web.yml", true],
    ["apps/web/my-values.yaml", true],
    ["apps/web/values-staging.yaml", false],
    ["apps/web/kustomization.yaml", false],
    ["apps/web/Kustomization.yml", false],
    ["charts/web/Chart.yaml", false],
    ["charts/web/values.yaml", false],
    ["charts/web/values-prod.yaml", false],
    ["charts/web/values.prod.yml", false],
    [".github/gitops-bot.yml", false],
    [".github/workflows/ci.yaml", false],
    ["policies/.kyverno-test/kyverno-test.yaml", false],
    [".pre-commit-config.yaml", false],
    ["docker-compose.yml", false],
    ["compose.yaml", false],
    ["skaffold.yaml", false],
    ["mkdocs.yml", false],
    ["catalog-info.yaml", false],
    ["apps/web/config.json", false],
  ])("%s -> %s", (path, expected) => {
    expect(isKubernetesManifestCandidate(path)).toBe(expected);
  });
});

describe("selectManifestPaths", () => {
  it("keeps candidates in order and drops everything inside a Helm chart", () => {
    const paths = [
      "apps/web/deployment.yaml",
      "charts/web/Chart.yaml",
      "charts/web/templates/deployment.yaml",
      "charts/web/templates/nested/service.yaml",
      "charts/web-other/deployment.yaml",
      "apps/web/kustomization.yaml",
      ".github/gitops-bot.yml",
      "apps/api/service.yaml",
    ];
    expect(selectManifestPaths(paths)).toEqual(["apps/web/deployment.yaml", "charts/web-other/deployment.yaml", "apps/api/service.yaml"]);
  });

  it("drops the whole tree when the repository root is a chart", () => {
    expect(selectManifestPaths(["Chart.yaml", "templates/a.yaml"])).toEqual([]);
  });
});
