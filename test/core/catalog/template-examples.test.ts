import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../../src/core/catalog/load-catalog.js";

const template = (examples: string) => `apiVersion: gitops-bot.dev/v1
kind: Template
name: queue
description: A queue consumer.
parameters:
  image: { required: true, pattern: "[a-z./-]+:[0-9.]+" }
  port: { type: integer, default: 8080, maximum: 9000 }
${examples}sizes:
  small: { replicas: 1, cpu: { request: 100m, limit: 500m }, memory: { request: 128Mi, limit: 256Mi } }
  medium: { replicas: 1, cpu: { request: 100m, limit: 500m }, memory: { request: 128Mi, limit: 256Mi } }
  large: { replicas: 1, cpu: { request: 100m, limit: 500m }, memory: { request: 128Mi, limit: 256Mi } }
files: [deployment.yaml]
`;

function load(examples: string, requireExamples?: boolean) {
  const files = new Map([
    ["queue/template.yaml", template(examples)],
    ["queue/deployment.yaml", "kind: ConfigMap\n"],
  ]);
  return loadCatalog({ files, root: "platform/templates", ...(requireExamples === undefined ? {} : { requireExamples }) });
}

describe("template examples", () => {
  it("are kept as text, numbers included", () => {
    const { catalog, problems } = load("examples:\n  image: ghcr.io/a:1.0\n  port: 8081\n", true);
    expect(problems).toEqual([]);
    expect(catalog.templates.get("queue")?.examples).toEqual({ image: "ghcr.io/a:1.0", port: "8081" });
  });

  it("must pass their parameter's rules and name a declared parameter, at their line", () => {
    const { catalog, problems } = load("examples:\n  image: ghcr.io/a:latest\n  port: 9999\n  colour: red\n");
    expect(catalog.templates.size).toBe(0);
    expect(problems.map((p) => [p.code, p.path, p.line])).toEqual([
      ["catalog.bad-example", "examples.image", 9],
      ["catalog.bad-example", "examples.port", 10],
      ["catalog.unknown-example", "examples.colour", 11],
    ]);
    expect(problems[1]?.message).toBe(
      "platform/templates/queue/template.yaml: the example of parameter `port` is invalid: `port` must be at most 9000.",
    );
  });

  it("are required for required parameters without a default only when asked (a pull request changing the template)", () => {
    expect(load("").problems).toEqual([]);
    expect(load("examples: { port: 8081 }\n", true).problems.map((p) => [p.code, p.line])).toEqual([["catalog.missing-example", 8]]);
    const { problems } = load("", true);
    expect(problems).toEqual([
      expect.objectContaining({
        code: "catalog.missing-example",
        file: "platform/templates/queue/template.yaml",
        path: "examples.image",
        line: 6,
        message: "platform/templates/queue/template.yaml: required parameter `image` has no example under `examples`.",
      }),
    ]);
  });
});
