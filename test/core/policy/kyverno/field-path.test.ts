import { describe, expect, it } from "vitest";
import { fieldPath } from "../../../../src/core/policy/kyverno/field-path.js";

describe("fieldPath (Kyverno's failure path as field path segments)", () => {
  it.each([
    [
      "/spec/containers/0/image/",
      { spec: { containers: [{ image: "nginx" }] } },
      { spec: { containers: [{ image: "!*:latest" }] } },
      ["spec", "containers", 0, "image"],
    ],
    // An annotation name holds '/', which Kyverno does not escape: the resource tells where the key ends.
    [
      "/metadata/annotations/example.com/owner/",
      { metadata: { annotations: { "example.com/owner": "" } } },
      {},
      ["metadata", "annotations", "example.com/owner"],
    ],
    // ... or the pattern, when the resource lacks the key (an anchor around it included).
    [
      "/metadata/labels/app.kubernetes.io/name/",
      { metadata: {} },
      { metadata: { labels: { "=(app.kubernetes.io/name)": "?*" } } },
      ["metadata", "labels", "app.kubernetes.io/name"],
    ],
    ["/spec/replicas/", { spec: { replicas: 1 } }, { spec: { replicas: ">1" } }, ["spec", "replicas"]],
  ])("%s", (goPath, resource, pattern, expected) => {
    expect(fieldPath(goPath, resource, pattern)).toEqual(expected);
  });
});
