import { loadAll } from "js-yaml";
import { describe, expect, it } from "vitest";
import { DEFAULT_YAML_LIMITS } from "../../../src/core/yaml/default-yaml-limits.js";
import { KUBERNETES_YAML_SCHEMA } from "../../../src/core/yaml/kubernetes-yaml-schema.js";
import { parseYamlDocuments } from "../../../src/core/yaml/parse-yaml-documents.js";
import type { FieldPath, YamlLimits } from "../../../src/core/yaml/types.js";

function parse(text: string, limits?: Partial<YamlLimits>) {
  return parseYamlDocuments({ file: "deploy/app.yaml", text, ...(limits ? { limits } : {}) });
}

function positionIn(text: string, path: FieldPath, documentIndex = 0) {
  const parsed = parse(text);
  expect(parsed.problems).toEqual([]);
  const document = parsed.documents.find((candidate) => candidate.index === documentIndex);
  if (!document) throw new Error(`no document ${documentIndex}`);
  return document.positionOf(path);
}

describe("parseYamlDocuments values", () => {
  it.each([
    ["a block mapping", "a: 1\nb: [x, y]\nc: {d: null}\n"],
    ["several documents with an empty one", "a: 1\n---\n# only a comment\n---\n- x\n- y\n"],
    ["core schema scalars", "yes: yes\non: off\noctal: 0o17\nleading: 0644\nunderscore: 1_000\nfloat: 1e3\nnull: ~\nbool: true\n"],
    ["quoted and block scalars", "a: 'it''s'\nb: \"tab\\t\"\nc: |\n  x\n  y\nd: >-\n  folded\n  text\n"],
    ["anchors, aliases and merge keys", "base: &b {x: 1}\nuse: *b\nm:\n  <<: *b\n  y: 2\n"],
    ["non-string keys", "1: a\n0x10: b\ntrue: c\n~: d\n"],
    ["a bare scalar document", "just text\n"],
    ["a file of comments only", "# nothing here\n"],
    ["an empty file", ""],
  ])("match js-yaml loadAll for %s", (_name, text) => {
    const parsed = parse(text);
    expect(parsed.problems).toEqual([]);
    expect(parsed.documents.map((document) => document.value)).toEqual(loadAll(text, { schema: KUBERNETES_YAML_SCHEMA }));
  });

  it("keeps YAML 1.2 core semantics where Kubernetes' YAML 1.1 reader differs", () => {
    const [document] = parse("enabled: yes\nmode: 0644\n").documents;
    // sigs.k8s.io/yaml would read `true` and 420; docs/yaml-limits.md lists these differences.
    expect(document?.value).toEqual({ enabled: "yes", mode: 644 });
  });

  it("numbers documents by their place in the file", () => {
    const parsed = parse("a: 1\n---\nb: 2\n---\nc: 3\n");
    expect(parsed.documents.map((document) => [document.index, document.value])).toEqual([
      [0, { a: 1 }],
      [1, { b: 2 }],
      [2, { c: 3 }],
    ]);
  });
});

