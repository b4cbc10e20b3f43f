import { describe, expect, it } from "vitest";
import { loadManifests } from "../../../../src/core/manifests/load-manifests.js";
import { collectPolicyExceptions } from "../../../../src/core/policy/collect-policy-exceptions.js";
import { evaluatePolicies } from "../../../../src/core/policy/evaluate.js";
import { evaluateKyvernoPolicy } from "../../../../src/core/policy/kyverno/evaluate-policy.js";
import { parsePolicyException, type KyvernoPolicyException } from "../../../../src/core/policy/kyverno/parse-policy-exception.js";
import { parseKyvernoPolicy } from "../../../../src/core/policy/kyverno/parse-policy.js";
import { loadPolicies } from "../../../../src/core/policy/load-policies.js";
import { parseYamlDocuments } from "../../../../src/core/yaml/parse-yaml-documents.js";
import { HOST_PORT_POD, hostPortsPolicy } from "../../../helpers/policy-exception-fixtures.js";

const HOST_PORTS = hostPortsPolicy(
  "ClusterPolicy",
  `    - name: host-network
      match:
        any:
          - resources:
              kinds: [Pod]
      preconditions:
        all:
          - key: "{{ request.object.metadata.labels.mesh || '' }}"
            operator: Equals
            value: "off"
      validate:
        message: host network is disallowed.
        pattern:
          spec:
            =(hostNetwork): false
`,
);

function policy(text = HOST_PORTS) {
  const document = parseYamlDocuments({ file: "policy.yaml", text }).documents[0];
  const parsed = parseKyvernoPolicy({ file: "policy.yaml", document: document?.value });
  if (!parsed.policy) throw new Error(JSON.stringify(parsed.problems));
  return parsed.policy;
}

function exception(
  spec: string,
  meta = "  name: legacy-agent\n  namespace: kyverno\n",
  apiVersion = "kyverno.io/v2",
): { exception?: KyvernoPolicyException; problems: { message: string; line?: number }[] } {
  const text = `apiVersion: ${apiVersion}\nkind: PolicyException\nmetadata:\n${meta}spec:\n${spec}`;
  const document = parseYamlDocuments({ file: "exception.yaml", text }).documents[0];
  return parsePolicyException({ file: "exception.yaml", document: document?.value, positionOf: document?.positionOf });
}

function valid(spec: string, meta?: string): KyvernoPolicyException {
  const parsed = exception(spec, meta);
  expect(parsed.problems).toEqual([]);
  if (!parsed.exception) throw new Error("no exception");
  return parsed.exception;
}

const AGENT_PORTS = `  exceptions:
    - policyName: disallow-host-ports
      ruleNames: [host-ports-none, autogen-host-ports-none]
  match:
    any:
      - resources:
          kinds: [Pod, Deployment]
          names: ["agent*"]
          namespaces: [monitoring]
`;

function pod(name: string, options: { namespace?: string; kind?: string; hostPort?: number; labels?: Record<string, string> } = {}) {
  const container = { name: "app", image: "x:1", ports: [{ containerPort: 80, hostPort: options.hostPort ?? 8080 }] };
  const metadata = { name, namespace: options.namespace ?? "monitoring", labels: options.labels ?? {} };
  if (options.kind === "Deployment") {
    return {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata,
      spec: { template: { metadata: { labels: {} }, spec: { containers: [container] } } },
    };
  }
  return { apiVersion: "v1", kind: "Pod", metadata, spec: { containers: [container] } };
}

function statuses(object: Record<string, unknown>, exceptions: readonly KyvernoPolicyException[]) {
  return evaluateKyvernoPolicy(policy(), { object, exceptions })
    .filter((o) => !o.rule.endsWith("host-network"))
    .map((o) => [o.rule, o.status, o.message] as const);
}

