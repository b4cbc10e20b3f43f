import { describe, expect, it } from "vitest";
import { mergeRenderedFile } from "../../../src/core/rollout/merge-rendered-file.js";

const base = "kind: Deployment\nspec:\n  replicas: 1\n  template:\n    image: app:1\n    memory: 128Mi\n    cpu: 100m\n";
// The template's change: a new probe line and more memory.
const next =
  "kind: Deployment\nspec:\n  replicas: 1\n  template:\n    image: app:1\n    memory: 256Mi\n    cpu: 100m\n    probe: /healthz\n";
const merge = (current: string | null, options: { base?: string | null; next?: string | null; baseKnown?: boolean } = {}) =>
  mergeRenderedFile({
    path: "apps/x/deployment.yaml",
    base: options.base === undefined ? base : options.base,
    current,
    next: options.next === undefined ? next : options.next,
    baseKnown: options.baseKnown ?? true,
  });

describe("mergeRenderedFile", () => {
  it("takes the new text when nobody edited the file", () => {
    expect(merge(base)).toEqual({ kind: "upgraded", content: next });
  });

  it("writes nothing when the file already holds the new text, or the change does not touch it", () => {
    expect(merge(next)).toEqual({ kind: "unchanged" });
    expect(merge("edited by hand\n", { next: base })).toEqual({ kind: "unchanged" });
  });

  it("keeps a hand edit that does not overlap the template's change (three-way merge)", () => {
    const current = base.replace("replicas: 1", "replicas: 3");
    const result = merge(current);
    expect(result).toEqual({ kind: "merged", content: next.replace("replicas: 1", "replicas: 3") });
  });

  it("lists the lost lines when a hand edit conflicts with the template's change", () => {
    const current = base.replace("memory: 128Mi", "memory: 512Mi # raised for the sale");
    expect(merge(current)).toEqual({
      kind: "overwritten",
      content: next,
      lostLines: ["    memory: 512Mi # raised for the sale"],
      reason: "conflict",
    });
  });

  it("keeps the edits that do not conflict when one does", () => {
    const current = base.replace("memory: 128Mi", "memory: 512Mi").replace("replicas: 1", "replicas: 3");
    expect(merge(current)).toEqual({
      kind: "overwritten",
      content: next.replace("replicas: 1", "replicas: 3"),
      lostLines: ["    memory: 512Mi"],
      reason: "conflict",
    });
  });

  it("never offers a merge that is not well-formed YAML", () => {
    // Both sides add the same key far apart: the line merge is clean, the result has a duplicate key.
    const b = "x: 1\ny: 2\nz: 3\nv: 4\nu: 5\n";
    const current = "x: 1\nw: 1\ny: 2\nz: 3\nv: 4\nu: 5\n";
    const n = "x: 1\ny: 2\nz: 3\nv: 4\nu: 5\nw: 2\n";
    const result = mergeRenderedFile({ path: "f.yaml", base: b, current, next: n, baseKnown: true });
    expect(result).toEqual({ kind: "overwritten", content: n, lostLines: ["w: 1"], reason: "conflict" });
  });

  it("recreates a file deleted by hand, and says so", () => {
    expect(merge(null)).toEqual({ kind: "overwritten", content: next, lostLines: [], reason: "deleted-by-hand" });
  });

  it("keeps an edited file the template no longer renders; deletes an unedited one", () => {
    expect(merge(base.replace("cpu: 100m", "cpu: 1"), { next: null })).toEqual({ kind: "kept" });
    expect(merge(base, { next: null })).toEqual({ kind: "upgraded", content: null });
  });

  it("adds a file the template now renders", () => {
    expect(merge(null, { base: null })).toEqual({ kind: "upgraded", content: next });
  });

  it("without the last rendered text, every difference is shown as lost lines", () => {
    const current = base.replace("replicas: 1", "replicas: 3");
    const result = merge(current, { base: null, baseKnown: false });
    expect(result).toMatchObject({ kind: "overwritten", reason: "no-base" });
    expect(result.kind === "overwritten" && result.lostLines).toEqual(["  replicas: 3", "    memory: 128Mi"]);
  });
});
