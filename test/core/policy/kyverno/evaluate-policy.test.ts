import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { evaluateKyvernoPolicy } from "../../../../src/core/policy/kyverno/evaluate-policy.js";
import { parseKyvernoPolicy } from "../../../../src/core/policy/kyverno/parse-policy.js";
import type { KyvernoPolicy } from "../../../../src/core/policy/kyverno/parse-policy.js";

function policyFrom(yaml: string): KyvernoPolicy {
  const { policy, problems } = parseKyvernoPolicy({ file: "p.yaml", document: load(yaml) });
  if (!policy) throw new Error(JSON.stringify(problems));
  return policy;
}

const POLICY = `
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: workload-rules
spec:
  validationFailureAction: Enforce
  rules:
  - name: no-latest
    match:
      any:
      - resources:
          kinds: [Pod]
    validate:
      message: "Container {{ request.object.spec.containers[0].name }} must pin its image."
      pattern:
        spec:
          containers:
          - image: "!*:latest"
  - name: owner-annotation
    match:
      any:
      - resources:
          kinds: [Pod]
    validate:
      failureAction: Audit
      pattern:
        metadata:
          annotations:
            corp.io/owner: "?*"
  - name: max-containers
    match:
      any:
      - resources:
          kinds: [Pod]
    preconditions:
      all:
      - key: "{{ request.operation }}"
        operator: AnyIn
        value: [CREATE, UPDATE]
    validate:
      message: "At most {{ '2' }} containers, found {{ length(request.object.spec.containers) }}."
      deny:
        conditions:
          any:
          - key: "{{ length(request.object.spec.containers) }}"
            operator: GreaterThan
            value: 2
`;

const pod = (images: string[], annotations: Record<string, string> = {}) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web", namespace: "prod", annotations },
  spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) },
});

