import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { renderCheckOutput } from "../../src/core/report/check-output.js";
import { checkFiles } from "../../src/workflows/check-files.js";
import type { FileSource } from "../../src/ports.js";
import { readPolicies } from "../../src/workflows/read-policies.js";

const POLICIES_DIR = fileURLToPath(new URL("../../policies/", import.meta.url));

function memorySource(files: Record<string, string>): FileSource & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    listFiles: async () => Object.keys(files),
    readFile: async (file) => {
      reads.push(file);
      return files[file] ?? null;
    },
    describeFile: async (file) => ({ size: Buffer.byteLength(files[file] ?? "") }),
  };
}

function defaultPolicies(): FileSource {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files[path.relative(POLICIES_DIR, full).split(path.sep).join("/")] = readFileSync(full, "utf8");
    }
  };
  walk(POLICIES_DIR);
  return memorySource(files);
}

const privilegedPod = (name: string) => `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: shop }
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      securityContext: { privileged: true }
`;
const application = (name: string, sourcePath: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: ${name}, namespace: argocd }
spec:
  project: default
  source: { repoURL: "https://github.com/acme/gitops.git", path: ${sourcePath} }
  destination: { server: "https://kubernetes.default.svc", namespace: shop }
`;
const privileged = (files: { findings: { file: string; rule: string }[] }) =>
  [...new Set(files.findings.filter((f) => f.rule === "privileged-containers").map((f) => f.file))].sort();

const check = async (files: Record<string, string>, changedFiles?: string[]) => {
  const source = memorySource(files);
  return checkFiles({
    source,
    policies: await readPolicies({ sources: [{ source: defaultPolicies(), folder: "" }] }),
    ...(changedFiles ? { changedFiles } : {}),
  });
};

describe("the files the check judges are the files Argo CD applies", () => {
  it("a stray chart.yml, Chart.yml or chart.yaml hides nothing below it", async () => {
    const result = await check({
      "apps/a/chart.yml": "name: a\n",
      "apps/a/sub/pod.yaml": privilegedPod("a"),
      "apps/b/Chart.yml": "name: b\n",
      "apps/b/pod.yaml": privilegedPod("b"),
      "apps/c/chart.yaml": "name: c\n",
      "apps/c/pod.yml": privilegedPod("c"),
    });
    expect(privileged(result)).toEqual(["apps/a/sub/pod.yaml", "apps/b/pod.yaml", "apps/c/pod.yml"]);
  });

  it("an exact Chart.yaml is a chart only where an Application deploys it: elsewhere its folder is read", async () => {
    const result = await check({
      "argocd/web.yaml": application("web", "charts/web"),
      "charts/web/Chart.yaml": "apiVersion: v2\nname: web\nversion: 1.0.0\n",
      "charts/web/values.yaml": "replicas: 1\n",
      "charts/web/templates/pod.yaml": "{{ if .Values.x }}\napiVersion: v1\n{{ end }}\n",
      "apps/decoy/Chart.yaml": "apiVersion: v2\nname: decoy\nversion: 1.0.0\n",
      "apps/decoy/pod.yaml": privilegedPod("decoy"),
    });
    expect(privileged(result)).toEqual(["apps/decoy/pod.yaml"]);
    expect(result.findings.filter((f) => f.file.startsWith("charts/"))).toEqual([]);
    expect(result.skippedFiles).toEqual([
      { path: "apps/decoy/Chart.yaml", reason: "no-kubernetes-object" },
      { path: "charts/web/Chart.yaml", reason: "helm-chart", detail: "inside the Helm chart charts/web/" },
      { path: "charts/web/templates/pod.yaml", reason: "helm-chart", detail: "inside the Helm chart charts/web/" },
      { path: "charts/web/values.yaml", reason: "helm-chart", detail: "inside the Helm chart charts/web/" },
    ]);
  });

  it("with no Application in the tree, a folder with an exact Chart.yaml is taken as a chart, and the summary says why", async () => {
    const result = await check({ "Chart.yaml": "apiVersion: v2\nname: web\n", "templates/pod.yaml": "{{ .Values.x }}\n" });
    expect(result.findings).toEqual([]);
    expect(result.skippedFiles.map((s) => [s.path, s.reason])).toEqual([
      ["Chart.yaml", "helm-chart"],
      ["templates/pod.yaml", "helm-chart"],
    ]);
    expect(result.skippedFiles[0]?.detail).toMatch(/no Argo CD Application in the checked files names its source path/);
  });

  it("reads values-prod.yaml, compose.yaml and JSON: Kubernetes objects in them are judged, the rest is counted as not judged", async () => {
    const result = await check({
      "apps/web/values-prod.yaml": privilegedPod("values"),
      "apps/web/compose.yaml": "services:\n  web: {image: nginx}\n",
      "apps/web/pod.json": JSON.stringify({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "json", namespace: "shop" },
        spec: { containers: [{ name: "a", image: "r/a:1", securityContext: { privileged: true } }] },
      }),
      "apps/web/settings.json": JSON.stringify({ title: "Web", panels: [] }),
      // Under the Grafana dashboard paths: judged as a dashboard, not as a manifest.
      "dashboards/web.json": JSON.stringify({ title: "Web", panels: [] }),
      "apps/web/kustomization.yaml": "resources: [pod.json]\n",
      "apps/web/lib.jsonnet": "{}",
      "apps/.hidden/pod.yaml": privilegedPod("hidden"),
    });
    expect(privileged(result)).toEqual(["apps/.hidden/pod.yaml", "apps/web/pod.json", "apps/web/values-prod.yaml"]);
    expect(result.findings.find((f) => f.file === "apps/web/pod.json")).toMatchObject({ line: 1 });
    expect(result.skippedFiles.map((s) => `${s.path} ${s.reason}`)).toEqual([
      "apps/web/compose.yaml no-kubernetes-object",
      "apps/web/kustomization.yaml kustomization",
      "apps/web/lib.jsonnet jsonnet",
      "apps/web/settings.json no-kubernetes-object",
    ]);
    expect(result.checkedFiles).toContain("dashboards/web.json");
    const summary = renderCheckOutput({
      findings: result.findings,
      checkedFiles: result.checkedFiles.length,
      policyCount: 15,
      skipped: result.skippedFiles,
    }).summary;
    expect(summary).toContain("**Not judged: 4 files** that Argo CD could read.");
    expect(summary).toContain(
      "- 2 files holding no Kubernetes object (Argo CD ignores such files too): `apps/web/compose.yaml`, `apps/web/settings.json`.",
    );
    expect(summary).toContain("- 1 file Kustomize build files");
  });

  it("counts only the skipped files under review in a pull request", async () => {
    const result = await check({ "apps/web/compose.yaml": "services: {}\n", "apps/api/compose.yaml": "services: {}\n" }, [
      "apps/web/compose.yaml",
    ]);
    expect(result.skippedFiles).toEqual([{ path: "apps/web/compose.yaml", reason: "no-kubernetes-object" }]);
  });
});