describe("PolicyException: validation", () => {
  it.each(["kyverno.io/v2", "kyverno.io/v2beta1", "kyverno.io/v2alpha1"])(
    "%s is accepted, keyed namespace/name as Kyverno names it",
    (apiVersion) => {
      const parsed = exception(AGENT_PORTS, undefined, apiVersion);
      expect(parsed.problems).toEqual([]);
      expect(parsed.exception).toMatchObject({
        key: "kyverno/legacy-agent",
        exceptions: [{ policyName: "disallow-host-ports", ruleNames: ["host-ports-none", "autogen-host-ports-none"] }],
      });
    },
  );

  it.each([
    [
      "an unknown apiVersion",
      () => exception(AGENT_PORTS, undefined, "kyverno.io/v1"),
      /apiVersion kyverno.io\/v1 is not one Kyverno serves/,
      1,
    ],
    ["no name", () => exception(AGENT_PORTS, "  namespace: kyverno\n"), /no metadata.name/, 3],
    ["no exceptions", () => exception("  match:\n    any:\n      - resources: { kinds: [Pod] }\n"), /spec.exceptions must list/, 6],
    [
      "no policyName",
      () => exception("  exceptions:\n    - ruleNames: [x]\n  match:\n    any:\n      - resources: { kinds: [Pod] }\n"),
      /exceptions\[0\] needs a policyName/,
      8,
    ],
    [
      "empty ruleNames",
      () => exception("  exceptions:\n    - policyName: p\n      ruleNames: []\n  match:\n    any:\n      - resources: { kinds: [Pod] }\n"),
      /ruleNames must be a non-empty list/,
      9,
    ],
    [
      "a match without any or all",
      () => exception("  exceptions:\n    - { policyName: p, ruleNames: [r] }\n  match:\n    resources: { kinds: [Pod] }\n"),
      /needs a non-empty any or all list/,
      9,
    ],
    [
      "spec.exclude",
      () => exception(`${AGENT_PORTS}  exclude:\n    any:\n      - resources: { names: [agent-x] }\n`),
      /spec.exclude is not a PolicyException field/,
      16,
    ],
    [
      "user info in match",
      () =>
        exception(
          "  exceptions:\n    - { policyName: p, ruleNames: [r] }\n  match:\n    any:\n      - subjects: [{ kind: User, name: bob }]\n        resources: { kinds: [Pod] }\n",
        ),
      /subjects depends on who applies the resource/,
      11,
    ],
    [
      "a namespace selector",
      () =>
        exception(
          "  exceptions:\n    - { policyName: p, ruleNames: [r] }\n  match:\n    any:\n      - resources: { kinds: [Pod], namespaceSelector: { matchLabels: { a: b } } }\n",
        ),
      /namespaceSelector needs the namespace's labels/,
      11,
    ],
    [
      "podSecurity",
      () => exception(`${AGENT_PORTS}  podSecurity:\n    - controlName: Host Ports\n`),
      /spec.podSecurity exempts Pod Security controls/,
      16,
    ],
    [
      "a bad condition operator",
      () => exception(`${AGENT_PORTS}  conditions:\n    any:\n      - { key: a, operator: Sometimes, value: b }\n`),
      /operator Sometimes is not a Kyverno operator/,
      18,
    ],
  ])("%s is a finding at its line, and the exception excepts nothing", (_name, parse, message, line) => {
    const parsed = parse();
    expect(parsed.exception).toBeUndefined();
    expect(parsed.problems[0]).toMatchObject({ message: expect.stringMatching(message), line });
  });

  it("a document that is not a mapping is a finding, never a crash", () => {
    expect(parsePolicyException({ file: "x.yaml", document: ["a"] }).problems[0]?.message).toMatch(/not a YAML mapping/);
    expect(
      parsePolicyException({
        file: "x.yaml",
        document: { apiVersion: "kyverno.io/v2", kind: "PolicyException", metadata: { name: "x" }, spec: { exceptions: "all", match: 3 } },
      }).problems.map((p) => p.message),
    ).toEqual([
      'PolicyException "x": spec.exceptions must list the policies and rules it excepts.',
      'PolicyException "x": spec.match needs a non-empty any or all list of resource filters; as written it matches nothing.',
    ]);
  });
});

