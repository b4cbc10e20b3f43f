import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { kubernetesModelsSchemas } from "../../../src/adapters/schemas/kubernetes-models-schemas.js";
import { loadManifests } from "../../../src/core/manifests/load-manifests.js";
import { checkSchemas } from "../../../src/core/validate/schema/check-schemas.js";

/** The package each set is installed as (package.json: npm aliases of kubernetes-models releases). */
const PACKAGE_OF: Record<string, string> = {
  "1.27": "kubernetes-models-1.27",
  "1.33": "kubernetes-models",
  "1.34": "kubernetes-models-1.34",
};

/**
 * A field each minor version added to the Pod API, and one of the next minor, by the Kubernetes
 * changelogs: a set holds its own minor's field and not the next one's, so the version a set is
 * named by is read off its schemas, not taken from the package's README (which says 1.27.1 for
 * every release since 4.3).
 */
const ADDED_IN: Record<string, string> = {
  "1.27": "spec.containers[0].resizePolicy", // in-place Pod resize (KEP 1287)
  "1.28": "spec.containers[0].restartPolicy", // sidecar containers (KEP 753)
  "1.33": "spec.containers[0].lifecycle.stopSignal", // container stop signals (KEP 4960)
  "1.34": "spec.hostnameOverride", // Pod hostname override (KEP 4762)
};
const NEXT: Record<string, string> = { "1.27": "1.28", "1.33": "1.34" };

const POD_FIELDS: Record<string, string> = {
  "spec.containers[0].resizePolicy": "      resizePolicy: [{ resourceName: cpu, restartPolicy: NotRequired }]\n",
  "spec.containers[0].restartPolicy": "      restartPolicy: Always\n",
  "spec.containers[0].lifecycle.stopSignal": "      lifecycle: { stopSignal: SIGTERM }\n",
  "spec.hostnameOverride": "",
};

function pod(field: string): string {
  return `apiVersion: v1
kind: Pod
metadata: { name: web }
spec:
${field === "spec.hostnameOverride" ? "  hostnameOverride: web-0\n" : ""}  containers:
    - name: app
      image: registry.example.com/web:1.2.3
${POD_FIELDS[field] ?? ""}`;
}

async function unknownFields(params: { kubernetesVersion: string; field: string }): Promise<string[]> {
  const { manifests } = loadManifests({ files: [{ path: "pod.yaml", text: pod(params.field) }] });
  const catalog = await kubernetesModelsSchemas.load([{ apiVersion: "v1", kind: "Pod" }], params.kubernetesVersion);
  return checkSchemas({ manifests, catalog, severity: "error", unknownKinds: "notice", isJudged: () => true }).map(
    (f) => `${f.rule} ${f.path}`,
  );
}

describe("kubernetesModelsSchemas", () => {
  it("ships sets for Kubernetes 1.27, 1.33 and 1.34, oldest first", () => {
    expect(kubernetesModelsSchemas.kubernetesVersions).toEqual(["1.27", "1.33", "1.34"]);
  });

  it.each(kubernetesModelsSchemas.kubernetesVersions)(
    "the %s set is of the version it is named by: it has that minor's new field and not the next one's",
    async (version) => {
      const own = ADDED_IN[version];
      expect(own).toBeDefined();
      expect(await unknownFields({ kubernetesVersion: version, field: own ?? "" })).toEqual([]);
      const next = NEXT[version];
      if (next)
        expect(await unknownFields({ kubernetesVersion: version, field: ADDED_IN[next] ?? "" })).toEqual([
          `unknown-field ${ADDED_IN[next]}`,
        ]);
    },
  );

  it.each(kubernetesModelsSchemas.kubernetesVersions)(
    "the %s set names the packages it loads from, at their installed versions",
    async (version) => {
      const catalog = await kubernetesModelsSchemas.load([], version);
      const root = path.dirname(fileURLToPath(import.meta.resolve(PACKAGE_OF[version] ?? "")));
      const installed = (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string }).version;
      expect(catalog.kubernetesVersion).toBe(version);
      expect(catalog.description).toMatch(
        new RegExp(
          `^kubernetes-models ${installed.replaceAll(".", "\\.")}, @kubernetes-models/argo-cd \\S+, @kubernetes-models/prometheus-operator \\S+$`,
        ),
      );
    },
  );

  it("loads the newest set when no version is named, and refuses a version it does not ship", async () => {
    expect((await kubernetesModelsSchemas.load([])).kubernetesVersion).toBe("1.34");
    await expect(kubernetesModelsSchemas.load([], "1.30")).rejects.toThrow("no Kubernetes schema set is shipped for 1.30");
  });

  it("finds the CRDs' schemas with every set", async () => {
    for (const version of kubernetesModelsSchemas.kubernetesVersions) {
      const catalog = await kubernetesModelsSchemas.load(
        [
          { apiVersion: "argoproj.io/v1alpha1", kind: "Application" },
          { apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule" },
          { apiVersion: "apps/v1", kind: "Deployment" },
        ],
        version,
      );
      expect(catalog.validatorFor("argoproj.io/v1alpha1", "Application")).toBeTypeOf("function");
      expect(catalog.validatorFor("monitoring.coreos.com/v1", "PrometheusRule")).toBeTypeOf("function");
      expect(catalog.validatorFor("apps/v1", "Deployment")).toBeTypeOf("function");
    }
  });
});
