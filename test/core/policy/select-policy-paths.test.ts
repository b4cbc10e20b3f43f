import { describe, expect, it } from "vitest";
import { selectPolicyPaths } from "../../../src/core/policy/select-policy-paths.js";

describe("selectPolicyPaths", () => {
  const paths = [
    "policies/b.yaml",
    "policies/a.yaml",
    "policies/.kyverno-test/resource.yaml",
    "policies/team/.editor/x.yaml",
    "policies-old/c.yaml",
    "apps/web.yaml",
    ".cache/npx/policies/d.yaml",
  ];

  it("keeps the folder's files, sorted, and leaves out hidden folders below it", () => {
    expect(selectPolicyPaths({ paths, folder: "policies" })).toEqual(["policies/a.yaml", "policies/b.yaml"]);
  });

  it("looks only below the folder: a hidden folder above it does not hide its policies", () => {
    expect(selectPolicyPaths({ paths, folder: ".cache/npx/policies" })).toEqual([".cache/npx/policies/d.yaml"]);
  });

  it('takes the whole tree for the folder ""', () => {
    expect(selectPolicyPaths({ paths, folder: "" })).toEqual([
      "apps/web.yaml",
      "policies-old/c.yaml",
      "policies/a.yaml",
      "policies/b.yaml",
    ]);
  });
});
