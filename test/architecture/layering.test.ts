import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "..", "..", "src");
/**
 * The one node:* import core may have: `lazyRequire` loads a pure library through `createRequire`,
 * as `import` would, no I/O following: js-yaml's faster CommonJS build (issue 16), and the engines
 * a check needs only for some inputs (PromQL, RE2, JMESPath), on their first use.
 */
const CORE_ALLOWED = new Map([[join("core", "lazy-require.ts"), "node:module"]]);
/** Libraries required on first use: imported elsewhere for their types only, so never two copies. */
const LAZY_LIBRARIES = ["re2js", "@prometheus-io/lezer-promql", "@jmespath-community/jmespath", "@lezer/common", "@lezer/lr"];

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => join(e.parentPath, e.name));
}

function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/gm)].map(
    (m) => m[1] ?? m[2] ?? "",
  );
}

describe("layering: the dependency arrow points inward", () => {
  it("src/core is pure: no node:*, probot, @octokit, clock or environment", () => {
    const offences: string[] = [];
    for (const file of sources(join(SRC, "core"))) {
      const name = relative(SRC, file);
      for (const spec of imports(file)) {
        if (CORE_ALLOWED.get(name) === spec) continue;
        if (/^(node:|probot|@octokit\/)/.test(spec) || ["fs", "path", "child_process", "os", "crypto"].includes(spec))
          offences.push(`${name} imports ${spec}`);
        if (spec.includes("/adapters/") || spec.includes("/workflows/") || spec.includes("/handlers/"))
          offences.push(`${name} imports ${spec}`);
      }
      const text = readFileSync(file, "utf8");
      if (/\bDate\.now\(|new Date\(\)|process\.env|Math\.random\(/.test(text))
        offences.push(`${name} reads the clock, randomness or the environment`);
    }
    expect(offences).toEqual([]);
  });

  it("src takes js-yaml only from its loader, so one build's classes never meet the other's", () => {
    const loader = join("core", "yaml", "js-yaml.ts");
    const offences = sources(SRC)
      .filter((file) => ![loader, join("bench", "policy-bench.ts")].includes(relative(SRC, file)))
      .flatMap((file) =>
        imports(file)
          .filter((spec) => spec === "js-yaml")
          .map((spec) => `${relative(SRC, file)} imports ${spec}`),
      );
    expect(offences).toEqual([]);
  });

  it("takes the libraries core requires on first use from lazyRequire only, never by import", () => {
    const offences = sources(SRC).flatMap((file) =>
      [
        ...readFileSync(file, "utf8").matchAll(
          /^\s*(?:import|export)\b(?!\s+type\b)[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/gm,
        ),
      ]
        .map((m) => m[1] ?? m[2] ?? "")
        .filter((spec) => LAZY_LIBRARIES.includes(spec))
        .map((spec) => `${relative(SRC, file)} imports ${spec}`),
    );
    expect(offences).toEqual([]);
  });

  it("workflows never import adapters or handlers: they receive ports", () => {
    expect(exportedContracts(join(SRC, "ports", "auto-merge-ports.ts"))).toEqual(["AutoMergePorts"]);
    const offences = sources(join(SRC, "workflows")).flatMap((file) =>
      imports(file)
        .filter((spec) => spec.includes("/adapters/") || spec.includes("/handlers/") || /^(probot|@octokit\/)/.test(spec))
        .map((spec) => `${relative(SRC, file)} imports ${spec}`),
    );
    expect(offences).toEqual([]);
  });

  it("only the GitHub gateway calls Octokit", () => {
    const offences = sources(SRC)
      .filter((file) => !relative(SRC, file).startsWith(join("adapters", "github")))
      .filter(
        (file) =>
          /\.(rest|request|paginate|graphql)\b\s*[.(]/.test(readFileSync(file, "utf8").replace(/\/\/.*$/gm, "")) &&
          /octokit/i.test(readFileSync(file, "utf8")),
      )
      .map((file) => relative(SRC, file));
    expect(offences).toEqual([]);
  });

  it("a concern kept in src/ports/ is re-exported by src/ports.ts, and imported from there", () => {
    const index = readFileSync(join(SRC, "ports.ts"), "utf8");
    const kept = sources(join(SRC, "ports")).map((file) => relative(SRC, file).replace(/\.ts$/, ".js"));
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.filter((module) => !index.includes(`from "./${module}"`))).toEqual([]);
    const offences = sources(SRC)
      .filter((file) => relative(SRC, file) !== "ports.ts" && !relative(SRC, file).startsWith("ports"))
      .flatMap((file) =>
        imports(file)
          .filter((spec) => /\/ports\//.test(spec))
          .map((spec) => `${relative(SRC, file)} imports ${spec}`),
      );
    expect(offences).toEqual([]);
  });
});

/**
 * Exported interfaces and object types of a file that have a method: contracts something outside
 * implements. Read from the text (TypeScript 7 has no JavaScript compiler API): the body is the
 * braces after the name, and a member is a method when its own line starts `name(` or `name?(` or
 * its type is a function (`name: (…) =>`).
 */
function exportedContracts(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const found: string[] = [];
  for (const match of text.matchAll(/^export (?:interface (\w+)[^{=]*|type (\w+)[^=]*=\s*)\{/gm)) {
    let depth = 0;
    let end = match.index + match[0].length - 1;
    for (; end < text.length; end++) {
      if (text[end] === "{") depth++;
      else if (text[end] === "}" && --depth === 0) break;
    }
    const body = text.slice(match.index + match[0].length, end);
    // Members at the first level only: nested object types are values, not the contract's methods.
    const topLevel = body.split("\n").filter((line) => /^ {2}\S/.test(line));
    if (topLevel.some((line) => /^ {2}(?:readonly )?\w+\??(?:<[^>]*>)?\(|^ {2}(?:readonly )?\w+\??: \(.*\) =>/.test(line)))
      found.push(match[1] ?? match[2] ?? "");
  }
  return found;
}

describe("one contract: every port is imported from src/ports.ts", () => {
  it("adapters implement ports: they import no workflow, handler or CLI module", () => {
    const offences = sources(join(SRC, "adapters")).flatMap((file) =>
      imports(file)
        .filter((spec) => /\/(workflows|handlers|cli)\//.test(spec))
        .map((spec) => `${relative(SRC, file)} imports ${spec}`),
    );
    expect(offences).toEqual([]);
  });

  it("workflows declare no contract of their own: an interface with methods is a port, and belongs in src/ports.ts", () => {
    // The detector finds the ports where they belong (it would pass vacuously if it found nothing).
    expect(exportedContracts(join(SRC, "ports.ts"))).toEqual(
      expect.arrayContaining(["RepoReader", "FileSource", "PullRequestCheckPorts", "RolloutPorts", "TestFileReader"]),
    );
    const offences = sources(join(SRC, "workflows")).flatMap((file) =>
      exportedContracts(file)
        // A workflow's own parameter object (`RequestParams`) may hold callbacks: they are its inputs, not a contract.
        .filter((name) => !name.endsWith("Params"))
        .map((name) => `${relative(SRC, file)} exports ${name}`),
    );
    expect(offences).toEqual([]);
  });
});
