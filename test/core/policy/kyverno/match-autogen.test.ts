import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { computeRules } from "../../../../src/core/policy/kyverno/autogen.js";
import { groupVersionKind, parseKindSelector } from "../../../../src/core/policy/kyverno/kinds.js";
import { matchesRule, matchesSelector } from "../../../../src/core/policy/kyverno/match-resource.js";
import { parseKyvernoPolicy } from "../../../../src/core/policy/kyverno/parse-policy.js";
import type { KyvernoPolicy } from "../../../../src/core/policy/kyverno/parse-policy.js";

function policyFrom(yaml: string): KyvernoPolicy {
  const { policy, problems } = parseKyvernoPolicy({ file: "p.yaml", document: load(yaml) });
  expect(problems).toEqual([]);
  if (!policy) throw new Error("no policy");
  return policy;
}

const resource = (apiVersion: string, kind: string, metadata: Record<string, unknown>) => ({ apiVersion, kind, metadata });
const subject = (r: Record<string, unknown>, operation = "CREATE") => ({ resource: r, gvk: groupVersionKind(r), operation });

describe("kind selectors", () => {
  it.each([
    ["Pod", ["*", "*", "Pod", ""]],
    ["v1/Pod", ["*", "v1", "Pod", ""]],
    ["apps/v1/Deployment", ["apps", "v1", "Deployment", ""]],
    ["batch/*/CronJob", ["batch", "*", "CronJob", ""]],
    ["Pod/exec", ["*", "*", "Pod", "exec"]],
    ["*/*", ["*", "*", "*", "*"]],
  ])("%s", (selector, expected) => {
    expect(parseKindSelector(selector)).toEqual(expected);
  });
});

describe("match and exclude", () => {
  const pod = resource("v1", "Pod", {
    name: "web-1",
    namespace: "prod",
    labels: { app: "web", tier: "fe" },
    annotations: { "corp.io/owner": "team-a" },
  });
  const cronjob = resource("batch/v1beta1", "CronJob", { name: "job", namespace: "prod" });
  const rule = (match: unknown, exclude?: unknown) => ({ name: "r", match, ...(exclude ? { exclude } : {}) });

  it.each([
    ["kinds", { any: [{ resources: { kinds: ["Pod"] } }] }, pod, true],
    ["other kind", { any: [{ resources: { kinds: ["Deployment"] } }] }, pod, false],
    ["group/version/kind", { any: [{ resources: { kinds: ["batch/*/CronJob"] } }] }, cronjob, true],
    ["version mismatch", { any: [{ resources: { kinds: ["batch/v1/CronJob"] } }] }, cronjob, false],
    ["kind wildcard", { any: [{ resources: { kinds: ["*"] } }] }, pod, true],
    ["names", { any: [{ resources: { kinds: ["Pod"], names: ["web-*"] } }] }, pod, true],
    ["names mismatch", { any: [{ resources: { kinds: ["Pod"], names: ["api-*"] } }] }, pod, false],
    ["namespaces", { any: [{ resources: { kinds: ["Pod"], namespaces: ["pr?d"] } }] }, pod, true],
    ["namespaces mismatch", { any: [{ resources: { kinds: ["Pod"], namespaces: ["dev"] } }] }, pod, false],
    ["selector", { any: [{ resources: { kinds: ["Pod"], selector: { matchLabels: { app: "web" } } } }] }, pod, true],
    [
      "selector expressions",
      { any: [{ resources: { selector: { matchExpressions: [{ key: "tier", operator: "In", values: ["fe", "be"] }] } } }] },
      pod,
      true,
    ],
    ["selector mismatch", { any: [{ resources: { kinds: ["Pod"], selector: { matchLabels: { app: "api" } } } }] }, pod, false],
    ["annotations", { any: [{ resources: { annotations: { "corp.io/*": "team-?" } } }] }, pod, true],
    ["any: one filter is enough", { any: [{ resources: { kinds: ["Service"] } }, { resources: { kinds: ["Pod"] } }] }, pod, true],
    ["all: every filter", { all: [{ resources: { kinds: ["Pod"] } }, { resources: { namespaces: ["dev"] } }] }, pod, false],
    ["top-level resources", { resources: { kinds: ["Pod"] } }, pod, true],
    ["empty match matches nothing", {}, pod, false],
    ["operations", { any: [{ resources: { kinds: ["Pod"], operations: ["UPDATE"] } }] }, pod, false],
  ])("%s", (_name, match, r, expected) => {
    expect(matchesRule(rule(match), subject(r))).toBe(expected);
  });

  it.each([
    ["exclude any", { any: [{ resources: { names: ["web-*"] } }] }, false],
    ["exclude any, no filter matches", { any: [{ resources: { names: ["api-*"] } }] }, true],
    ["exclude all, one filter misses", { all: [{ resources: { names: ["web-*"] } }, { resources: { namespaces: ["dev"] } }] }, true],
    ["exclude all, every filter hits", { all: [{ resources: { names: ["web-*"] } }, { resources: { namespaces: ["prod"] } }] }, false],
  ])("%s", (_name, exclude, expected) => {
    expect(matchesRule(rule({ any: [{ resources: { kinds: ["Pod"] } }] }, exclude), subject(pod))).toBe(expected);
  });

  it("expands wildcards in matchLabels and rejects malformed selectors", () => {
    expect(matchesSelector({ matchLabels: { "app*": "w*" } }, { app: "web" })).toBe(true);
    expect(matchesSelector({ matchExpressions: [{ key: "a", operator: "In", values: [] }] }, {})).toBe("invalid");
    expect(matchesSelector({}, {})).toBe(true);
  });
});

