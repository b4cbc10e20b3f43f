import { describe, expect, it } from "vitest";
import { formatPath } from "../../src/core/problems.js";

// The formatting as first written, without the shared prefixes.
function reference(path: readonly (string | number)[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(part)) out += out === "" ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

describe("formatPath", () => {
  it("formats keys, indexes and keys that need quoting", () => {
    expect(formatPath([])).toBe("");
    expect(formatPath(["spec", "template", "spec", "containers", 0, "image"])).toBe("spec.template.spec.containers[0].image");
    expect(formatPath(["metadata", "labels", "app.kubernetes.io/name"])).toBe('metadata.labels["app.kubernetes.io/name"]');
    expect(formatPath([0, "a"])).toBe("[0].a");
    expect(formatPath(["", "a"])).toBe('[""].a');
  });

  it("keeps an index apart from a key of the same digits, and odd keys apart from each other", () => {
    const paths: (string | number)[][] = [
      ["items", 0],
      ["items", "0"],
      ["items", -0],
      ["items", Number.NaN],
      ["__proto__", "constructor"],
      ["constructor"],
      ["a.b"],
      ["a", "b"],
      ['quote"d', "x"],
      ["line\nbreak"],
    ];
    // Twice, so the second round reads what the first one stored.
    for (let round = 0; round < 2; round++) for (const path of paths) expect(formatPath(path), JSON.stringify(path)).toBe(reference(path));
  });

  it("stays right past its bound on stored prefixes (keys are input)", () => {
    const wrong: string[] = [];
    for (let at = 0; at < 25_000; at++) {
      const path = ["spec", `key-${at}`, at % 3, `x ${at % 7}`];
      if (formatPath(path) !== reference(path)) wrong.push(JSON.stringify(path));
    }
    expect(wrong).toEqual([]);
    expect(formatPath(["spec", "key-1", 1, "x 1"])).toBe('spec.key-1[1]["x 1"]');
    // Long keys are formatted without being kept, wherever they come in the path.
    const long = "k".repeat(300);
    for (const path of [[long], [long, "a", 0], ["a", long, "b c"], ["a", 1, "b", `x ${long}`, "c"], [`${long}.`, "d"]]) {
      expect(formatPath(path)).toBe(reference(path));
      expect(formatPath(path)).toBe(reference(path));
    }
  });
});
