import { describe, expect, it } from "vitest";
import { loadManifests } from "../../../../src/core/manifests/load-manifests.js";
import { addPolicyApproval, applyPolicyApprovals } from "../../../../src/core/policy/approvals/policy-approvals.js";
import { renderPolicyExceptions } from "../../../../src/core/policy/approvals/render-policy-exceptions.js";
import { collectPolicyExceptions } from "../../../../src/core/policy/collect-policy-exceptions.js";
import { evaluatePolicies } from "../../../../src/core/policy/evaluate.js";
import { policyExceptionName } from "../../../../src/core/policy/kyverno/match-policy-exception.js";
import { loadPolicies } from "../../../../src/core/policy/load-policies.js";
import { HOST_PORT_POD as POD, hostPortsPolicy } from "../../../helpers/policy-exception-fixtures.js";

/**
 * The review loop end to end in the core: the check finds the violation, an owner approves it, the
 * App renders the PolicyException it commits, and the same engine (as Kyverno would) reads that
 * record back and excepts the finding. The record and the matching must agree on the policy's name.
 */
describe("the PolicyException the App records names the policy as Kyverno and the engine match it", () => {
  it.each([
    ["a ClusterPolicy", "ClusterPolicy", "disallow-host-ports"],
    ["a namespaced Policy", "Policy", "monitoring/disallow-host-ports"],
  ] as const)("%s: policyName %s, and the record excepts the finding it was written for", (_, kind, expectedName) => {
    const policies = loadPolicies({ files: [{ path: "policies/host-ports.yaml", text: hostPortsPolicy(kind) }] });
    expect(policies.problems).toEqual([]);
    const manifests = loadManifests({ files: [{ path: "apps/agent.yaml", text: POD }] }).manifests;
    const before = evaluatePolicies({ policies: policies.policies, manifests, results: true });
    expect(before.findings.map((f) => [f.rule, f.severity])).toEqual([["host-ports-none", "error"]]);

    // What the pull-request check records, with the policies' names as the workflow gives them.
    const { record } = applyPolicyApprovals({
      findings: before.findings,
      approvals: [],
      blobs: new Map([["apps/agent.yaml", "blob-1"]]),
      kyvernoPolicies: new Set(policies.policies.map((p) => p.policy.name)),
      exceptionNames: new Map(policies.policies.map((p) => [p.policy.name, policyExceptionName(p.policy)] as const)),
      headSha: "h1",
      results: before.results,
    });
    const added = addPolicyApproval({
      record,
      approval: { policy: "disallow-host-ports", rule: "host-ports-none", by: "sam", reason: "node agent" },
    });
    if (!("record" in added)) throw new Error(added.problem);

    const files = renderPolicyExceptions({ approvals: added.record.approvals });
    expect(files.map((f) => f.path)).toEqual(["apps/agent.policy-exception.yaml"]);
    expect(files[0]?.content).toContain(`    - policyName: ${JSON.stringify(expectedName)}\n`);

    // The committed record, read back from the base branch as the check (and Kyverno) reads it.
    const recorded = loadManifests({ files: files.map((f) => ({ path: f.path, text: f.content })) }).manifests;
    const exceptions = collectPolicyExceptions(recorded);
    expect(exceptions.problems).toEqual([]);
    const after = evaluatePolicies({ policies: policies.policies, manifests, exceptions: exceptions.exceptions, results: true });
    expect(after.findings.map((f) => [f.rule, f.severity])).toEqual([["host-ports-none", "notice"]]);
    expect(after.results.find((r) => r.rule === "host-ports-none")?.status).toBe("skip");
  });

  it("a plain name in a PolicyException does not except a namespaced Policy's finding (Kyverno keys it namespace/name)", () => {
    const policies = loadPolicies({ files: [{ path: "policies/host-ports.yaml", text: hostPortsPolicy("Policy") }] });
    const manifests = loadManifests({ files: [{ path: "apps/agent.yaml", text: POD }] }).manifests;
    const { record } = applyPolicyApprovals({
      findings: evaluatePolicies({ policies: policies.policies, manifests }).findings,
      approvals: [],
      blobs: new Map([["apps/agent.yaml", "blob-1"]]),
      kyvernoPolicies: new Set(["disallow-host-ports"]),
      headSha: "h1",
    });
    const added = addPolicyApproval({ record, approval: { policy: "disallow-host-ports", by: "sam", reason: "node agent" } });
    if (!("record" in added)) throw new Error(added.problem);
    const text = renderPolicyExceptions({ approvals: added.record.approvals })[0]?.content ?? "";
    const exceptions = collectPolicyExceptions(loadManifests({ files: [{ path: "x.policy-exception.yaml", text }] }).manifests);
    const after = evaluatePolicies({ policies: policies.policies, manifests, exceptions: exceptions.exceptions });
    expect(after.findings.map((f) => f.severity)).toEqual(["error"]);
  });
});