describe("evaluateKyvernoPolicy", () => {
  const policy = policyFrom(POLICY);

  it("gives one outcome per matching rule with Kyverno's messages and the failure action's severity", () => {
    const outcomes = evaluateKyvernoPolicy(policy, { object: pod(["nginx:latest", "a", "b"]) });
    expect(outcomes).toEqual([
      {
        policy: "workload-rules",
        rule: "no-latest",
        status: "fail",
        message: "validation error: Container c0 must pin its image. rule no-latest failed at path /spec/containers/0/image/",
        severity: "error",
        paths: [["spec", "containers", 0, "image"]],
      },
      {
        policy: "workload-rules",
        rule: "owner-annotation",
        status: "fail",
        message: "validation error: rule owner-annotation failed at path /metadata/annotations/corp.io/owner/",
        severity: "warning",
        paths: [["metadata", "annotations", "corp.io/owner"]],
      },
      {
        policy: "workload-rules",
        rule: "max-containers",
        status: "fail",
        message: "At most 2 containers, found 3.",
        severity: "error",
        paths: [[]],
      },
    ]);
  });

  it("passes a compliant pod", () => {
    const outcomes = evaluateKyvernoPolicy(policy, { object: pod(["nginx:1.25"], { "corp.io/owner": "team-a" }) });
    expect(outcomes.map((o) => [o.rule, o.status])).toEqual([
      ["no-latest", "pass"],
      ["owner-annotation", "pass"],
      ["max-containers", "pass"],
    ]);
  });

  it("skips a rule whose preconditions are not met", () => {
    const outcomes = evaluateKyvernoPolicy(policy, { object: {}, oldObject: pod(["a", "b", "c"]), operation: "DELETE" });
    // On DELETE pattern rules give no verdict and the precondition excludes the deny rule.
    expect(outcomes.map((o) => [o.rule, o.status])).toEqual([["max-containers", "skip"]]);
  });

  it("judges pod controllers through autogen rules and ignores other kinds", () => {
    const deployment = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "prod" },
      spec: {
        template: { metadata: { annotations: { "corp.io/owner": "a" } }, spec: { containers: [{ name: "c", image: "nginx:latest" }] } },
      },
    };
    const outcomes = evaluateKyvernoPolicy(policy, { object: deployment });
    expect(outcomes.map((o) => [o.rule, o.status])).toEqual([
      ["autogen-no-latest", "fail"],
      ["autogen-owner-annotation", "pass"],
      ["autogen-max-containers", "pass"],
    ]);
    expect(outcomes[0]?.paths).toEqual([["spec", "template", "spec", "containers", 0, "image"]]);
    expect(evaluateKyvernoPolicy(policy, { object: { apiVersion: "v1", kind: "Service", metadata: { name: "s" } } })).toEqual([]);
  });

  it("ends in error when a variable reads a field that does not exist", () => {
    const broken = policyFrom(`
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: { name: replicas }
spec:
  rules:
  - name: three
    match: { any: [ { resources: { kinds: [Deployment] } } ] }
    validate:
      deny:
        conditions:
          any:
          - key: "{{ request.object.spec.replicas }}"
            operator: LessThan
            value: 3
`);
    const [outcome] = evaluateKyvernoPolicy(broken, {
      object: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" }, spec: {} },
    });
    expect(outcome?.status).toBe("error");
    expect(outcome?.message).toContain('Unknown key "replicas"');
  });

  it("lets an UPDATE through when an Enforce rule was already violated by the old object", () => {
    const before = pod(["nginx:latest"]);
    const [same] = evaluateKyvernoPolicy(policy, { object: before, oldObject: structuredClone(before), operation: "UPDATE" });
    expect(same?.status).toBe("skip");
    const [worse] = evaluateKyvernoPolicy(policy, { object: before, oldObject: pod(["nginx:1.25"]), operation: "UPDATE" });
    expect(worse?.status).toBe("fail");
  });

  it("stops after the first applied rule with applyRules: One", () => {
    const one = policyFrom(POLICY.replace("validationFailureAction: Enforce", "validationFailureAction: Enforce\n  applyRules: One"));
    expect(evaluateKyvernoPolicy(one, { object: pod(["nginx:latest"]) }).map((o) => o.rule)).toEqual(["no-latest"]);
  });

  it("applies a namespaced Policy only in its namespace", () => {
    const namespaced = policyFrom(
      POLICY.replace("kind: ClusterPolicy", "kind: Policy").replace("name: workload-rules", "name: workload-rules\n  namespace: dev"),
    );
    expect(evaluateKyvernoPolicy(namespaced, { object: pod(["nginx:latest"]) })).toEqual([]);
  });

  it("reads values as a kyverno test values file sets them", () => {
    const [outcome] = evaluateKyvernoPolicy(policyFrom(POLICY), {
      object: pod(["nginx:1"]),
      variables: { "request.object.spec.containers": [{ name: "x", image: "nginx:latest" }] },
    });
    expect(outcome?.message).toContain("Container x must pin its image.");
  });

  it("reports anyPattern failures per pattern and passes when one pattern holds", () => {
    const anyPattern = policyFrom(`
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: { name: non-root }
spec:
  rules:
  - name: run-as-non-root
    match: { any: [ { resources: { kinds: [Pod] } } ] }
    validate:
      message: Run as non-root
      anyPattern:
      - spec:
          securityContext:
            runAsNonRoot: true
      - spec:
          containers:
          - securityContext:
              runAsNonRoot: true
`);
    const [failed] = evaluateKyvernoPolicy(anyPattern, { object: pod(["a"]) });
    expect(failed?.status).toBe("fail");
    expect(failed?.message).toBe(
      "validation error: Run as non-root. rule run-as-non-root[0] failed at path /spec/securityContext/ rule run-as-non-root[1] failed at path /spec/containers/0/securityContext/",
    );
    expect(failed?.paths).toEqual([
      ["spec", "securityContext"],
      ["spec", "containers", 0, "securityContext"],
    ]);
    const compliant = { ...pod(["a"]), spec: { securityContext: { runAsNonRoot: true }, containers: [{ name: "a", image: "a" }] } };
    expect(evaluateKyvernoPolicy(anyPattern, { object: compliant })[0]?.message).toBe(
      "validation rule 'run-as-non-root' anyPattern[0] passed.",
    );
  });
});
