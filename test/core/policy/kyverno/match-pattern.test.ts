import { describe, expect, it } from "vitest";
import { parseAnchor } from "../../../../src/core/policy/kyverno/anchor.js";
import { matchPattern } from "../../../../src/core/policy/kyverno/match-pattern.js";

const pod = (spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: "p" }) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata,
  spec,
});
const containers = (...items: Record<string, unknown>[]) => pod({ containers: items });

describe("parseAnchor", () => {
  it.each([
    ["(image)", { type: "condition", key: "image" }],
    ["<(name)", { type: "global", key: "name" }],
    ["=(labels)", { type: "equality", key: "labels" }],
    ["^(containers)", { type: "existence", key: "containers" }],
    ["X(hostPath)", { type: "negation", key: "hostPath" }],
    ["+(dnsPolicy)", { type: "addIfNotPresent", key: "dnsPolicy" }],
    ["image", undefined],
    ["()", undefined],
    ["Y(key)", undefined],
  ])("%s", (text, expected) => {
    expect(parseAnchor(text)).toEqual(expected);
  });
});

describe("matchPattern", () => {
  it.each([
    {
      name: "plain keys must exist and match",
      resource: containers({ name: "a", image: "nginx:1.2" }),
      pattern: { spec: { containers: [{ image: "!*:latest" }] } },
      status: "pass",
    },
    {
      name: "a mismatch fails at the field's path",
      resource: containers({ name: "a", image: "nginx:1.2" }, { name: "b", image: "nginx:latest" }),
      pattern: { spec: { containers: [{ image: "!*:latest" }] } },
      status: "fail",
      path: "/spec/containers/1/image/",
    },
    {
      name: '"*" requires the key and fails at its parent when missing',
      resource: pod({ containers: [{ name: "a" }] }),
      pattern: { metadata: { labels: { app: "*" } } },
      status: "fail",
      path: "/metadata/labels/",
    },
    {
      name: "equality anchor: an absent key passes",
      resource: containers({ name: "a" }),
      pattern: { spec: { containers: [{ "=(securityContext)": { "=(privileged)": "false" } }] } },
      status: "pass",
    },
    {
      name: "equality anchor: a present key must match",
      resource: containers({ name: "a", securityContext: { privileged: true } }),
      pattern: { spec: { containers: [{ "=(securityContext)": { "=(privileged)": "false" } }] } },
      status: "fail",
      path: "/spec/containers/0/securityContext/privileged/",
    },
    {
      name: "conditional anchor not met in every element skips the rule",
      resource: containers({ name: "a", image: "nginx:1.2" }),
      pattern: { spec: { containers: [{ "(image)": "*:latest", imagePullPolicy: "Always" }] } },
      status: "skip",
    },
    {
      name: "conditional anchor met applies the sibling checks",
      resource: containers({ name: "a", image: "nginx:latest", imagePullPolicy: "IfNotPresent" }),
      pattern: { spec: { containers: [{ "(image)": "*:latest", imagePullPolicy: "Always" }] } },
      status: "fail",
      path: "/spec/containers/0/imagePullPolicy/",
    },
    {
      name: "conditional anchor met in one element only checks that element",
      resource: containers({ name: "a", image: "nginx:1.2" }, { name: "b", image: "nginx:latest", imagePullPolicy: "Always" }),
      pattern: { spec: { containers: [{ "(image)": "*:latest", imagePullPolicy: "Always" }] } },
      status: "pass",
    },
    {
      name: "global anchor not met skips the whole rule",
      resource: pod({ containers: [{ name: "a", image: "docker.io/nginx" }], imagePullSecrets: [] }),
      pattern: { spec: { containers: [{ "<(image)": "corp.io/*" }], imagePullSecrets: [{ name: "regcred" }] } },
      status: "skip",
    },
    {
      name: "global anchor met enforces the rest of the pattern",
      resource: pod({ containers: [{ name: "a", image: "corp.io/nginx" }], imagePullSecrets: [{ name: "other" }] }),
      pattern: { spec: { containers: [{ "<(image)": "corp.io/*" }], imagePullSecrets: [{ name: "regcred" }] } },
      status: "fail",
    },
    {
      name: "negation anchor fails when the key exists, whatever its value",
      resource: pod({ containers: [], hostNetwork: false }),
      pattern: { spec: { "X(hostNetwork)": "null" } },
      status: "fail",
      path: "/spec/hostNetwork/",
    },
    {
      name: "negation anchor passes when the key is absent",
      resource: pod({ containers: [] }),
      pattern: { spec: { "X(hostNetwork)": "null" } },
      status: "pass",
    },
    {
      name: "existence anchor needs one matching element",
      resource: containers({ name: "a", image: "nginx" }, { name: "b", image: "corp.io/sidecar" }),
      pattern: { spec: { "^(containers)": [{ image: "corp.io/*" }] } },
      status: "pass",
    },
    {
      name: "existence anchor fails when no element matches",
      resource: containers({ name: "a", image: "nginx" }),
      pattern: { spec: { "^(containers)": [{ image: "corp.io/*" }] } },
      status: "fail",
      path: "/spec/containers/",
    },
    {
      name: "add-if-not-present anchors read as plain keys",
      resource: pod({ dnsPolicy: "ClusterFirst" }),
      pattern: { spec: { "+(dnsPolicy)": "ClusterFirst" } },
      status: "pass",
    },
    {
      name: "wildcard label keys take the first matching resource key",
      resource: pod({}, { name: "p", labels: { "app.kubernetes.io/name": "web" } }),
      pattern: { metadata: { labels: { "app.kubernetes.io/*": "?*" } } },
      status: "pass",
    },
    {
      name: "wildcard label keys without a match stay literal and fail",
      resource: pod({}, { name: "p", labels: { team: "a" } }),
      pattern: { metadata: { labels: { "app.kubernetes.io/*": "?*" } } },
      status: "fail",
    },
    {
      name: "a scalar pattern in a list applies to every element",
      resource: pod({ volumes: [{ name: "a" }], args: ["--a", "--b"] }),
      pattern: { spec: { args: ["--*"] } },
      status: "pass",
    },
    {
      name: "a map where a scalar is expected is a structure mismatch",
      resource: pod({ containers: "nope" }),
      pattern: { spec: { containers: [{ name: "*" }] } },
      status: "fail",
      path: "/spec/containers/",
    },
    {
      name: "an empty list satisfies a list pattern",
      resource: pod({ containers: [] }),
      pattern: { spec: { containers: [{ image: "corp.io/*" }] } },
      status: "pass",
    },
  ])("$name", ({ resource, pattern, status, path }) => {
    const result = matchPattern(resource, structuredClone(pattern));
    expect(result.status).toBe(status);
    if (path !== undefined && result.status === "fail") expect(result.path).toBe(path);
  });

  it("reports an error, not a failure, when an existence anchor's key never appears and another check fails", () => {
    // Kyverno's AnchorMap.KeysAreMissing turns such failures into a rule error.
    const pattern = { spec: { "^(initContainers)": [{ name: "init" }], containers: [{ image: "?*" }] } };
    expect(matchPattern(containers({ name: "a" }), structuredClone(pattern)).status).toBe("error");
    expect(matchPattern(containers({ name: "a", image: "nginx" }), structuredClone(pattern)).status).toBe("pass");
  });
});
