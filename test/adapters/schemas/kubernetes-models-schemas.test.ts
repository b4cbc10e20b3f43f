import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { kubernetesModelsSchemas } from "../../../src/adapters/schemas/kubernetes-models-schemas.js";

describe("kubernetesModelsSchemas", () => {
  it("names its packages and the Kubernetes version kubernetes-models states (its README's badge), so an upgrade cannot leave it behind", async () => {
    const catalog = await kubernetesModelsSchemas.load([]);
    const root = path.dirname(fileURLToPath(import.meta.resolve("kubernetes-models")));
    const packageJson = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string };
    const badge = /badge\/kubernetes-(\d+\.\d+)\.\d+-/.exec(readFileSync(path.join(root, "README.md"), "utf8"))?.[1];
    expect(catalog.kubernetesVersion).toBe(badge);
    expect(catalog.description).toContain(`kubernetes-models ${packageJson.version}`);
  });
});
