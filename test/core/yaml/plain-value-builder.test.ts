import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { loadAll, NOT_RESOLVED } from "../../../src/core/yaml/js-yaml.js";
import { KUBERNETES_YAML_SCHEMA } from "../../../src/core/yaml/kubernetes-yaml-schema.js";
import { parseYamlDocuments } from "../../../src/core/yaml/parse-yaml-documents.js";
import { NON_STRING_FIRST_CHARS, NON_STRING_TAGS, resolvePlainScalar } from "../../../src/core/yaml/resolve-plain-scalar.js";

// The builder replaces js-yaml's constructor for plain documents: every value must be the very
// value `loadAll` gives, down to key order, -0, NaN and prototypes.
function sameValue(actual: unknown, expected: unknown, at = "$"): string | undefined {
  if (typeof expected !== "object" || expected === null)
    return Object.is(actual, expected) ? undefined : `${at}: ${String(actual)} != ${String(expected)}`;
  if (typeof actual !== "object" || actual === null) return `${at}: not an object`;
  if (Object.getPrototypeOf(actual) !== Object.getPrototypeOf(expected)) return `${at}: another prototype`;
  const keys = Reflect.ownKeys(expected);
  const actualKeys = Reflect.ownKeys(actual);
  if (JSON.stringify(actualKeys.map(String)) !== JSON.stringify(keys.map(String))) return `${at}: keys ${actualKeys.map(String).join(",")}`;
  for (const key of keys) {
    const found = sameValue(
      (actual as Record<PropertyKey, unknown>)[key],
      (expected as Record<PropertyKey, unknown>)[key],
      `${at}.${String(key)}`,
    );
    if (found) return found;
  }
  return undefined;
}

function expectSameAsLoadAll(text: string): void {
  let expected: unknown[];
  try {
    expected = loadAll(text, { schema: KUBERNETES_YAML_SCHEMA });
  } catch {
    // js-yaml refuses the text: the parse must refuse something too.
    expect(parseYamlDocuments({ file: "x.yaml", text }).problems.length).toBeGreaterThan(0);
    return;
  }
  const parsed = parseYamlDocuments({ file: "x.yaml", text, limits: { maxAliases: 10_000 } });
  expect(parsed.problems).toEqual([]);
  expect(
    sameValue(
      parsed.documents.map((d) => d.value),
      expected,
    ) ?? "same",
  ).toBe("same");
}

const SCALARS = [
  ...["", "~", "null", "Null", "NULL", "nULL", "true", "True", "TRUE", "tRUE", "false", "False", "FALSE", "yes", "no", "on", "off", "y"],
  ...["0", "-0", "+0", "00", "0644", "0o17", "0o8", "0x1F", "0xg", "0b101", "-12", "+12", "1_000", "12e3", "1e400", "-1e400", "1.", ".5"],
  ...["-.5", "1.5e-3", "+1.5E+3", ".inf", "-.Inf", "+.INF", ".nan", ".NaN", ".NAN", "9007199254740993", "1:30", "2001-12-14", "1.0.0"],
  ...[
    "<<",
    "<",
    "__proto__",
    "constructor",
    "toString",
    "hasOwnProperty",
    "valueOf",
    "-",
    "--",
    "+",
    ".",
    "~x",
    "n",
    "t",
    "f",
    "nginx:latest",
  ],
  ...["ünïcode", "日本", "a b", "a # not a comment", "100m", "128Mi", "1Gi", "http://x", "*", "&"],
  // Digit-first scalars, which resolvePlainScalar answers without the tags when it can.
  ...["8080", "000", "007", "123456789012345", "1234567890123456", "99999999999999999999", "0x1f", "0xG", "1e", "1E", "1d", "1F"],
  ...["12.", "1_0", "1 2", "1:2", "1-2", "1/2", "1,5", "1Ki", "500m", "64Mi", "9z", "1.0.0-rc1", "3s", "0o7", "0o", "1\u00e9"],
];

