import { beforeAll, describe, expect, it } from "vitest";
import { BUILTIN_POLICIES_DIR, readBuiltinCatalog, readTextTree } from "../../src/adapters/local/read-builtin-catalog.js";
import { loadManifests } from "../../src/core/manifests/load-manifests.js";
import { evaluatePolicies } from "../../src/core/policy/evaluate.js";
import { loadPolicies, type LoadedPolicies } from "../../src/core/policy/load-policies.js";
import { CASES, createCaseRenderer } from "./render-case.js";

// The built-in templates must pass the built-in policies as they are: a request that renders
// cleanly and then fails the bot's own check would be a dead end for the requester.

let render: ReturnType<typeof createCaseRenderer>;
let policies: LoadedPolicies;
beforeAll(async () => {
  render = createCaseRenderer((await readBuiltinCatalog()).catalog);
  const tree = await readTextTree(BUILTIN_POLICIES_DIR);
  policies = loadPolicies({ files: [...tree].map(([path, text]) => ({ path: `policies/${path}`, text })) });
  expect(policies.problems).toEqual([]);
  expect(policies.policies.length).toBeGreaterThan(0);
});

describe.each(CASES)("$template $size in $environment", ({ template, size, environment }) => {
  it("passes every default Kyverno policy and platform rule", () => {
    const { result } = render(template, size, environment);
    expect(result.problems).toEqual([]);
    const files = result.files.map((f) => ({ path: f.path, text: f.content }));
    const loaded = loadManifests({ files });
    expect(loaded.problems).toEqual([]);
    const evaluated = evaluatePolicies({
      policies: policies.policies,
      manifests: loaded.manifests,
      ...(policies.platform ? { platform: policies.platform } : {}),
      facts: { files: files.map((f) => f.path) },
      results: true,
    });
    expect(evaluated.problems).toEqual([]);
    expect(evaluated.findings.map((f) => `${f.file}: ${f.message}`)).toEqual([]);
    expect(evaluated.results.filter((r) => r.status === "fail" || r.status === "error")).toEqual([]);
    // Guard against a vacuous pass: the policies did look at the objects.
    expect(evaluated.results.some((r) => r.status === "pass")).toBe(true);
  });
});
