import { describe, expect, it } from "vitest";
import { kubernetesModelsSchemas } from "../../src/adapters/schemas/kubernetes-models-schemas.js";
import type { FileSource } from "../../src/ports.js";
import { checkFiles } from "../../src/workflows/check-files.js";
import { readPolicies } from "../../src/workflows/read-policies.js";

function memorySource(files: Record<string, string>): FileSource {
  return { listFiles: async () => Object.keys(files), readFile: async (file) => files[file] ?? null };
}

// `spec.hostnameOverride` came with Kubernetes 1.34: a 1.33 API server does not know it.
const POD = `apiVersion: v1
kind: Pod
metadata: { name: web, namespace: shop }
spec:
  hostnameOverride: web-0
  containers:
    - name: app
      image: registry.example.com/web:1.2.3
`;

const PACKAGES = /kubernetes-models \d+\.\d+\.\d+, @kubernetes-models\/argo-cd \S+, @kubernetes-models\/prometheus-operator \S+/.source;

async function check(kubernetesVersion?: string) {
  const platform = `apiVersion: gitops-bot.dev/v1alpha1
kind: PlatformConfig
rules:
  deprecatedApis: { severity: error${kubernetesVersion === undefined ? "" : `, kubernetesVersion: "${kubernetesVersion}"`} }
`;
  const policies = await readPolicies({ sources: [{ source: memorySource({ "platform.yaml": platform }), folder: "" }] });
  const result = await checkFiles({ source: memorySource({ "apps/shop/pod.yaml": POD }), policies, schemas: kubernetesModelsSchemas });
  return {
    result,
    schemaFindings: result.findings.filter((f) => f.policy === "schema").map((f) => `${f.file}:${f.line}:${f.column} ${f.rule} ${f.path}`),
  };
}

describe("checkFiles validates with the schema set of the configured Kubernetes version", () => {
  it("a field newer than the configured version is unknown under its set", async () => {
    const { result, schemaFindings } = await check("1.33");
    expect(schemaFindings).toEqual(["apps/shop/pod.yaml:5:3 unknown-field spec.hostnameOverride"]);
    expect(result.schemaSet).toMatchObject({
      kubernetesVersion: "1.33",
      configuredVersion: "1.33",
      selection: "configured",
      matchesConfigured: true,
    });
    expect(result.schemaSet?.note).toMatch(new RegExp(`^Schemas: Kubernetes 1\\.33 \\(configured 1\\.33\\), from ${PACKAGES}\\.$`));
  });

  it("and known under the version that added it", async () => {
    const { result, schemaFindings } = await check("1.34");
    expect(schemaFindings).toEqual([]);
    expect(result.schemaSet?.note).toMatch(/^Schemas: Kubernetes 1\.34 \(configured 1\.34\), from kubernetes-models 5\.1\.\d+,/);
  });

  it("an unshipped version is judged by the nearest set, and the note says so", async () => {
    const { result, schemaFindings } = await check("1.32");
    expect(schemaFindings).toEqual(["apps/shop/pod.yaml:5:3 unknown-field spec.hostnameOverride"]);
    expect(result.schemaSet).toMatchObject({
      kubernetesVersion: "1.33",
      configuredVersion: "1.32",
      selection: "nearest",
      matchesConfigured: false,
    });
    expect(result.schemaSet?.note).toContain("Schemas: Kubernetes 1.33 (configured 1.32, nearest shipped of 1.27, 1.33, 1.34)");
  });

  it("a version newer than every set is judged by the newest, named", async () => {
    const { result, schemaFindings } = await check("1.36");
    expect(schemaFindings).toEqual([]);
    expect(result.schemaSet).toMatchObject({ kubernetesVersion: "1.34", configuredVersion: "1.36", selection: "nearest" });
  });

  it("without a configured version, the newest set judges, named", async () => {
    const { result } = await check();
    expect(result.schemaSet).toMatchObject({ kubernetesVersion: "1.34", configuredVersion: null, selection: "newest" });
    expect(result.schemaSet?.note).toMatch(
      /^Schemas: Kubernetes 1\.34 \(newest shipped; no `deprecatedApis\.kubernetesVersion` is configured\)/,
    );
  });

  it("a version that is not one is a configuration error at its line, as every bad platform setting is", async () => {
    const { result } = await check("1.x");
    expect(result.findings.filter((f) => f.file === "platform.yaml")).toEqual([
      expect.objectContaining({
        rule: "platform-config.invalid",
        severity: "error",
        line: 4,
        path: "rules.deprecatedApis.kubernetesVersion",
        message:
          "Invalid platform configuration at `rules.deprecatedApis.kubernetesVersion`: Expected a Kubernetes minor version such as 1.31.",
      }),
    ]);
  });
});
