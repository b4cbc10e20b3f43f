/**
 * The size figures of issue 17: no file in src/ over 400 lines, no function over 80, except where
 * the README's design section names the exception and why. Prints the longest files and functions
 * (`npx vitest run test/architecture/code-size.test.ts`), counted as ESLint's `max-lines` (every
 * line) and `max-lines-per-function` (blank and comment-only lines left out) count them.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseSync } from "oxc-parser";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const SRC = join(ROOT, "src");
const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 80;

interface Measured {
  /** `src/…/file.ts` or `src/…/file.ts name()` */
  name: string;
  lines: number;
}

function sources(): string[] {
  return readdirSync(SRC, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

type Node = { type: string; start: number; end: number } & Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}

const FUNCTIONS = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);

/** The name a function is known by: its own, its variable's, its property's or its method's. */
function nameOf(node: Node, parent: Node | null): string {
  const id = node["id"];
  if (isNode(id) && typeof id["name"] === "string") return id["name"];
  if (parent?.type === "VariableDeclarator" && isNode(parent["id"]) && typeof parent["id"]["name"] === "string")
    return parent["id"]["name"];
  if (
    (parent?.type === "MethodDefinition" || parent?.type === "Property" || parent?.type === "PropertyDefinition") &&
    isNode(parent["key"])
  ) {
    const key = parent["key"];
    return typeof key["name"] === "string" ? key["name"] : typeof key["value"] === "string" ? key["value"] : "(computed)";
  }
  return "(anonymous)";
}

/** Every function of a file with its length: the lines of its span that hold code. */
function measureFunctions(file: string, text: string): Measured[] {
  const { program, errors } = parseSync(file, text);
  if (errors.length > 0) throw new Error(`${file}: ${errors[0]?.message}`);
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineStarts.push(i + 1);
  const lineOf = (offset: number) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  };
  // A line counts when it has something besides blanks and comments (ESLint's skipBlankLines and skipComments).
  const lines = text.split("\n");
  const codeLine = lines.map(() => false);
  let inBlock = false;
  lines.forEach((line, i) => {
    let rest = line.trim();
    if (inBlock) {
      const close = rest.indexOf("*/");
      if (close === -1) return;
      inBlock = false;
      rest = rest.slice(close + 2).trim();
    }
    while (rest.startsWith("/*")) {
      const close = rest.indexOf("*/", 2);
      if (close === -1) {
        inBlock = true;
        return;
      }
      rest = rest.slice(close + 2).trim();
    }
    codeLine[i] = rest !== "" && !rest.startsWith("//");
  });
  const found: Measured[] = [];
  const visit = (node: Node, parent: Node | null) => {
    if (FUNCTIONS.has(node.type)) {
      let count = 0;
      for (let line = lineOf(node.start); line <= lineOf(node.end - 1); line++) if (codeLine[line]) count++;
      found.push({ name: `${relative(ROOT, file)} ${nameOf(node, parent)}()`, lines: count });
    }
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) visit(item, node);
      } else if (isNode(value)) visit(value, node);
    }
  };
  visit(program as unknown as Node, null);
  return found;
}

/**
 * The exceptions the README's design section names, with their reasons, in its paragraph
 * "Sizes of files and functions": files as `src/…`, functions as `name` in `src/…`.
 */
function namedExceptions(): { files: Set<string>; functions: Set<string> } {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const design = readme.slice(readme.indexOf("\n## Design"));
  const start = design.indexOf("**Sizes of files and functions.**");
  // Wrapped lines read as one: a name may be split from its file by a line break.
  const paragraph = start === -1 ? "" : design.slice(start, design.indexOf("\n\n", start)).replace(/\s+/g, " ");
  const functions = new Set(Array.from(paragraph.matchAll(/`(\w+)` in `(src\/[^`]+)`/g), (m) => `${m[2]} ${m[1]}()`));
  const inPairs = new Set(Array.from(functions, (f) => f.split(" ")[0]));
  const files = new Set(Array.from(paragraph.matchAll(/`(src\/[^`]+\.ts)`/g), (m) => m[1] ?? "").filter((f) => !inPairs.has(f)));
  return { files, functions };
}

function top(list: readonly Measured[], count: number): string {
  return [...list]
    .sort((a, b) => b.lines - a.lines || a.name.localeCompare(b.name))
    .slice(0, count)
    .map((m) => `${String(m.lines).padStart(5)}  ${m.name}`)
    .join("\n");
}

describe("code size (issue 17's figures)", () => {
  const files: Measured[] = [];
  const functions: Measured[] = [];
  for (const file of sources()) {
    const text = readFileSync(file, "utf8");
    files.push({ name: relative(ROOT, file), lines: text.split("\n").length - (text.endsWith("\n") ? 1 : 0) });
    functions.push(...measureFunctions(file, text));
  }

  it("prints the longest files and functions of src/", () => {
    const overFiles = files.filter((f) => f.lines > MAX_FILE_LINES).length;
    const overFunctions = functions.filter((f) => f.lines > MAX_FUNCTION_LINES).length;
    console.log(
      [
        `code size: ${files.length} files in src/, ${overFiles} over ${MAX_FILE_LINES} lines; ${functions.length} functions, ${overFunctions} over ${MAX_FUNCTION_LINES} lines of code`,
        "longest files (lines):",
        top(files, 10),
        "longest functions (lines of code):",
        top(functions, 10),
      ].join("\n"),
    );
    // The counting is real: a file of this project has functions, and the longest is longer than a line.
    expect(functions.length).toBeGreaterThan(files.length);
  });

  it("keeps every file within 400 lines and every function within 80, or the README's design section names it", () => {
    const named = namedExceptions();
    const unnamed = [
      ...files.filter((f) => f.lines > MAX_FILE_LINES && !named.files.has(f.name)).map((f) => `${f.name}: ${f.lines} lines`),
      ...functions.filter((f) => f.lines > MAX_FUNCTION_LINES && !named.functions.has(f.name)).map((f) => `${f.name}: ${f.lines} lines`),
    ];
    expect(unnamed).toEqual([]);
  });

  it("names no exception that is within the limits (the README stays true)", () => {
    const named = namedExceptions();
    expect(named.files.size + named.functions.size).toBeGreaterThan(0);
    const over = new Set(
      [...files.filter((f) => f.lines > MAX_FILE_LINES), ...functions.filter((f) => f.lines > MAX_FUNCTION_LINES)].map((m) => m.name),
    );
    expect([...named.files, ...named.functions].filter((name) => !over.has(name))).toEqual([]);
  });
});