describe("parseYamlDocuments positions", () => {
  const deployment = [
    "apiVersion: apps/v1", // 1
    "kind: Deployment", // 2
    "metadata:", // 3
    "  name: web", // 4
    "spec:", // 5
    "  template:", // 6
    "    spec:", // 7
    "      containers:", // 8
    "      - name: app", // 9
    "        image: nginx:1.27", // 10
    "      - name: debug", // 11
    "        image: busybox", // 12
    "        securityContext: {privileged: true}", // 13
    "",
  ].join("\n");

  it.each<[string, FieldPath, number, number]>([
    ["a top-level key", ["kind"], 2, 1],
    ["a nested key", ["metadata", "name"], 4, 3],
    ["a key in the second item of a sequence of mappings", ["spec", "template", "spec", "containers", 1, "image"], 12, 9],
    ["a sequence item (its first key)", ["spec", "template", "spec", "containers", 1], 11, 9],
    ["a key inside a flow mapping", ["spec", "template", "spec", "containers", 1, "securityContext", "privileged"], 13, 27],
    ["a missing field (its parent)", ["spec", "template", "spec", "containers", 0, "resources", "limits"], 9, 9],
    ["a missing top-level field (the document)", ["status"], 1, 1],
    ["an index past the end (the sequence's key)", ["spec", "template", "spec", "containers", 4], 8, 7],
    ["a path below a scalar (the scalar's key)", ["metadata", "name", "first"], 4, 3],
    ["the root", [], 1, 1],
    ["a sequence index given as text", ["spec", "template", "spec", "containers", "1", "image"], 12, 9],
  ])("points at %s", (_name, path, line, column) => {
    expect(positionIn(deployment, path)).toEqual({ line, column });
  });

  it("points at quoted keys by their opening quote", () => {
    const text = "metadata:\n  labels:\n    \"app.kubernetes.io/name\": web\n    'team': a\n";
    expect(positionIn(text, ["metadata", "labels", "app.kubernetes.io/name"])).toEqual({ line: 3, column: 5 });
    expect(positionIn(text, ["metadata", "labels", "team"])).toEqual({ line: 4, column: 5 });
  });

  it("finds keys that js-yaml turns into other strings", () => {
    const text = "ports:\n  0x50: http\n  ~: none\n";
    expect(positionIn(text, ["ports", "80"])).toEqual({ line: 2, column: 3 });
    expect(positionIn(text, ["ports", "null"])).toEqual({ line: 3, column: 3 });
  });

  it("finds every kind of key, whether its text can be compared in place or must be read", () => {
    const text = [
      "m:", // 1
      "  plain: 1", // 2
      "  'single': 2", // 3
      '  "double\\tescaped": 3', // 4
      "  'it''s': 4", // 5
      "  1e1: 5", // 6: property "10"
      "  true: 6", // 7
      "  '1e2': 7", // 8: quoted, so property "1e2"
      "  last: 8", // 9
    ].join("\n");
    expect(positionIn(text, ["m", "plain"])).toEqual({ line: 2, column: 3 });
    expect(positionIn(text, ["m", "single"])).toEqual({ line: 3, column: 3 });
    expect(positionIn(text, ["m", "double\tescaped"])).toEqual({ line: 4, column: 3 });
    expect(positionIn(text, ["m", "it's"])).toEqual({ line: 5, column: 3 });
    expect(positionIn(text, ["m", "10"])).toEqual({ line: 6, column: 3 });
    expect(positionIn(text, ["m", "true"])).toEqual({ line: 7, column: 3 });
    expect(positionIn(text, ["m", "1e2"])).toEqual({ line: 8, column: 3 });
    expect(positionIn(text, ["m", "last"])).toEqual({ line: 9, column: 3 });
    // A key that only looks like another in the text is not taken for it: the mapping is the place.
    expect(positionIn(text, ["m", "1e1"])).toEqual({ line: 1, column: 1 });
    expect(positionIn(text, ["m", "plai"])).toEqual({ line: 1, column: 1 });
  });

  it("points at a block scalar's indicator when it is a sequence item", () => {
    const text = "args:\n  - |\n    line one\n  - >-\n    folded\n";
    expect(positionIn(text, ["args", 0])).toEqual({ line: 2, column: 5 });
    expect(positionIn(text, ["args", 1])).toEqual({ line: 4, column: 5 });
  });

  it("locates nodes in each document of a multi-document file", () => {
    const text = "kind: A\n---\nkind: B\nspec:\n  x: 1\n---\n\n{kind: C, spec: {x: 2}}\n";
    expect(positionIn(text, ["spec", "x"], 1)).toEqual({ line: 5, column: 3 });
    expect(positionIn(text, ["spec", "x"], 2)).toEqual({ line: 8, column: 18 });
    expect(parse(text).documents.map((document) => document.start)).toEqual([
      { line: 1, column: 1 },
      { line: 3, column: 1 },
      { line: 8, column: 1 },
    ]);
  });

  it("points at a flow sequence item and at a single-pair mapping inside a flow sequence", () => {
    const text = "command: [sh, -c, 'sleep 1']\nenv: [name: A]\n";
    expect(positionIn(text, ["command", 2])).toEqual({ line: 1, column: 19 });
    expect(positionIn(text, ["env", 0, "name"])).toEqual({ line: 2, column: 7 });
  });

  it("points at the alias for anything reached through it", () => {
    const text = "defaults: &d\n  cpu: 100m\nrequests: *d\nlist:\n  - *d\n";
    expect(positionIn(text, ["requests"])).toEqual({ line: 3, column: 1 });
    expect(positionIn(text, ["requests", "cpu"])).toEqual({ line: 3, column: 11 });
    expect(positionIn(text, ["list", 0, "cpu"])).toEqual({ line: 5, column: 5 });
    expect(positionIn(text, ["defaults", "cpu"])).toEqual({ line: 2, column: 3 });
  });

  it("points at the merge key for a key that came in through `<<`, and at the parent for one that did not", () => {
    const text = "base: &b {cpu: 1}\nlimits:\n  <<: *b\n  memory: 1Gi\n";
    expect(positionIn(text, ["limits", "cpu"])).toEqual({ line: 3, column: 3 });
    expect(positionIn(text, ["limits", "memory"])).toEqual({ line: 4, column: 3 });
    expect(positionIn(text, ["limits", "gpu"])).toEqual({ line: 2, column: 1 });
  });

  it("points at the key of an empty value, and includes a node's tag and anchor", () => {
    const text = "empty:\nnamed: &n !!str value\n";
    expect(positionIn(text, ["empty"])).toEqual({ line: 1, column: 1 });
    expect(positionIn(text, ["empty", "child"])).toEqual({ line: 1, column: 1 });
    expect(positionIn(text, ["named"])).toEqual({ line: 2, column: 1 });
  });

  it("gives the same lines and columns for CRLF, lone CR and BOM files", () => {
    const lf = "a:\n  b: 1\n  c:\n    - d: 2\n";
    const path: FieldPath = ["a", "c", 0, "d"];
    const expected = positionIn(lf, path);
    expect(expected).toEqual({ line: 4, column: 7 });
    expect(positionIn(lf.replace(/\n/g, "\r\n"), path)).toEqual(expected);
    expect(positionIn(lf.replace(/\n/g, "\r"), path)).toEqual(expected);
    expect(positionIn(`\uFEFF${lf}`, path)).toEqual(expected);
    expect(positionIn(`\uFEFF${lf}`, ["a"])).toEqual({ line: 1, column: 1 });
  });

  it("counts positions after comments and blank lines", () => {
    const text = "# header\n\n# more\nkind: Pod # trailing\n\nspec:\n  # inside\n  x: 1\n";
    expect(positionIn(text, ["spec", "x"])).toEqual({ line: 8, column: 3 });
  });

  it("lets a position function be passed around on its own", () => {
    const [document] = parse("a:\n  b: 1\n").documents;
    const positionOf = document?.positionOf;
    expect(positionOf?.(["a", "b"])).toEqual({ line: 2, column: 3 });
  });
});