const podPolicy = (annotations = "", extra = "") => `
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: p
${annotations}
spec:
  rules:
  - name: check-image
    match:
      any:
      - resources:
          kinds: [Pod]
    preconditions:
      all:
      - key: "{{ request.object.metadata.name }}"
        operator: NotEquals
        value: ""
    validate:
      message: "image of {{ request.object.spec.containers[0].name }}"
      pattern:
        spec:
          containers:
          - image: "!*:latest"
${extra}`;

describe("pod controller autogen", () => {
  it("generates autogen-<rule> for controllers and autogen-cronjob-<rule> for CronJobs", () => {
    const policy = policyFrom(podPolicy());
    expect(computeRules(policy, "Pod").map((r) => r.name)).toEqual(["check-image"]);
    expect(computeRules(policy, "Deployment").map((r) => r.name)).toEqual(["check-image", "autogen-check-image"]);
    expect(computeRules(policy, "CronJob").map((r) => r.name)).toEqual(["check-image", "autogen-cronjob-check-image"]);
    const [, deployment] = computeRules(policy, "Deployment");
    expect(deployment?.rule["match"]).toEqual({ any: [{ resources: { kinds: ["apps/v1/Deployment"] } }] });
    expect(deployment?.rule["validate"]).toEqual({
      message: "image of {{ request.object.spec.template.spec.containers[0].name }}",
      pattern: { spec: { template: { spec: { containers: [{ image: "!*:latest" }] } } } },
    });
    expect(JSON.stringify(deployment?.rule["preconditions"])).toContain("request.object.spec.template.metadata.name");
    const [, cron] = computeRules(policy, "CronJob");
    expect(cron?.rule["validate"]).toMatchObject({
      pattern: { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ image: "!*:latest" }] } } } } } },
    });
    expect(JSON.stringify(cron?.rule)).toContain("request.object.spec.jobTemplate.spec.template.metadata.name");
  });

  it("honours the autogen-controllers annotation, including none", () => {
    const none = policyFrom(podPolicy("  annotations:\n    pod-policies.kyverno.io/autogen-controllers: none"));
    expect(computeRules(none, "Deployment").map((r) => r.name)).toEqual(["check-image"]);
    const some = policyFrom(podPolicy("  annotations:\n    pod-policies.kyverno.io/autogen-controllers: Deployment,Job"));
    expect(computeRules(some, "Job").map((r) => r.name)).toEqual(["check-image", "autogen-check-image"]);
    expect(computeRules(some, "StatefulSet").map((r) => r.name)).toEqual(["check-image"]);
    expect(computeRules(some, "CronJob").map((r) => r.name)).toEqual(["check-image"]);
  });

  it("does not generate rules when a rule filters by name, selector or mixes Pod with other kinds", () => {
    const named = policyFrom(
      podPolicy(
        "",
        `  - name: other
    match:
      any:
      - resources:
          kinds: [Pod]
          names: ["web-*"]
    validate:
      pattern:
        metadata:
          name: "?*"`,
      ),
    );
    expect(computeRules(named, "Deployment").map((r) => r.name)).toEqual(["check-image", "other"]);
  });

  it("truncates generated names to 63 characters", () => {
    const long = "x".repeat(60);
    const policy = policyFrom(podPolicy().replace("check-image", long));
    expect(computeRules(policy, "CronJob").map((r) => r.name)[1]).toBe(`autogen-cronjob-${long}`.slice(0, 63));
  });
});
