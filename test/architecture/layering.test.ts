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
  return [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/gm)].map((m) => m[1] ?? m[2] ?? "");
}

describe("layering: the dependency arrow points inward", () => {
  it("src/core is pure: no node:*, probot, @octokit, clock or environment", () => {
    const offences: string[] = [];
    for (const file of sources(join(SRC, "core"))) {
      const name = relative(SRC, file);
      for (const spec of imports(file)) {
        if (CORE_ALLOWED.get(name) === spec) continue;
        if (/^(node:|probot|@octokit\/)/.test(spec) || ["fs", "path", "child_process", "os", "crypto"].includes(spec)) offences.push(`${name} imports ${spec}`);
        if (spec.includes("/adapters/") || spec.includes("/workflows/") || spec.includes("/handlers/")) offences.push(`${name} imports ${spec}`);
      }
      const text = readFileSync(file, "utf8");
      if (/\bDate\.now\(|new Date\(\)|process\.env|Math\.random\(/.test(text)) offences.push(`${name} reads the clock, randomness or the environment`);
    }
    expect(offences).toEqual([]);
  });

  it("src takes js-yaml only from its loader, so one build's classes never meet the other's", () => {
    const loader = join("core", "yaml", "js-yaml.ts");
    const offences = sources(SRC)
      .filter((file) => ![loader, join("bench", "policy-bench.ts")].includes(relative(SRC, file)))
      .flatMap((file) => imports(file).filter((spec) => spec === "js-yaml").map((spec) => `${relative(SRC, file)} imports ${spec}`));
    expect(offences).toEqual([]);
  });

  it("takes the libraries core requires on first use from lazyRequire only, never by import", () => {
    const offences = sources(SRC).flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(/^\s*(?:import|export)\b(?!\s+type\b)[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/gm)]
          .map((m) => m[1] ?? m[2] ?? "")
          .filter((spec) => LAZY_LIBRARIES.includes(spec))
          .map((spec) => `${relative(SRC, file)} imports ${spec}`),
      );
    expect(offences).toEqual([]);
  });

  it("workflows never import adapters or handlers: they receive ports", () => {
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
      .filter((file) => /\.(rest|request|paginate|graphql)\b\s*[.(]/.test(readFileSync(file, "utf8").replace(/\/\/.*$/gm, "")) && /octokit/i.test(readFileSync(file, "utf8")))
      .map((file) => relative(SRC, file));
    expect(offences).toEqual([]);
  });
});