describe("parseYamlDocuments problems", () => {
  it.each([
    ["wrong indentation", "a:\n  b: 1\n   c: 2\n", 3, 5],
    ["a tab used for indentation", "a:\n\tb: 1\n", 2, 1],
    ["an unclosed flow sequence", "a: [1, 2\nb: 3\n", 2, 1],
    ["an unclosed quote", 'a: "open\nb: 2\n', 2, 1],
    ["a null byte", "a: 1\0\n", 1, 5],
    ["text after a mapping", "a: 1\n- b\n", 2, 1],
  ])("reports %s as one yaml.syntax problem at its line", (_name, text, line, column) => {
    const parsed = parse(text);
    expect(parsed.documents).toEqual([]);
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]).toMatchObject({ code: "yaml.syntax", severity: "error", file: "deploy/app.yaml", line, column });
    expect(parsed.problems[0]?.message).toMatch(/^The YAML cannot be parsed: `.+`\.$/);
    expect(parsed.problems[0]?.hint).toBe(
      "Fix the text at this line and column; wrong indentation, a tab used for indentation, or an unclosed quote or bracket are the usual causes.",
    );
  });

  it.each([
    ["an unknown tag", "a: !Ref name\n", /unknown scalar tag/, 1, 4],
    ["an alias without anchor", "a: 1\nb: *missing\n", /unidentified alias/, 2, 4],
    ["a complex key", "? [a, b]\n: c\n", /complex keys/, 1, 1],
    ["a merge of a scalar", "a:\n  <<: 1\n", /cannot merge/, 2, 3],
  ])("reports %s as one yaml.invalid problem", (_name, text, reason, line, column) => {
    const parsed = parse(text);
    expect(parsed.documents).toEqual([]);
    expect(parsed.problems).toEqual([expect.objectContaining({ code: "yaml.invalid", line, column })]);
    expect(parsed.problems[0]?.message).toMatch(reason);
  });

  it("names a duplicated key, where it was first, and keeps the file's other documents", () => {
    const text = "kind: A\n---\nmetadata:\n  labels:\n    app: x\n    'app': y\n---\nkind: C\n";
    const parsed = parse(text);
    expect(parsed.problems).toEqual([
      {
        code: "yaml.duplicate-key",
        severity: "error",
        file: "deploy/app.yaml",
        line: 6,
        column: 5,
        message: "Key `app` appears twice in the same mapping of YAML document 2, first on line 5.",
        hint: expect.stringContaining("Remove one"),
      },
    ]);
    expect(parsed.documents.map((document) => [document.index, document.value])).toEqual([
      [0, { kind: "A" }],
      [2, { kind: "C" }],
    ]);
  });

  it("accepts the same key in different mappings and a key that overrides a merged one", () => {
    const parsed = parse("a: {name: x}\nb: {name: y}\nbase: &b {name: z}\nc:\n  <<: *b\n  name: w\n");
    expect(parsed.problems).toEqual([]);
  });

  it("never throws, whatever the input", () => {
    const inputs = [
      "{",
      "[",
      "]]]",
      "? ? ?",
      "&a",
      "*a",
      "!",
      "- - - -",
      ": :",
      "%YAML 9.9\n---\na",
      "'",
      '"\\x',
      "---\n...\n...",
      "\t",
      "a: |\n\tb",
    ];
    for (const text of inputs) expect(() => parse(text)).not.toThrow();
  });
});

