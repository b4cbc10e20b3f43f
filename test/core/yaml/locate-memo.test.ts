import { describe, expect, it } from "vitest";
import { parseYamlDocuments } from "../../../src/core/yaml/parse-yaml-documents.js";
import { KUBERNETES_YAML_SCHEMA } from "../../../src/core/yaml/kubernetes-yaml-schema.js";
import { loadAll } from "../../../src/core/yaml/js-yaml.js";
import { LETTER_WORDS, plainMayResolve, resolvePlainScalar } from "../../../src/core/yaml/resolve-plain-scalar.js";
import type { FieldPath, SourcePosition } from "../../../src/core/yaml/types.js";
import { seededRandom } from "../../helpers/seeded-random.js";

// A file's position lookups resume from the previous lookup's walk (LocateMemo). Whatever order
// the lookups come in, each must give what it gives alone, in a freshly parsed file.
const FILE = [
  "apiVersion: apps/v1",
  "kind: Deployment",
  "metadata:",
  "  name: web",
  "  annotations:",
  '    "kubernetes.io/ingress.class": nginx',
  "    'a/b/c': x",
  "    example.com/team: platform",
  "spec:",
  "  defaults: &d {cpu: 1, memory: 2Gi}",
  "  limits:",
  "    <<: *d",
  "    gpu: 1",
  "  aliased: *d",
  "  name: n",
  "  type: t",
  "  True: yes",
  "  nulls: 1",
  "  0x10: hex",
  "  ~: tilde",
  "  '1': quoted one",
  "  template:",
  "    spec:",
  "      containers:",
  "      - name: app",
  "        image: nginx",
  "        env: [{name: A, value: '1'}, {name: B}]",
  "      - name: side",
  "        securityContext: {runAsNonRoot: true}",
  "      -",
  "      - *d",
  "---",
  "kind: List",
  "items:",
  ...Array.from({ length: 60 }, (_, item) => `- {kind: ConfigMap, metadata: {name: c${item}}}`),
  "---",
  "just a scalar",
  "",
].join("\n");

function pathsOf(value: unknown, prefix: FieldPath = [], out: FieldPath[] = []): FieldPath[] {
  out.push(prefix);
  // Missing children at every level, and indexes given as text.
  out.push([...prefix, "missing"], [...prefix, 7], [...prefix, "0"], [...prefix, "missing", "deeper"]);
  if (Array.isArray(value)) value.forEach((item, index) => pathsOf(item, [...prefix, index], out));
  else if (typeof value === "object" && value !== null)
    for (const [key, child] of Object.entries(value)) pathsOf(child, [...prefix, key], out);
  return out;
}

