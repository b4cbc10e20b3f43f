import type { ExceptedResource, PolicyApproval } from "./policy-approvals.js";

/** Where the App keeps what an approval was for: annotations on the PolicyException it writes. */
export const APPROVAL_ANNOTATIONS = {
  by: "gitops-bot.dev/approved-by",
  reason: "gitops-bot.dev/reason",
  commit: "gitops-bot.dev/approved-at-commit",
} as const;

/** The file next to a resource's file that records the exceptions to its findings. */
export function policyExceptionPath(file: string): string {
  const slash = file.lastIndexOf("/");
  const folder = slash >= 0 ? file.slice(0, slash + 1) : "";
  const base = file.slice(slash + 1).replace(/\.(ya?ml|json)$/i, "");
  return `${folder}${base}.policy-exception.yaml`;
}

/**
 * The Kyverno PolicyExceptions (kyverno.io/v2) that record the approvals in force, one file next
 * to each resource file (`web.yaml` -> `web.policy-exception.yaml`), one document per approval and
 * file, naming the policy as Kyverno keys it (`name` for a ClusterPolicy, `namespace/name` for a
 * namespaced Policy), exactly the resources it excepts (kind, name, namespace) and the rule with its
 * autogen names (Kyverno skips autogen rules only when they are listed). Rendered from the
 * approvals alone, so the same approvals always give the same bytes: the check recognises the
 * App's own file by rendering it again. Every string is a JSON string, which YAML reads as a
 * double-quoted scalar, so no reason or name can break out of its field.
 */
export function renderPolicyExceptions(params: {
  approvals: readonly PolicyApproval[];
  namespace?: string;
}): { path: string; content: string }[] {
  const byFile = new Map<string, string[]>();
  for (const approval of params.approvals) {
    const resources = approval.resources ?? [];
    for (const file of [...new Set(resources.map((r) => r.file))].sort()) {
      const path = policyExceptionPath(file);
      const documents = byFile.get(path) ?? [];
      documents.push(
        renderDocument({
          approval,
          resources: resources.filter((r) => r.file === file),
          ...(params.namespace ? { namespace: params.namespace } : {}),
        }),
      );
      byFile.set(path, documents);
    }
  }
  return [...byFile.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([path, documents]) => ({ path, content: documents.join("---\n") }));
}

function renderDocument(params: { approval: PolicyApproval; resources: readonly ExceptedResource[]; namespace?: string }): string {
  const { approval, resources } = params;
  const q = (value: string) => JSON.stringify(value);
  const first = resources[0];
  const namespace = params.namespace ?? first?.namespace ?? "default";
  const ruleNames = approval.rule === undefined ? ["*"] : [approval.rule, `autogen-${approval.rule}`, `autogen-cronjob-${approval.rule}`];
  const name = dnsName(`${approval.policy}-${approval.rule ?? "all"}-${first?.name ?? "resources"}`);
  const kinds = [...new Set(resources.map((r) => r.kind))].sort();
  const names = [...new Set(resources.map((r) => r.name))].sort();
  const namespaces = [...new Set(resources.flatMap((r) => (r.namespace ? [r.namespace] : [])))].sort();
  const list = (values: readonly string[]) => `[${values.map(q).join(", ")}]`;
  return [
    `# Written by gitops-bot: @${approval.by} approved this exception on commit ${approval.commit.slice(0, 7)} with /approve-policy.`,
    "apiVersion: kyverno.io/v2",
    "kind: PolicyException",
    "metadata:",
    `  name: ${q(name)}`,
    `  namespace: ${q(namespace)}`,
    "  annotations:",
    `    ${APPROVAL_ANNOTATIONS.by}: ${q(approval.by)}`,
    `    ${APPROVAL_ANNOTATIONS.reason}: ${q(approval.reason)}`,
    `    ${APPROVAL_ANNOTATIONS.commit}: ${q(approval.commit)}`,
    "spec:",
    "  exceptions:",
    // Kyverno keys a namespaced Policy as `namespace/name`; a plain name would except nothing there.
    `    - policyName: ${q(approval.policyName ?? approval.policy)}`,
    `      ruleNames: ${list(ruleNames)}`,
    "  match:",
    "    any:",
    "      - resources:",
    `          kinds: ${list(kinds)}`,
    `          names: ${list(names)}`,
    ...(namespaces.length > 0 ? [`          namespaces: ${list(namespaces)}`] : []),
    "",
  ].join("\n");
}

/** A Kubernetes object name from free text: lowercase, `-` for anything else, at most 63 characters. */
function dnsName(text: string): string {
  const cleaned = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
  return cleaned.slice(0, 63).replace(/-$/, "") || "exception";
}
