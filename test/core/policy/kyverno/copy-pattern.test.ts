import { describe, expect, it } from "vitest";
import { copyPattern } from "../../../../src/core/policy/kyverno/copy-pattern.js";
import { matchPattern } from "../../../../src/core/policy/kyverno/match-pattern.js";

// copyPattern replaced structuredClone for patterns whose metadata the walk expands in place
// (issue 16): the copy must be the same data, copy every map a walk may write (the metadata maps
// it expands, and what leads to them), keep YAML aliases as one object, and leave the compiled
// pattern as written after a walk expands the copy.
describe("copyPattern", () => {
  it("copies the maps a walk may expand and the way to them, and shares the rest", () => {
    const labels = { "app.kubernetes.io/*": "?*" };
    const spec = { list: [1, "a", null, { b: true }] };
    const pattern = { spec: { template: { metadata: { labels }, spec } } };
    const copy = copyPattern(pattern) as typeof pattern;
    expect(copy).toEqual(structuredClone(pattern));
    expect(copy).not.toBe(pattern);
    expect(copy.spec.template).not.toBe(pattern.spec.template);
    expect(copy.spec.template.metadata).not.toBe(pattern.spec.template.metadata);
    // The expansion replaces the labels map in its (copied) metadata map; it never writes into it.
    expect(copy.spec.template.metadata.labels).toBe(labels);
    expect(copy.spec.template.spec).toBe(spec);
  });

  it("copies a pattern that holds one map in two places whole, keeping the alias", () => {
    const shared = { "=(app.kubernetes.io/*)": "?*" };
    const pattern = { metadata: { labels: shared, annotations: shared }, spec: { list: [1, "a", null, { b: true }] } };
    const copy = copyPattern(pattern) as typeof pattern;
    expect(copy).toEqual(structuredClone(pattern));
    expect(copy.metadata.labels).not.toBe(shared);
    expect(copy.metadata.labels).toBe(copy.metadata.annotations);
    expect(copy.spec.list).not.toBe(pattern.spec.list);
  });

  it("keeps a __proto__ key as an own key", () => {
    const pattern = JSON.parse('{"metadata": {"__proto__": {"x": "y"}, "labels": {"a/*": "b"}}}') as Record<string, unknown>;
    const copy = copyPattern(pattern) as { metadata: object };
    expect(copy.metadata).not.toBe(pattern["metadata"]);
    expect(Object.keys(copy.metadata)).toEqual(["__proto__", "labels"]);
    expect(copy).toEqual(structuredClone(pattern));
  });

  it("lets a walk expand the copy's wildcard metadata while the original stays as written", () => {
    const pattern = { metadata: { annotations: { "app.example.com/*": "on" } } };
    const copy = copyPattern(pattern);
    const resource = { metadata: { annotations: { "app.example.com/feature": "off" } } };
    expect(matchPattern(resource, copy)).toMatchObject({ status: "fail", path: "/metadata/annotations/app.example.com/feature/" });
    expect(copy).toEqual({ metadata: { annotations: { "app.example.com/feature": "on" } } });
    expect(pattern).toEqual({ metadata: { annotations: { "app.example.com/*": "on" } } });
    expect(matchPattern({ metadata: { annotations: { "app.example.com/x": "on" } } }, copyPattern(pattern))).toEqual({ status: "pass" });
  });
});