describe("plain documents are built as js-yaml's constructor builds them", () => {
  it.each(SCALARS.filter((s) => !/^[*&]$/.test(s)))("the plain scalar %j, as a value, a key and a sequence item", (scalar) => {
    expectSameAsLoadAll(`value: ${scalar}\n${scalar === "" ? "''" : scalar}: key\nlist: [${scalar}]\nblock:\n  - ${scalar}\n`);
  });

  it.each(SCALARS)("the quoted scalar %j", (scalar) => {
    const single = `'${scalar.replaceAll("'", "''")}'`;
    const double = JSON.stringify(scalar);
    expectSameAsLoadAll(`a: ${single}\nb: ${double}\n${single}: 1\n${double}x: 2\nc: [${single}, ${double}]\n`);
  });

  it.each([
    ["multi-line plain and quoted scalars", "a: one\n  two\n\n  three\nb: 'x\n  y'\nc: \"p\\\n  q\\tr\\u00e9\"\n"],
    ["block scalars with every chomping", "a: |\n  x\n\n  y\n\nb: >-\n  f\n  g\n\n  h\nc: |+\n  k\n\nd: >2\n   indented\n  back\n"],
    ["flow collections in block ones", "a: {b: [1, {c: d}], e: {}}\nf: []\ng: [[], [[]]]\n"],
    ["empty values", "a:\nb: \nc: []\nd: {}\ne: [a, ]\nf: {g: }\n"],
    ["empty documents", "---\n---\n# c\n---\na: 1\n...\n---\n"],
    ["a bare scalar and a sequence document", "just text\n---\n- 1\n- two\n---\n'quoted'\n"],
    ["integer-like keys ordered as JavaScript orders them", "b: 1\n2: x\na: 2\n1: y\n"],
    ["a key that is the empty string", "'': empty\nx: 1\n"],
    ["keys that collide only after String()", "1: a\n'2': b\n0x3: c\n"],
    ["anchors, aliases and merge keys", "base: &b {x: 1}\nuse: *b\nm:\n  <<: *b\n  y: 2\nn: &s scalar\no: *s\n"],
    ["a merge of a sequence of mappings", "a: &a {x: 1}\nb: &b {y: 2}\nc:\n  <<: [*a, *b]\n  z: 3\n"],
    ["a quoted << key, which is no merge", "'<<': 1\nx: {\"<<\": 2}\n"],
    ["explicit tags", "a: !!str 12\nb: !!int '7'\nc: !!float 1\nd: !!null ''\ne: !!bool true\nf: !!map {x: 1}\ng: !!seq [1]\nh: ! 12\n"],
    ["tag directives", "%TAG !e! tag:yaml.org,2002:\n---\na: !e!str 5\n"],
    ["a __proto__ key", "__proto__: {polluted: yes}\na: 1\n"],
    ["a complex key", "? [a, b]\n: c\n"],
    ["a mapping as a key", "? {a: 1}\n: c\n"],
    ["JSON", '{"apiVersion": "v1", "kind": "ConfigMap", "data": {"a": "1", "n": 1.5e2, "t": true, "z": null}, "l": [1, "x"]}\n'],
    ["a byte order mark", "\uFEFFa: 1\n"],
    ["CRLF line ends", "a: 1\r\nb:\r\n  - x\r\n  - 'y\r\n    z'\r\nc: |\r\n  l1\r\n  l2\r\n"],
  ])("%s", (_name, text) => {
    expectSameAsLoadAll(text);
  });

  // Sequences are made when they close, from items kept aside (at their exact size): the parent's
  // key order, nesting, and a document given up midway must not show it.
  it.each([
    ["sequences between keys keep the key order", "a: [1, 2]\nb:\n  - x\n  - [y, [z]]\nc: 3\nd: []\ne: [[], [[], [1]], {f: [2]}]\n"],
    ["a sequence as the root, nested deep", "- - - - 1\n      - 2\n    - 3\n  - []\n- {a: [b, {c: [d]}]}\n- last\n"],
    [
      "sequences of mappings of sequences",
      "items:\n  - name: a\n    ports: [1, 2]\n  - name: b\n    ports:\n      - 3\n    env: []\nafter: x\n",
    ],
    ["a tag or an anchor inside an open sequence", "a: [1, [2, !!str 3]]\n---\nb: [1, [2, &x 3], *x]\n---\nc: [1, [2]]\n"],
    ["a document given up inside sequences, then plain ones", "a: [[1, [2, {k: !!int '4'}]]]\n---\n- [x, [y]]\n---\nz: [1]\n"],
    ["a merge key inside a sequence item", "a: &a {x: 1}\nl:\n  - <<: *a\n    y: [1, [2]]\n  - [3]\n"],
    ["a mapping left without a value inside a sequence", "l: [a: , {b: }, [c]]\n"],
    ["hundreds of items", `l: [${Array.from({ length: 300 }, (_, i) => `[${i}, x${i}]`).join(", ")}]\nm: 1\n`],
  ])("%s", (_name, text) => {
    expectSameAsLoadAll(text);
  });

  it("a limit broken inside open sequences leaves the next document whole", () => {
    const deep = `${"[".repeat(70)}1${"]".repeat(70)}`;
    const text = `a: [1, [2, *x]]\n---\nb: [1, [2, [3]]]\n`;
    expect(parseYamlDocuments({ file: "x.yaml", text }).documents.map((d) => d.value)).toEqual([{ b: [1, [2, [3]]] }]);
    expect(parseYamlDocuments({ file: "x.yaml", text: `a: [1, [2, [3]]]\n---\nb: ${deep}\n` }).problems.map((p) => p.code)).toEqual([
      "yaml.too-deep",
    ]);
  });

  it("a duplicate key is still refused, in a built document and in one left to js-yaml", () => {
    for (const text of ["a: 1\nb: 2\na: 3\n", "x: &x 1\ny: *x\ny: 2\n", "m: {k: 1, 'k': 2}\n", "1: a\n0x1: b\n"]) {
      expect(parseYamlDocuments({ file: "x.yaml", text }).problems.map((p) => p.code)).toEqual(["yaml.duplicate-key"]);
    }
  });

  it("gives every YAML file of the project the values loadAll gives", () => {
    const root = join(import.meta.dirname, "../../..");
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = join(dir, entry.name);
        if (entry.isDirectory() && entry.name !== "node_modules" && entry.name !== ".git" && entry.name !== "dist") walk(full);
        else if (/\.ya?ml$/.test(entry.name)) files.push(full);
      }
    };
    for (const folder of ["templates", "policies", "examples", "deploy", "test/fixtures"]) walk(join(root, folder));
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      if (text.includes("{{")) continue;
      try {
        expectSameAsLoadAll(text);
      } catch (error) {
        throw new Error(`${relative(root, file)}: ${String(error)}`, { cause: error });
      }
    }
  });

  it("resolves digit-first scalars as the schema's tags do, shortcut or not", () => {
    const bySchema = (text: string): unknown => {
      for (const tag of NON_STRING_TAGS) {
        const value = tag.resolve(text, false, tag.tagName);
        if (value !== NOT_RESOLVED) return value;
      }
      return text;
    };
    const alphabet = ["0", "7", "9", "a", "f", "F", "x", "o", "e", "E", ".", "+", "-", "_", "m", "i", "z", ":", " ", "\u00e9"];
    const texts = ["1"];
    for (let size = 1; size <= 3; size++)
      for (const text of texts.filter((t) => t.length === size)) for (const char of alphabet) texts.push(text + char);
    texts.push("1".repeat(15), "9".repeat(15), "1".repeat(16), "0".repeat(20), "0x" + "f".repeat(20), "1e308", "1e309", "4".repeat(400));
    for (const text of texts.flatMap((t) => [t, `0${t.slice(1)}`, `5${t.slice(1)}`]))
      expect(Object.is(resolvePlainScalar(text), bySchema(text)), text).toBe(true);
  });

  it("resolves every first character the schema's implicit tags can match", () => {
    const implicit = KUBERNETES_YAML_SCHEMA.tags.filter((tag) => tag.nodeKind === "scalar" && tag.implicit);
    expect(implicit.map((tag) => tag.tagName)).toEqual([...NON_STRING_TAGS.map((tag) => tag.tagName), "tag:yaml.org,2002:merge"]);
    for (const tag of NON_STRING_TAGS) {
      expect(tag.implicitFirstChars).not.toBeNull();
      for (const char of tag.implicitFirstChars ?? []) if (char !== "") expect(NON_STRING_FIRST_CHARS).toContain(char);
    }
  });
});
