import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { loadAll } from "../../../src/core/yaml/js-yaml.js";
import { KUBERNETES_YAML_SCHEMA } from "../../../src/core/yaml/kubernetes-yaml-schema.js";
import { parseYamlDocuments } from "../../../src/core/yaml/parse-yaml-documents.js";
import { NON_STRING_FIRST_CHARS, NON_STRING_TAGS } from "../../../src/core/yaml/resolve-plain-scalar.js";

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

  it("resolves every first character the schema's implicit tags can match", () => {
    const implicit = KUBERNETES_YAML_SCHEMA.tags.filter((tag) => tag.nodeKind === "scalar" && tag.implicit);
    expect(implicit.map((tag) => tag.tagName)).toEqual([...NON_STRING_TAGS.map((tag) => tag.tagName), "tag:yaml.org,2002:merge"]);
    for (const tag of NON_STRING_TAGS) {
      expect(tag.implicitFirstChars).not.toBeNull();
      for (const char of tag.implicitFirstChars ?? []) if (char !== "") expect(NON_STRING_FIRST_CHARS).toContain(char);
    }
  });
});
