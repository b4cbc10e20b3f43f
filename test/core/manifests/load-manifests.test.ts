import { describe, expect, it } from "vitest";
import { loadManifests } from "../../../src/core/manifests/load-manifests.js";

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:latest
`;

describe("loadManifests", () => {
  it("reads every object of every file with its file, document index and positions", () => {
    const result = loadManifests({
      files: [
        { path: "apps/web/deployment.yaml", text: deployment },
        {
          path: "apps/web/service.yaml",
          text: "# header\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n",
        },
      ],
    });
    expect(result.problems).toEqual([]);
    expect(result.manifests.map((manifest) => [manifest.file, manifest.documentIndex, manifest.object.kind])).toEqual([
      ["apps/web/deployment.yaml", 0, "Deployment"],
      ["apps/web/service.yaml", 0, "Service"],
      ["apps/web/service.yaml", 1, "ConfigMap"],
    ]);
    const [web] = result.manifests;
    expect(web?.positionOf(["spec", "template", "spec", "containers", 0, "image"])).toEqual({ line: 10, column: 11 });
    expect(result.manifests[2]?.positionOf(["metadata", "name"])).toEqual({ line: 10, column: 3 });
  });

  it("skips empty documents without a problem", () => {
    const result = loadManifests({
      files: [
        { path: "a.yaml", text: "---\n# only comments\n---\n---\n" },
        { path: "b.yaml", text: "" },
      ],
    });
    expect(result).toEqual({ manifests: [], problems: [], skipped: [] });
  });

  // Argo CD ignores YAML that is no resource and does not try to be one; so does the check, and says so.
  it.each([
    ["Helm values", "apps/web/values-prod.yaml", "replicaCount: 3\nimage: {tag: '1.2'}\n"],
    ["a compose file", "compose.yaml", "services:\n  web: {image: nginx}\n"],
    ["a scalar", "x.yaml", "just a string\n"],
    ["a sequence", "x.yml", "- a\n- b\n"],
    ["an empty mapping", "x.yaml", "{}\n"],
    ["a Chart.yaml", "apps/x/Chart.yaml", "apiVersion: v2\nname: x\nversion: 1.0.0\n"],
    ["a mapping without kind", "x.yaml", "apiVersion: v1\nmetadata:\n  name: x\n"],
    ["a Grafana dashboard", "dashboards/web.json", '{"title": "Web", "panels": [{"type": "graph"}]}'],
    ["package.json", "package.json", '{"name": "x", "version": "1.0.0"}'],
    ["broken YAML that is no manifest", "ci.yml", "a:\n b: 1\n  c: 2\n"],
    ["a duplicate key in YAML that is no manifest", "ci.yml", "a: 1\na: 2\n"],
  ])("skips %s as no-kubernetes-object, with no problem", (_name, path, text) => {
    expect(loadManifests({ files: [{ path, text }] })).toEqual({
      manifests: [],
      problems: [],
      skipped: [{ path, reason: "no-kubernetes-object" }],
    });
  });

  it.each([
    ["JSON holding an object", "pod.json", '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"hostNetwork": true}}'],
    [
      "a JSON List",
      "list.json",
      '{"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}]}',
    ],
  ])("reads %s", (_name, path, text) => {
    const result = loadManifests({ files: [{ path, text }] });
    expect(result.manifests.map((m) => m.object.kind)).toEqual(["Pod"]);
    expect(result.manifests[0]?.positionOf(["metadata", "name"]).line).toBe(1);
  });

  it.each([
    [
      "a manifest with a duplicate key",
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {hostNetwork: false, hostNetwork: true}\n",
      "yaml.duplicate-key",
    ],
    ["broken YAML that tries to be a manifest", "apiVersion: v1\nkind: Pod\nmetadata:\n name: p\n  x: 1\n", "yaml.syntax"],
    ["broken JSON that tries to be a manifest", '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}', "yaml.syntax"],
    ["a too deep document that is no manifest", `${"[".repeat(70)}${"]".repeat(70)}`, "yaml.too-deep"],
  ])("never skips %s: its problem stands", (_name, text, code) => {
    const result = loadManifests({ files: [{ path: "x.yaml", text }] });
    expect(result.skipped).toEqual([]);
    expect(result.problems.map((p) => p.code)).toEqual([code]);
  });

  it.each([
    [
      "a mapping without kind (its text names kind)",
      "apiVersion: v1\nmetadata:\n  name: x\n  labels: {kind: a}\n",
      "Document 1 is not a Kubernetes object: it has no `kind`.",
      1,
      1,
    ],
    [
      "an empty apiVersion",
      "apiVersion: ''\nkind: Pod\nmetadata: {name: x}\n",
      "Document 1 is not a Kubernetes object: it has no `apiVersion`.",
      1,
      1,
    ],
    [
      "a kind that is not text",
      "apiVersion: v1\nkind: 5\nmetadata: {name: x}\n",
      "Document 1 is not a Kubernetes object: it has no `kind`.",
      2,
      1,
    ],
    [
      "missing metadata.name (points at metadata)",
      "apiVersion: v1\nkind: Pod\nmetadata:\n  labels: {}\n",
      "Document 1 is not a Kubernetes object: it has no `metadata.name`.",
      3,
      1,
    ],
    [
      "missing metadata",
      "apiVersion: v1\nkind: Pod\nspec: {}\n",
      "Document 1 is not a Kubernetes object: it has no `metadata.name`.",
      1,
      1,
    ],
  ])("reports %s as one manifest.not-kubernetes-object problem", (_name, text, message, line, column) => {
    const result = loadManifests({ files: [{ path: "x.yaml", text }] });
    expect(result.manifests).toEqual([]);
    expect(result.problems).toEqual([
      expect.objectContaining({ code: "manifest.not-kubernetes-object", severity: "error", file: "x.yaml", message, line, column }),
    ]);
    expect(result.problems[0]?.hint).toContain("apiVersion");
  });

  it("names the document in a multi-document file and keeps the good ones", () => {
    const result = loadManifests({ files: [{ path: "x.yaml", text: `${deployment}---\nfoo: bar\n` }] });
    expect(result.manifests.map((manifest) => manifest.object.kind)).toEqual(["Deployment"]);
    expect(result.problems).toEqual([expect.objectContaining({ line: 12, message: expect.stringMatching(/^Document 2 /) })]);
  });

  it("accepts metadata.generateName in place of metadata.name", () => {
    const text = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: migrate-\n";
    expect(loadManifests({ files: [{ path: "job.yaml", text }] }).problems).toEqual([]);
  });

  it("passes YAML problems through and keeps reading the other files", () => {
    const result = loadManifests({
      files: [
        { path: "broken.yaml", text: "apiVersion: v1\nkind: Pod\nmetadata:\n b: 1\n  c: 2\n" },
        { path: "good.yaml", text: deployment },
      ],
      limits: { maxDepth: 8 },
    });
    expect(result.problems.map((found) => [found.code, found.file])).toEqual([["yaml.syntax", "broken.yaml"]]);
    expect(result.manifests).toHaveLength(1);
  });

  it("applies the limits it is given", () => {
    const result = loadManifests({ files: [{ path: "web.yaml", text: deployment }], limits: { maxDepth: 3 } });
    expect(result.problems.map((found) => found.code)).toEqual(["yaml.too-deep"]);
  });

  describe("list objects", () => {
    const list = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ServiceAccount
    metadata:
      name: a
  - apiVersion: v1
    kind: ServiceAccount
    metadata:
      name: b
    automountServiceAccountToken: true
`;

    it("reads each item of a List as a manifest whose positions point into the list", () => {
      const result = loadManifests({ files: [{ path: "sa.yaml", text: list }] });
      expect(result.problems).toEqual([]);
      expect(result.manifests.map((manifest) => (manifest.object.metadata as { name: string }).name)).toEqual(["a", "b"]);
      expect(result.manifests[1]?.documentIndex).toBe(0);
      expect(result.manifests[1]?.positionOf(["automountServiceAccountToken"])).toEqual({ line: 12, column: 5 });
      expect(result.manifests[1]?.positionOf([])).toEqual({ line: 8, column: 5 });
    });

    it("expands typed lists such as DeploymentList too", () => {
      const text = "apiVersion: apps/v1\nkind: DeploymentList\nitems: []\n";
      expect(loadManifests({ files: [{ path: "l.yaml", text }] })).toEqual({ manifests: [], problems: [], skipped: [] });
    });

    it("reports a bad item at that item and keeps the others", () => {
      const text = list.replace("      name: b\n", "      labels: {}\n");
      const result = loadManifests({ files: [{ path: "sa.yaml", text }] });
      expect(result.manifests).toHaveLength(1);
      expect(result.problems).toEqual([
        expect.objectContaining({
          code: "manifest.not-kubernetes-object",
          message: "Item 2 of the list in document 1 is not a Kubernetes object: it has no `metadata.name`.",
          path: "items[1].metadata.name",
          line: 10,
          column: 5,
        }),
      ]);
    });

    it("reports a list without apiVersion at the document", () => {
      const result = loadManifests({ files: [{ path: "l.yaml", text: "kind: List\nitems: []\n" }] });
      expect(result.problems).toEqual([
        expect.objectContaining({ message: "Document 1 is not a Kubernetes object: it has no `apiVersion`.", line: 1 }),
      ]);
    });
  });
});
