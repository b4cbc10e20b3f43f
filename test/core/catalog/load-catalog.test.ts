import { describe, expect, it } from "vitest";
import { loadCatalog, mergeCatalogs } from "../../../src/core/catalog/load-catalog.js";
import { TINY_FILES, tinyCatalog } from "../../helpers/tiny-catalog.js";

const withFile = (path: string, text: string | null) => {
  const files = new Map(TINY_FILES);
  if (text === null) files.delete(path);
  else files.set(path, text);
  return loadCatalog({ files, root: "platform/templates" });
};
const templateText = TINY_FILES.get("web/template.yaml")!;

describe("loadCatalog", () => {
  it("loads templates with their sizes, parameters and files", () => {
    const web = tinyCatalog().templates.get("web")!;
    expect(Object.keys(web.sizes)).toEqual(["small", "medium", "large"]);
    expect(web.parameters.port?.type).toBe("integer");
    expect(web.files.map((f) => f.path)).toEqual(["deployment.yaml", "hpa.yaml"]);
    expect(web.source).toBe("catalog/web/template.yaml");
  });

  it.each([
    ["a missing size", templateText.replace(/ {2}large:.*\n/, ""), "catalog.missing-size", "sizes.large"],
    [
      "a redeclared built-in parameter",
      templateText.replace("parameters:\n", "parameters:\n  name: { type: string }\n"),
      "catalog.reserved-parameter",
      "parameters.name",
    ],
    ["a typo in a field", templateText.replace("replicas: 1,", "replica: 1,"), "catalog.invalid-template", "sizes.small"],
    ["a bad quantity", templateText.replace("request: 100m", "request: lots"), "catalog.invalid-template", "sizes.small.cpu.request"],
    [
      "a listed file that does not exist",
      templateText.replace("  - deployment.yaml\n", "  - deployment.yaml\n  - missing.yaml\n"),
      "catalog.missing-file",
      "files[1]",
    ],
    [
      "a file for an unknown size",
      templateText.replace("sizes: [medium, large]", "sizes: [medium, huge]"),
      "catalog.unknown-size",
      "files[1].sizes",
    ],
    [
      "a default that breaks its own rules",
      templateText.replace("default: 8080, minimum: 1024", "default: 80, minimum: 1024"),
      "catalog.bad-default",
      "parameters.port.default",
    ],
    [
      "autoscaling max below min",
      templateText.replace("min: 4, max: 10", "min: 4, max: 3"),
      "catalog.invalid-template",
      "sizes.large.autoscaling",
    ],
  ])("reports %s with the file and field, and leaves the template out", (_, text, code, path) => {
    const { catalog, problems } = withFile("web/template.yaml", text);
    expect(catalog.templates.has("web")).toBe(false);
    expect(problems[0]).toMatchObject({ code, file: "platform/templates/web/template.yaml" });
    expect(problems[0]?.path).toContain(path);
    expect(problems[0]?.line).toBeGreaterThan(1);
  });

  it("reads quantities as the API server does: numbers and strings alike, `1Gi` and `1.5`", () => {
    const { catalog, problems } = withFile("web/template.yaml", templateText.replace('request: "1", limit: "2"', "request: 1, limit: 1.5"));
    expect(problems).toEqual([]);
    expect(catalog.templates.get("web")?.sizes.large?.cpu).toEqual({ request: "1", limit: "1.5" });
    expect(withFile("web/template.yaml", templateText.replace("request: 100m", "request: -100m")).problems[0]?.code).toBe(
      "catalog.invalid-template",
    );
  });

  it("reports YAML syntax errors at their line", () => {
    const { problems } = withFile("web/hpa.yaml", "a: [1, 2\nb: 3\n");
    expect(problems[0]).toMatchObject({ code: "yaml.syntax", file: "platform/templates/web/hpa.yaml" });
    expect(problems[0]?.line).toBeGreaterThan(0);
  });

  it("lets the GitOps repository's templates override built-in ones by name", () => {
    const base = tinyCatalog();
    const override = loadCatalog({
      files: new Map([...TINY_FILES].map(([p, t]) => [p, p === "web/template.yaml" ? t.replace("A tiny web service.", "Overridden.") : t])),
      root: "x",
    }).catalog;
    expect(mergeCatalogs(base, override).templates.get("web")?.description).toBe("Overridden.");
  });
});