describe("PolicyException: what it excepts, as Kyverno decides it", () => {
  const agent = valid(AGENT_PORTS);

  it("the named rule on a matching resource is skipped, with a message naming the exception", () => {
    expect(statuses(pod("agent-1"), [agent])).toEqual([
      ["host-ports-none", "skip", "rule is skipped due to policy exception kyverno/legacy-agent"],
    ]);
    expect(statuses(pod("agent-1"), [])).toEqual([
      ["host-ports-none", "fail", expect.stringContaining("Use of host ports is disallowed") as unknown as string],
    ]);
  });

  it.each([
    ["another name", pod("web-1")],
    ["another namespace", pod("agent-1", { namespace: "shop" })],
  ])("a resource with %s is not matched by the exception's match block", (_name, object) => {
    expect(statuses(object, [agent])[0]?.[1]).toBe("fail");
  });

  it("another policy's name or an unlisted rule is not excepted", () => {
    const other = valid(AGENT_PORTS.replace("policyName: disallow-host-ports", "policyName: disallow-host-path"));
    expect(statuses(pod("agent-1"), [other])[0]?.[1]).toBe("fail");
    const otherRule = valid(AGENT_PORTS.replace("[host-ports-none, autogen-host-ports-none]", "[host-network]"));
    expect(statuses(pod("agent-1"), [otherRule])[0]?.[1]).toBe("fail");
  });

  it("autogen rules have their own names: the pod rule's name alone does not except a Deployment, autogen-<rule> or a wildcard does", () => {
    const podOnly = valid(AGENT_PORTS.replace("[host-ports-none, autogen-host-ports-none]", "[host-ports-none]"));
    const deployment = pod("agent-1", { kind: "Deployment" });
    expect(statuses(deployment, [podOnly])).toEqual([["autogen-host-ports-none", "fail", expect.any(String) as unknown as string]]);
    expect(statuses(deployment, [agent])[0]?.slice(0, 2)).toEqual(["autogen-host-ports-none", "skip"]);
    const wildcard = valid(AGENT_PORTS.replace("[host-ports-none, autogen-host-ports-none]", '["*host-ports-none"]'));
    expect(statuses(deployment, [wildcard])[0]?.slice(0, 2)).toEqual(["autogen-host-ports-none", "skip"]);
  });

  it("match.all needs every filter; an empty filter matches nothing", () => {
    const all = valid(
      `  exceptions:\n    - { policyName: disallow-host-ports, ruleNames: [host-ports-none] }\n  match:\n    all:\n      - resources: { kinds: [Pod] }\n      - resources: { selector: { matchLabels: { team: observability } } }\n`,
    );
    expect(statuses(pod("x", { labels: { team: "observability" } }), [all])[0]?.[1]).toBe("skip");
    expect(statuses(pod("x", { labels: { team: "shop" } }), [all])[0]?.[1]).toBe("fail");
    const empty = valid(
      `  exceptions:\n    - { policyName: disallow-host-ports, ruleNames: [host-ports-none] }\n  match:\n    any:\n      - resources: {}\n`,
    );
    expect(statuses(pod("agent-1"), [empty])[0]?.[1]).toBe("fail");
  });

  it("conditions must hold; conditions that cannot be evaluated do not apply the exception", () => {
    const when = (value: string) =>
      valid(
        `${AGENT_PORTS}  conditions:\n    any:\n      - key: "{{ request.object.metadata.labels.legacy || '' }}"\n        operator: Equals\n        value: "${value}"\n`,
      );
    expect(statuses(pod("agent-1", { labels: { legacy: "yes" } }), [when("yes")])[0]?.[1]).toBe("skip");
    expect(statuses(pod("agent-1", { labels: { legacy: "no" } }), [when("yes")])[0]?.[1]).toBe("fail");
    const broken = valid(
      `${AGENT_PORTS}  conditions:\n    any:\n      - key: "{{ request.object.spec | length(@) }}"\n        operator: GreaterThan\n        value: "x"\n`,
    );
    expect(statuses(pod("agent-1"), [broken])[0]?.[1]).toBe("fail");
  });

  it("a namespaced Policy is named namespace/name in policyName", () => {
    const namespaced = policy(
      HOST_PORTS.replace("kind: ClusterPolicy", "kind: Policy").replace(
        "name: disallow-host-ports",
        "name: disallow-host-ports\n  namespace: monitoring",
      ),
    );
    const byName = valid(AGENT_PORTS);
    const byKey = valid(AGENT_PORTS.replace("policyName: disallow-host-ports", "policyName: monitoring/disallow-host-ports"));
    expect(evaluateKyvernoPolicy(namespaced, { object: pod("agent-1"), exceptions: [byName] })[0]?.status).toBe("fail");
    expect(evaluateKyvernoPolicy(namespaced, { object: pod("agent-1"), exceptions: [byKey] })[0]?.status).toBe("skip");
  });

  it("a rule whose preconditions fail stays a plain precondition skip, as Kyverno checks them first", () => {
    const network = valid(AGENT_PORTS.replace("[host-ports-none, autogen-host-ports-none]", "[host-network]"));
    const outcome = evaluateKyvernoPolicy(policy(), { object: pod("agent-1", { labels: { mesh: "on" } }), exceptions: [network] }).find(
      (o) => o.rule === "host-network",
    );
    expect(outcome).toMatchObject({ status: "skip", message: expect.stringMatching(/^preconditions not met/) });
    expect(outcome?.excepted).toBeUndefined();
  });
});

