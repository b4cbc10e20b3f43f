import { describe, expect, it } from "vitest";
import { formatPath } from "../../../src/core/problems.js";
import { mapSampleFinding, parseFieldPath } from "../../../src/core/render/map-sample-finding.js";
import type { Finding } from "../../../src/core/policy/types.js";

describe("parseFieldPath", () => {
  it.each([
    [["spec", "template", "spec", "containers", 0, "securityContext", "privileged"]],
    [["metadata", "labels", "app.kubernetes.io/name"]],
    [["data", 'a "quoted" key', 3]],
    [[]],
  ])("reads back what formatPath writes: %j", (path) => {
    expect(parseFieldPath(formatPath(path))).toEqual(path);
  });

  it("returns undefined for text formatPath never writes", () => {
    expect(parseFieldPath("spec..x")).toBeUndefined();
  });
});

describe("mapSampleFinding", () => {
  const template =
    "# comment\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${{ values.name }}\ndata:\n  mode: fast\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  ports: []\n";
  const rendered =
    "# Generated\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: example\n  labels:\n    app.kubernetes.io/name: example\ndata:\n  mode: fast\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: x\n  labels:\n    app.kubernetes.io/name: example\nspec:\n  ports: []\n";
  const finding = (line: number, path: string): Finding => ({
    policy: "p",
    rule: "r",
    severity: "error",
    file: "apps/example/example/dev/x.yaml",
    line,
    column: 3,
    path,
    message: "m",
  });
  const map = (f: Finding) =>
    mapSampleFinding({ finding: f, renderedText: rendered, templateFile: "platform/templates/t/x.yaml", templateText: template });

  it("finds the same field in the same document of the template", () => {
    expect(map(finding(9, "data.mode"))).toMatchObject({ file: "platform/templates/t/x.yaml", line: 7, column: 3 });
    expect(map(finding(19, "spec.ports"))).toMatchObject({ line: 14, column: 3 });
  });

  it("falls back to the nearest ancestor for fields rendering added (the standard labels)", () => {
    expect(map(finding(17, formatPath(["metadata", "labels", "app.kubernetes.io/name"])))).toMatchObject({ line: 11, column: 1 });
  });
});