/** A seeded shuffle, so a failure can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  const random = seededRandom(seed);
  for (let at = out.length - 1; at > 0; at--) {
    const other = random.below(at + 1);
    [out[at], out[other]] = [out[other] as T, out[at] as T];
  }
  return out;
}

describe("position lookups that resume from the previous one", () => {
  const alone = (document: number, path: FieldPath): SourcePosition => {
    const parsed = parseYamlDocuments({ file: "a.yaml", text: FILE });
    return (parsed.documents[document] as { positionOf: (path: FieldPath) => SourcePosition }).positionOf(path);
  };
  const parsed = parseYamlDocuments({ file: "a.yaml", text: FILE });
  const lookups = parsed.documents.flatMap((document) => pathsOf(document.value).map((path) => [document.index, path] as const));
  const expected = new Map(lookups.map(([document, path]) => [`${document}:${JSON.stringify(path)}`, alone(document, path)]));

  it("parses the sample as js-yaml does, so the paths are the value's", () => {
    expect(parsed.problems).toEqual([]);
    expect(parsed.documents.map((document) => document.value)).toEqual(loadAll(FILE, { schema: KUBERNETES_YAML_SCHEMA }));
    expect(lookups.length).toBeGreaterThan(500);
  });

  it.each([1, 2, 3, 4])("gives every lookup's own answer in a shuffled order (seed %i), documents interleaved", (seed) => {
    const file = parseYamlDocuments({ file: "a.yaml", text: FILE });
    for (const [document, path] of shuffled(lookups, seed)) {
      const found = file.documents[document]?.positionOf(path);
      expect(found, `${document}:${JSON.stringify(path)}`).toEqual(expected.get(`${document}:${JSON.stringify(path)}`));
    }
  });

  it("gives every lookup's own answer document by document, longest paths first and then their prefixes", () => {
    const file = parseYamlDocuments({ file: "a.yaml", text: FILE });
    const ordered = [...lookups].sort((a, b) => a[0] - b[0] || b[1].length - a[1].length);
    for (const [document, path] of ordered) {
      expect(file.documents[document]?.positionOf(path), JSON.stringify(path)).toEqual(expected.get(`${document}:${JSON.stringify(path)}`));
    }
  });

  it("spot checks: merged, aliased, odd keys and the empty item", () => {
    const [deployment] = parseYamlDocuments({ file: "a.yaml", text: FILE }).documents;
    const at = (path: FieldPath) => deployment?.positionOf(path);
    expect(at(["spec", "limits", "cpu"])).toEqual({ line: 12, column: 5 }); // the `<<`
    expect(at(["spec", "limits", "gpu"])).toEqual({ line: 13, column: 5 });
    expect(at(["spec", "limits", "disk"])).toEqual({ line: 11, column: 3 }); // missing: its parent
    expect(at(["spec", "aliased", "cpu"])).toEqual({ line: 14, column: 12 }); // the alias
    expect(at(["spec", "name"])).toEqual({ line: 15, column: 3 });
    expect(at(["spec", "type"])).toEqual({ line: 16, column: 3 });
    expect(at(["spec", "true"])).toEqual({ line: 17, column: 3 }); // `True` is the key "true"
    expect(at(["spec", "True"])).toEqual({ line: 9, column: 1 });
    expect(at(["spec", "nulls"])).toEqual({ line: 18, column: 3 });
    expect(at(["spec", "16"])).toEqual({ line: 19, column: 3 });
    expect(at(["spec", "null"])).toEqual({ line: 20, column: 3 });
    expect(at(["spec", "1"])).toEqual({ line: 21, column: 3 });
    expect(at(["metadata", "annotations", "a/b/c"])).toEqual({ line: 7, column: 5 });
    expect(at(["metadata", "annotations", "example.com/team"])).toEqual({ line: 8, column: 5 });
    expect(at(["spec", "template", "spec", "containers", 2, "name"])).toEqual({ line: 24, column: 7 }); // the empty item: its sequence's key
    expect(at(["spec", "template", "spec", "containers", 3, "cpu"])).toEqual({ line: 31, column: 9 });
    expect(at(["spec", "template", "spec", "containers", 0, "env", 1, "name"])).toEqual({ line: 27, column: 39 });
  });

  it("finds the last item of a 4,000-item list, and every item after a lookup deep in another", () => {
    const text = `items:\n${Array.from({ length: 4000 }, (_, item) => `- {name: i${item}, spec: {x: 1}}`).join("\n")}\n`;
    const [document] = parseYamlDocuments({ file: "list.yaml", text }).documents;
    expect(document?.positionOf(["items", 3999, "spec", "x"])).toEqual({ line: 4001, column: 24 });
    expect(document?.positionOf(["items", 3998, "spec", "x"])).toEqual({ line: 4000, column: 24 });
    expect(document?.positionOf(["items", 3999])).toEqual({ line: 4001, column: 3 });
    expect(document?.positionOf(["items", 4000, "spec"])).toEqual({ line: 1, column: 1 });
  });
});

describe("position lookups in a mapping of many keys (read once into a table)", () => {
  // Every kind of key, far past the keys scanned one by one, then a merge key and a flow mapping.
  const keys = [
    ...Array.from({ length: 300 }, (_, at) => [`key-${at}`, `key-${at}`]),
    ["'quoted'", "quoted"],
    ['"esc\\tkey"', "esc\tkey"],
    ["0x1F", "31"],
    ["~", "null"],
    ["True", "true"],
    ["name", "name"],
    ["'<<'", "<<"],
    ["? complex", "complex"],
  ];
  const text = [
    "base: &b {merged: 1, key-0: shadowed}",
    "big:",
    ...keys.map(([written]) => (written?.startsWith("?") ? `  ${written}\n  : value` : `  ${written}: value`)),
    "  <<: *b",
    "  tail: {x: 1}",
    "",
  ].join("\n");
  const lineOf = (written: string) => text.split("\n").findIndex((line) => line.startsWith(`  ${written}`)) + 1;

  it("finds every key by its text, the first of a text, merged keys at the `<<`, missing ones at the mapping", () => {
    const parsed = parseYamlDocuments({ file: "big.yaml", text });
    expect(parsed.problems).toEqual([]);
    const [document] = parsed.documents;
    const at = (path: FieldPath) => document?.positionOf(path);
    for (const [written, key] of keys) {
      // An explicit key (`? complex`) starts after its indicator.
      const column = written?.startsWith("?") ? 5 : 3;
      expect(at(["big", key as string]), key).toEqual({ line: lineOf(written as string), column });
    }
    expect(at(["big", "merged"])).toEqual({ line: lineOf("<<"), column: 3 });
    expect(at(["big", "key-0"])).toEqual({ line: lineOf("key-0"), column: 3 });
    expect(at(["big", "tail", "x"])).toEqual({ line: lineOf("tail"), column: 10 });
    expect(at(["big", "absent"])).toEqual({ line: 2, column: 1 });
    expect(at(["big", "True"])).toEqual({ line: 2, column: 1 });
    expect(at(["big", "0x1F"])).toEqual({ line: 2, column: 1 });
    expect(document?.positionInValue(["big", "key-299"], 2)).toEqual({ line: lineOf("key-299"), column: 14 });
  });

  it("gives the same answers as a fresh parse whatever the order", () => {
    const paths: FieldPath[] = [
      ...keys.filter((_, at) => at % 10 === 0 || at >= 300).map(([, key]) => ["big", key as string]),
      ["big", "merged"],
      ["big", "nope"],
      ["big", "tail", "x"],
      ["base", "merged"],
    ];
    const fresh = paths.map((path) => parseYamlDocuments({ file: "big.yaml", text }).documents[0]?.positionOf(path));
    const [document] = parseYamlDocuments({ file: "big.yaml", text }).documents;
    const order = shuffled(
      paths.map((_, at) => at),
      7,
    );
    for (const at of order) expect(document?.positionOf(paths[at] as FieldPath)).toEqual(fresh[at]);
  });

  it("positions a finding on each of 20,000 keys without scanning the mapping for each", () => {
    const count = 20_000;
    const large = `data:\n${Array.from({ length: count }, (_, at) => `  k${at}: ${at}`).join("\n")}\n`;
    const [document] = parseYamlDocuments({ file: "cm.yaml", text: large }).documents;
    const lines = Array.from({ length: count }, (_, at) => document?.positionOf(["data", `k${at}`]).line);
    expect(lines.every((line, at) => line === at + 2)).toBe(true);
  });
});

describe("plainMayResolve", () => {
  // Words a YAML schema might resolve, in every case, and every short text over their letters.
  const words = ["null", "true", "false", "yes", "no", "on", "off", "y", "n", "nan", "inf", "name", "type", "nulls", "trues"];
  const cases = (word: string): string[] =>
    [...word].reduce<string[]>((out, char) => out.flatMap((prefix) => [prefix + char.toLowerCase(), prefix + char.toUpperCase()]), [""]);
  const letters = "nNtTfFuUlLeEsSyYoO";
  const short: string[] = [""];
  for (let length = 0; length < 3; length++)
    short.push(...short.filter((text) => text.length === length).flatMap((text) => [...letters].map((char) => text + char)));
  const corpus = [...new Set([...words.flatMap(cases), ...short, "~", "0", "-1", ".5", "+1", ".inf", "-.inf", "0x10", "1e3", "<<"])];

  it("says so for every plain scalar that resolves to something other than its text", () => {
    for (const text of corpus) {
      if (plainMayResolve(` ${text} `, 1, 1 + text.length)) continue;
      expect(resolvePlainScalar(text), text).toBe(text);
    }
  });

  it("lists exactly the letter-first words the schema resolves", () => {
    const resolved = corpus.filter((text) => /^[A-Za-z]/.test(text) && resolvePlainScalar(text) !== text);
    expect(resolved.sort()).toEqual([...LETTER_WORDS].sort());
  });

  it("leaves keys such as name, type and template to be compared in place", () => {
    for (const key of ["name", "type", "template", "namespace", "fsGroup", "Trust", "nul", "falsey"])
      expect(plainMayResolve(key, 0, key.length), key).toBe(false);
  });
});