describe("PolicyException in the check's findings", () => {
  const POD = HOST_PORT_POD;
  const EXCEPTION = `apiVersion: kyverno.io/v2\nkind: PolicyException\nmetadata:\n  name: legacy-agent\n  namespace: kyverno\nspec:\n${AGENT_PORTS}`;

  it("an excepted violation is a notice at the field's line, naming the PolicyException; the result is skip", () => {
    const loaded = loadManifests({
      files: [
        { path: "apps/agent.yaml", text: POD },
        { path: "apps/agent-exception.yaml", text: EXCEPTION },
      ],
    });
    const collected = collectPolicyExceptions(loaded.manifests);
    expect(collected.problems).toEqual([]);
    const policies = loadPolicies({ files: [{ path: "p/host-ports.yaml", text: HOST_PORTS }] });
    const result = evaluatePolicies({
      policies: policies.policies,
      manifests: loaded.manifests,
      exceptions: collected.exceptions,
      results: true,
    });
    expect(result.findings).toEqual([
      {
        policy: "disallow-host-ports",
        rule: "host-ports-none",
        severity: "notice",
        file: "apps/agent.yaml",
        line: 12,
        column: 11,
        path: "spec.containers[0].ports[0].hostPort",
        message: 'Excepted by PolicyException kyverno/legacy-agent: Pod "agent-1": Use of host ports is disallowed.',
        exception: "PolicyException kyverno/legacy-agent",
      },
    ]);
    expect(result.results.find((r) => r.rule === "host-ports-none")).toMatchObject({
      status: "skip",
      exceptions: ["kyverno/legacy-agent"],
    });
  });

  it("PolicyExceptions kept in the policy folder are loaded with the policies", () => {
    const loaded = loadPolicies({
      files: [
        { path: "p/host-ports.yaml", text: HOST_PORTS },
        { path: "p/exceptions/agent.yaml", text: EXCEPTION },
      ],
    });
    expect(loaded.problems).toEqual([]);
    expect(loaded.exceptions.map((e) => e.key)).toEqual(["kyverno/legacy-agent"]);
  });
});