describe("parseYamlDocuments limits", () => {
  it("documents its defaults", () => {
    expect(DEFAULT_YAML_LIMITS).toEqual({ maxBytes: 1048576, maxDepth: 64, maxAliases: 100, maxDocuments: 500 });
  });

  it("rejects a file over maxBytes at line 1, counting UTF-8 bytes rather than characters", () => {
    expect(parse("a: 12345\n", { maxBytes: 9 }).problems).toEqual([]);
    const tooLong = parse("a: 123456\n", { maxBytes: 9 });
    expect(tooLong.documents).toEqual([]);
    expect(tooLong.problems).toEqual([
      expect.objectContaining({
        code: "yaml.too-large",
        line: 1,
        column: 1,
        message: "The file is larger than the 9 bytes limit for YAML files.",
      }),
    ]);
    // Four characters, six bytes.
    expect(parse("é: é", { maxBytes: 5 }).problems.map((found) => found.code)).toEqual(["yaml.too-large"]);
    expect(parse("é: é", { maxBytes: 6 }).problems).toEqual([]);
  });

  it("rejects a file of the default limit's size plus one, naming the limit and the setting", () => {
    const parsed = parse(`a: "${"x".repeat(DEFAULT_YAML_LIMITS.maxBytes)}"`);
    expect(parsed.problems[0]?.message).toContain("1 MiB");
    expect(parsed.problems[0]?.hint).toContain("maxBytes");
  });

  it.each([
    [
      "block mappings",
      (depth: number) => Array.from({ length: depth }, (_, level) => `${"  ".repeat(level)}k${level}:`).join("\n") + " 1\n",
    ],
    ["block sequences", (depth: number) => `${"- ".repeat(depth)}1\n`],
    ["flow sequences", (depth: number) => `${"[".repeat(depth)}1${"]".repeat(depth)}\n`],
    ["flow mappings", (depth: number) => `${"{a: ".repeat(depth)}1${"}".repeat(depth)}\n`],
    ["mixed styles", (depth: number) => `${"a: ".repeat(1)}${"[{b: ".repeat((depth - 1) / 2)}1${"}]".repeat((depth - 1) / 2)}\n`],
  ])("accepts %s nested exactly maxDepth deep and rejects one level more", (_name, nest) => {
    const maxDepth = 9;
    expect(parse(nest(maxDepth), { maxDepth }).problems).toEqual([]);
    const deeper = parse(nest(maxDepth + 2), { maxDepth });
    expect(deeper.problems.map((found) => found.code)).toEqual(["yaml.too-deep"]);
    expect(deeper.problems[0]?.message).toBe("Mappings and sequences are nested more than 9 levels deep here.");
    expect(deeper.documents).toEqual([]);
  });

  it("points a too-deep problem at the collection that crossed the limit", () => {
    const text = "a:\n  b:\n    c:\n      d: 1\n";
    expect(parse(text, { maxDepth: 3 }).problems).toEqual([expect.objectContaining({ code: "yaml.too-deep", line: 4, column: 7 })]);
  });

  it("rejects very deep nesting without overflowing the stack", () => {
    const text = "[".repeat(200_000);
    expect(parse(text).problems.map((found) => found.code)).toEqual(["yaml.too-deep"]);
    expect(parse(text, { maxDepth: 150_000 }).problems.map((found) => found.code)).toEqual(["yaml.too-deep"]);
  });

  it("rejects the whole file when one document is too deep", () => {
    const parsed = parse("a: 1\n---\nb: [[[1]]]\n---\nc: 3\n", { maxDepth: 2 });
    expect(parsed.problems).toEqual([expect.objectContaining({ code: "yaml.too-deep", line: 3, column: 5 })]);
    expect(parsed.documents).toEqual([]);
  });

  it("rejects a billion-laughs file without expanding it", () => {
    const lines = ['lol0: "lol"'];
    for (let level = 1; level <= 9; level++)
      lines.push(
        `lol${level}: &l${level} [${Array(10)
          .fill(level === 1 ? "*l0" : `*l${level - 1}`)
          .join(", ")}]`,
      );
    lines[0] = 'lol0: &l0 "lol"';
    const parsed = parse(`${lines.join("\n")}\n`);
    expect(parsed.documents).toEqual([]);
    expect(parsed.problems).toEqual([expect.objectContaining({ code: "yaml.too-many-aliases", line: 3 })]);
    expect(parsed.problems[0]?.hint).toContain("maxAliases");
  });

  it("counts aliases as they expand, so a few nested aliases cannot multiply past the limit", () => {
    // 14 alias nodes in the text, but the last list expands to 2^7 copies.
    const levels = ["a0: &a0 x"];
    for (let level = 1; level <= 7; level++) levels.push(`a${level}: &a${level} [*a${level - 1}, *a${level - 1}]`);
    const parsed = parse(`${levels.join("\n")}\n`);
    expect(parsed.problems.map((found) => found.code)).toEqual(["yaml.too-many-aliases"]);
  });

  it("allows ordinary anchor use and honours a raised or zero alias limit", () => {
    const text = "common: &c {team: a}\none: *c\ntwo: *c\nthree: *c\n";
    expect(parse(text).problems).toEqual([]);
    expect(parse(text, { maxAliases: 2 }).problems).toEqual([
      expect.objectContaining({ code: "yaml.too-many-aliases", line: 4, column: 8 }),
    ]);
    expect(parse(text, { maxAliases: 0 }).problems).toEqual([
      expect.objectContaining({ code: "yaml.too-many-aliases", line: 2, column: 6 }),
    ]);
  });

  it("rejects an alias to the node that contains it instead of building a cyclic value", () => {
    const parsed = parse("spec: &self\n  child: *self\n");
    expect(parsed.documents).toEqual([]);
    expect(parsed.problems).toEqual([expect.objectContaining({ code: "yaml.recursive-alias", line: 2, column: 10 })]);
    expect(parsed.problems[0]?.message).toContain("`*self`");
  });

  it("rejects a file with more than maxDocuments documents at the first one too many", () => {
    const text = "a: 1\n---\nb: 2\n---\n---\nc: 3\n";
    expect(parse(text, { maxDocuments: 4 }).problems).toEqual([]);
    const parsed = parse(text, { maxDocuments: 2 });
    expect(parsed.documents).toEqual([]);
    expect(parsed.problems).toEqual([
      expect.objectContaining({
        code: "yaml.too-many-documents",
        line: 4,
        column: 1,
        message: "The file holds more than 2 YAML documents.",
      }),
    ]);
    // The fourth document starts with its first node, on the line after its `---`.
    expect(parse(text, { maxDocuments: 3 }).problems).toEqual([expect.objectContaining({ code: "yaml.too-many-documents", line: 6 })]);
  });

  it("falls back to the default for a limit that is not a positive whole number", () => {
    const parsed = parse("a: [[[1]]]\n", { maxDepth: Number.NaN, maxBytes: -1 });
    expect(parsed.problems).toEqual([]);
  });
});
