import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { evaluateKyvernoPolicy } from "../../../../src/core/policy/kyverno/evaluate-policy.js";
import { parseKyvernoPolicy } from "../../../../src/core/policy/kyverno/parse-policy.js";
import { formatPath } from "../../../../src/core/problems.js";

// A fake position lookup: the line number encodes the path, so tests can check which field a problem points at.
const positions: string[] = [];
const positionOf = (path: readonly (string | number)[]) => {
  positions.push(formatPath(path));
  return { line: positions.length, column: 1 };
};

function parse(yaml: string) {
  positions.length = 0;
  const result = parseKyvernoPolicy({ file: "policies/p.yaml", document: load(yaml), positionOf });
  return { ...result, where: (line: number | undefined) => (line === undefined ? undefined : positions[line - 1]) };
}

const header = `
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: p
spec:
  rules:`;

const podRule = (name: string, body: string) => `
  - name: ${name}
    match:
      any:
      - resources:
          kinds: [Pod]
${body}`;

describe("parseKyvernoPolicy", () => {
  it("accepts kyverno.io/v1 and v2beta1 ClusterPolicy and Policy with their settings", () => {
    for (const [apiVersion, kind] of [
      ["kyverno.io/v1", "ClusterPolicy"],
      ["kyverno.io/v2beta1", "Policy"],
    ]) {
      const { policy, problems } = parse(
        header.replace("kyverno.io/v1", apiVersion ?? "").replace("ClusterPolicy", kind ?? "") +
          podRule("r", "    validate:\n      pattern:\n        metadata:\n          name: '?*'"),
      );
      expect(problems).toEqual([]);
      expect(policy).toMatchObject({ name: "p", kind, failureAction: "Audit", applyRules: "All", skippedRules: new Set() });
    }
    const { policy } = parse(
      header.replace("spec:", "spec:\n  validationFailureAction: enforce") + podRule("r", "    validate:\n      deny: {}"),
    );
    expect(policy?.failureAction).toBe("Enforce");
  });

  it("reports each unsupported feature once per policy, at its first location, and skips those rules", () => {
    const yaml =
      header +
      podRule(
        "a",
        "    context:\n    - name: cm\n      configMap: { name: x, namespace: y }\n    validate:\n      foreach:\n      - list: request.object.spec.containers\n        deny: {}",
      ) +
      podRule("b", "    validate:\n      foreach:\n      - list: request.object.spec.volumes\n        deny: {}") +
      podRule("c", "    mutate:\n      patchStrategicMerge:\n        metadata:\n          labels: { a: b }") +
      podRule("ok", "    validate:\n      pattern:\n        metadata:\n          name: '?*'");
    const { policy, problems, where } = parse(yaml);
    expect(problems.map((p) => [p.code, p.severity, p.message, where(p.line)])).toEqual([
      [
        "policy.unsupported",
        "warning",
        'Rule "a" of policy "p" uses context.configMap, which gitops-bot does not support; the rule is not evaluated.',
        "spec.rules[0].context[0]",
      ],
      [
        "policy.unsupported",
        "warning",
        'Rules "a", "b" of policy "p" use foreach, which gitops-bot does not support; these rules are not evaluated.',
        "spec.rules[0].validate.foreach",
      ],
      [
        "policy.unsupported",
        "warning",
        'Rule "c" of policy "p" uses mutate, which gitops-bot does not support; the rule is not evaluated.',
        "spec.rules[2].mutate",
      ],
    ]);
    expect(problems.every((p) => p.file === "policies/p.yaml")).toBe(true);
    expect([...(policy?.skippedRules ?? [])]).toEqual(["a", "b", "c"]);
    const outcomes = evaluateKyvernoPolicy(policy!, { object: { apiVersion: "v1", kind: "Pod", metadata: { name: "x" } } });
    expect(outcomes.map((o) => o.rule)).toEqual(["ok"]);
  });

  it.each([
    ["apiCall", "    context:\n    - name: x\n      apiCall: { urlPath: /api/v1/pods }\n    validate:\n      deny: {}", "apiCall"],
    ["CEL", "    validate:\n      cel:\n        expressions:\n        - expression: 'true'", "CEL (validate.cel)"],
    ["podSecurity", "    validate:\n      podSecurity: { level: baseline, version: latest }", "validate.podSecurity"],
    ["manifests", "    validate:\n      manifests: { attestors: [] }", "validate.manifests"],
    ["verifyImages", "    verifyImages:\n    - imageReferences: ['*']", "verifyImages"],
    ["generate", "    generate:\n      kind: ConfigMap\n      name: x", "generate"],
    ["user info", "    validate:\n      deny: {}", "match.subjects (user info)"],
    [
      "request.userInfo",
      "    validate:\n      deny:\n        conditions:\n          all:\n          - key: '{{ request.userInfo.username }}'\n            operator: Equals\n            value: admin",
      "the variable request.userInfo",
    ],
    ["unknown function", "    validate:\n      message: '{{ time_now_utc() }}'\n      deny: {}", "the JMESPath function time_now_utc()"],
    ["element", "    validate:\n      message: '{{ element.name }}'\n      deny: {}", "the variable element.name"],
    ["references", "    validate:\n      pattern:\n        spec:\n          replicas: '$(./minReplicas)'", "pattern references $(...)"],
  ])("reports %s as unsupported", (name, body, feature) => {
    let yaml = header + podRule("r", body);
    if (name === "user info")
      yaml = yaml.replace("      - resources:", "      - subjects: [{ kind: User, name: bob }]\n        resources:");
    const { policy, problems } = parse(yaml);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain(`uses ${feature}, which gitops-bot does not support`);
    expect(policy?.skippedRules.has("r")).toBe(true);
  });

  it("reports invalid rules as errors and does not evaluate them", () => {
    const { policy, problems, where } = parse(
      header +
        podRule(
          "bad-jmespath",
          "    validate:\n      deny:\n        conditions:\n          any:\n          - key: '{{ request.object.[ }}'\n            operator: Equals\n            value: x",
        ) +
        podRule(
          "bad-operator",
          "    validate:\n      deny:\n        conditions:\n          any:\n          - key: a\n            operator: Contains\n            value: a",
        ) +
        podRule("empty", "    validate:\n      message: nothing to check"),
    );
    expect(problems.map((p) => [p.code, p.severity, where(p.line)])).toEqual([
      ["policy.invalid", "error", "spec.rules[0].validate.deny.conditions.any[0].key"],
      ["policy.invalid", "error", "spec.rules[1].validate.deny.conditions.any[0].operator"],
      ["policy.invalid", "error", "spec.rules[2].validate"],
    ]);
    expect(policy?.skippedRules.size).toBe(3);
  });

  it("warns about documents that are not Kyverno policies and rejects malformed ones", () => {
    expect(parse("apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }").problems[0]).toMatchObject({
      code: "policy.unsupported",
      severity: "warning",
    });
    expect(parse("apiVersion: policies.kyverno.io/v1alpha1\nkind: ValidatingPolicy").policy).toBeUndefined();
    expect(parse("apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: {}").problems[0]).toMatchObject({
      code: "policy.invalid",
      severity: "error",
    });
    expect(parse("apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: { name: x }\nspec: {}").problems[0]?.message).toContain(
      "spec.rules",
    );
    expect(parse("- not a mapping").problems[0]?.code).toBe("policy.invalid");
  });
});
