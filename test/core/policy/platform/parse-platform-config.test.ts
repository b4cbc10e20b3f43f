import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parsePlatformConfig } from "../../../../src/core/policy/platform/parse-platform-config.js";
import { PlatformConfigSchema } from "../../../../src/core/policy/platform/platform-config.schema.js";
import { parseYamlDocuments } from "../../../../src/core/yaml/parse-yaml-documents.js";

function parse(text: string) {
  const parsed = parseYamlDocuments({ file: "policies/platform.yaml", text });
  const document = parsed.documents[0];
  if (!document) throw new Error("no document");
  return parsePlatformConfig({ file: "policies/platform.yaml", document: document.value, positionOf: document.positionOf });
}

describe("parsePlatformConfig", () => {
  it("accepts the shipped default configuration", () => {
    const text = readFileSync(new URL("../../../../policies/platform.yaml", import.meta.url), "utf8");
    const { config, problems } = parse(text);
    expect(problems).toEqual([]);
    expect(config?.environments.map((e) => e.name)).toEqual(["production", "staging", "development"]);
    expect(config?.rules.deprecatedApis.kubernetesVersion).toBe("1.31");
  });

  it("fills defaults for an empty configuration", () => {
    const { config } = parse("apiVersion: gitops-bot.dev/v1alpha1\nkind: PlatformConfig\n");
    expect(config?.rules.sizeCeilings.severity).toBe("error");
    expect(config?.rules.references.severity).toBe("warning");
    expect(config?.rules.podDisruptionBudget.environments).toEqual(["production"]);
    expect(config?.ownership).toBeUndefined();
  });

  it("reports an unknown field at its own line", () => {
    const text = ["apiVersion: gitops-bot.dev/v1alpha1", "kind: PlatformConfig", "sizes:", "  small:", "    replicaz: 2"].join("\n");
    const { config, problems } = parse(text);
    expect(config).toBeUndefined();
    expect(problems).toEqual([
      expect.objectContaining({
        code: "platform-config.invalid",
        file: "policies/platform.yaml",
        line: 5,
        column: 5,
        path: "sizes.small.replicaz",
        message: "Unknown field `sizes.small.replicaz` in the platform configuration.",
      }),
    ]);
  });

  it("reports every problem: a bad quantity and an unknown size", () => {
    const text = [
      "apiVersion: gitops-bot.dev/v1alpha1",
      "kind: PlatformConfig",
      "sizes:",
      "  small:",
      "    container: { cpu: lots }",
      "environments:",
      "  - name: production",
      "    maxSize: huge",
    ].join("\n");
    const { problems } = parse(text);
    expect(problems.map((p) => [p.path, p.line, p.message])).toEqual([
      [
        "sizes.small.container.cpu",
        5,
        "Invalid platform configuration at `sizes.small.container.cpu`: Expected a Kubernetes quantity such as 500m, 2, 512Mi or 4Gi.",
      ],
      [
        "environments[0].maxSize",
        8,
        'Invalid platform configuration at `environments[0].maxSize`: Unknown size "huge"; expected one of: small.',
      ],
    ]);
  });

  it.each(["constructor", "toString", "__proto__"])("reads maxSize: %s as an unknown size, never as no ceiling", (maxSize) => {
    const text = [
      "apiVersion: gitops-bot.dev/v1alpha1",
      "kind: PlatformConfig",
      "sizes:",
      "  small: { replicas: 2 }",
      "environments:",
      "  - name: production",
      `    maxSize: ${maxSize}`,
    ].join("\n");
    const { problems } = parse(text);
    expect(problems.map((p) => p.message)).toContain(
      `Invalid platform configuration at \`environments[0].maxSize\`: Unknown size "${maxSize}"; expected one of: small.`,
    );
  });

  it("exports a JSON Schema for editors", () => {
    const schema = z.toJSONSchema(PlatformConfigSchema, { io: "input" }) as { properties?: Record<string, unknown> };
    expect(Object.keys(schema.properties ?? {})).toEqual(expect.arrayContaining(["sizes", "environments", "ownership", "teams", "rules"]));
  });
});
