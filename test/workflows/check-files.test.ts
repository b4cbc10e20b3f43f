import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkFiles } from "../../src/workflows/check-files.js";
import type { FileSource } from "../../src/ports.js";
import { readPolicies } from "../../src/workflows/read-policies.js";

const POLICIES_DIR = fileURLToPath(new URL("../../policies/", import.meta.url));

function memorySource(files: Record<string, string>): FileSource & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    listFiles: async () => Object.keys(files),
    readFile: async (file) => {
      reads.push(file);
      return files[file] ?? null;
    },
  };
}

function defaultPolicies(): FileSource {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files[path.relative(POLICIES_DIR, full).split(path.sep).join("/")] = readFileSync(full, "utf8");
    }
  };
  walk(POLICIES_DIR);
  return memorySource(files);
}

const deployment = (name: string, namespace: string, image = "registry.example.com/app:1.0.0") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  replicas: 1
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      securityContext: { runAsNonRoot: true }
      containers:
        - name: app
          image: ${image}
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true }
          resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { memory: 64Mi } }
`;

const repoPolicy = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: { name: require-probes }
spec:
  validationFailureAction: Audit
  rules:
    - name: probes-off
      match: { any: [{ resources: { kinds: [ConfigMap] } }] }
      validate:
        message: never fails
        pattern: { metadata: { name: "?*" } }
`;

describe("checkFiles (the pull request check)", () => {
  it("judges only the changed files, with the repository's own policies overriding the defaults", async () => {
    const repo = memorySource({
      "apps/shop/web.yaml": deployment("web", "shop", "nginx:latest"),
      "apps/shop/api.yaml": deployment("api", "shop", "nginx:latest"),
      "apps/shop/broken.yaml": "kind: [",
      "policies/require-probes.yaml": repoPolicy,
      "policies/.kyverno-test/resource.yaml": "kind: [",
      ".github/workflows/ci.yaml": "on: push\n",
    });
    const result = await checkFiles({
      source: repo,
      policies: await readPolicies({
        sources: [
          { source: defaultPolicies(), folder: "" },
          { source: repo, folder: "policies" },
        ],
      }),
      changedFiles: ["apps/shop/web.yaml"],
      authorTeams: ["shop"],
    });
    expect(result.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.policy}/${f.rule}`)).toEqual([
      "apps/shop/web.yaml:15:11 disallow-latest-tag/disallow-latest-tag",
    ]);
    expect(result.checkedFiles).toEqual(["apps/shop/web.yaml"]);
    // The repository's require-probes replaced the default one, so missing probes are not reported.
    expect(result.policies.find((p) => p.policy.name === "require-probes")?.file).toBe("policies/require-probes.yaml");
    expect(result.platform?.rules.deprecatedApis.kubernetesVersion).toBe("1.31");
    expect(repo.reads).not.toContain("policies/.kyverno-test/resource.yaml");
    // Loading and judging are apart: the policy file was read once, by readPolicies, never by the judging.
    expect(repo.reads.filter((file) => file === "policies/require-probes.yaml")).toEqual(["policies/require-probes.yaml"]);
    // Argo CD reads hidden folders: so does the check (a workflow holds no Kubernetes object and is not judged).
    expect(repo.reads).toContain(".github/workflows/ci.yaml");
  });

  it("keeps the rule results of the judged files only when asked for them", async () => {
    const repo = memorySource({ "apps/shop/web.yaml": deployment("web", "shop", "nginx:latest") });
    const policies = await readPolicies({ sources: [{ source: defaultPolicies(), folder: "" }] });
    const plain = await checkFiles({ source: repo, policies });
    expect(plain.results).toBeUndefined();
    const asked = await checkFiles({ source: repo, policies, results: true });
    expect(asked.findings).toEqual(plain.findings);
    expect(asked.results.find((r) => r.policy === "disallow-latest-tag" && r.status === "fail")).toMatchObject({
      file: "apps/shop/web.yaml",
      kind: "Deployment",
      name: "web",
    });
    // Enumerable like the other fields, so a copy of the result keeps them.
    expect({ ...asked }.results).toBe(asked.results);
  });

  it("reports a team changing another team's files, and YAML problems in changed files", async () => {
    const repo = memorySource({
      "apps/payments/ledger.yaml": deployment("ledger", "payments"),
      "apps/payments/bad.yaml": "apiVersion: v1\nkind: Pod\nmetadata: [",
    });
    const result = await checkFiles({
      source: repo,
      policies: await readPolicies({ sources: [{ source: defaultPolicies(), folder: "" }] }),
      changedFiles: ["apps/payments/ledger.yaml", "apps/payments/bad.yaml"],
      authorTeams: ["shop"],
    });
    expect(result.findings.map((f) => `${f.file}:${f.line} ${f.policy}/${f.rule} ${f.severity}`)).toEqual([
      "apps/payments/bad.yaml:1 platform/namespace-ownership error",
      "apps/payments/bad.yaml:3 gitops-bot/yaml.syntax error",
      "apps/payments/ledger.yaml:1 platform/namespace-ownership error",
      "apps/payments/ledger.yaml:5 platform/namespace-ownership error",
      "apps/payments/ledger.yaml:14 require-probes/probes warning",
    ]);
  });

  it("reads manifests within the platform configuration's yamlLimits", async () => {
    const platform = `apiVersion: gitops-bot.dev/v1alpha1
kind: PlatformConfig
yamlLimits: { maxBytes: 600, maxAliases: 0 }
`;
    const repo = memorySource({
      "apps/payments/ledger.yaml": deployment("ledger", "payments"),
      "apps/payments/big.yaml": `${deployment("big", "payments")}# ${"x".repeat(600)}\n`,
      "apps/payments/alias.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a, namespace: payments }\ndata: { a: &v x, b: *v }\n",
    });
    const result = await checkFiles({
      source: repo,
      policies: await readPolicies({ sources: [{ source: memorySource({ "platform.yaml": platform }), folder: "" }] }),
    });
    expect(result.findings.map((f) => `${f.file}:${f.line} ${f.rule}`)).toEqual([
      "apps/payments/alias.yaml:4 yaml.too-many-aliases",
      "apps/payments/big.yaml:1 yaml.too-large",
    ]);
  });

  it("describes every rule for SARIF, the platform rules included", async () => {
    const result = await checkFiles({
      source: memorySource({}),
      policies: await readPolicies({ sources: [{ source: defaultPolicies(), folder: "" }] }),
    });
    expect(result.findings).toEqual([]);
    expect(result.ruleDescriptions["disallow-host-path/host-path"]).toBe("Disallow hostPath volumes (host-path)");
    expect(result.ruleDescriptions["platform/team-quota"]).toBe("A team's total requests across the repository stay within its quota");
  });
});
