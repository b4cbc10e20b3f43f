import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadManifests } from "../../../src/core/manifests/load-manifests.js";
import { evaluatePolicies, findingFromProblem, sortFindings } from "../../../src/core/policy/evaluate.js";
import { loadPolicies } from "../../../src/core/policy/load-policies.js";
import type { Finding } from "../../../src/core/policy/types.js";

const POLICIES_DIR = fileURLToPath(new URL("../../../policies/", import.meta.url));

/** Every file under the project's policies/ folder, as the path -> text list loadPolicies takes. */
function defaultPolicyFiles(): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push({ path: path.relative(POLICIES_DIR, full).split(path.sep).join("/"), text: readFileSync(full, "utf8") });
    }
  };
  walk(POLICIES_DIR);
  return out;
}

const defaults = loadPolicies({ files: defaultPolicyFiles() });

function manifests(files: Record<string, string>) {
  const loaded = loadManifests({ files: Object.entries(files).map(([p, text]) => ({ path: p, text })) });
  expect(loaded.problems).toEqual([]);
  return loaded.manifests;
}

const BAD_DEPLOYMENT = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  LOG_LEVEL: info
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop-prod
spec:
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata:
      labels: { app: web }
    spec:
      securityContext: { runAsNonRoot: true }
      containers:
        - name: app
          image: registry.example.com/web:1.2.3
          securityContext: { privileged: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true }
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { memory: 128Mi }
          readinessProbe: { httpGet: { path: /readyz, port: 8080 } }
          livenessProbe: { httpGet: { path: /healthz, port: 8080 } }
`;

describe("loadPolicies", () => {
  it("loads every default policy and the platform configuration, without problems", () => {
    expect(defaults.problems).toEqual([]);
    expect(defaults.policies.map((p) => p.policy.name).sort()).toEqual([
      "disallow-added-capabilities",
      "disallow-anonymous-bindings",
      "disallow-host-namespaces",
      "disallow-host-path",
      "disallow-host-ports",
      "disallow-latest-tag",
      "disallow-privilege-escalation",
      "disallow-privileged-containers",
      "disallow-secrets-in-env",
      "require-ingress-tls",
      "require-probes",
      "require-production-replicas",
      "require-read-only-root-filesystem",
      "require-requests-limits",
      "require-run-as-non-root",
      "restrict-rbac",
    ]);
    expect(defaults.platformFile).toBe("platform.yaml");
    expect(defaults.policies.map((p) => p.file)).not.toContainEqual(expect.stringContaining(".kyverno-test"));
  });

  it("lets a later policy with the same name replace an earlier one", () => {
    const override = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: { name: require-probes }
spec:
  validationFailureAction: Audit
  rules:
    - name: readiness-only
      match: { any: [{ resources: { kinds: [Pod] } }] }
      validate:
        message: readiness probe please
        pattern: { spec: { containers: [{ readinessProbe: { "=(periodSeconds)": ">0" } }] } }
`;
    const loaded = loadPolicies({ files: [...defaultPolicyFiles(), { path: "repo/policies/probes.yaml", text: override }] });
    const probes = loaded.policies.filter((p) => p.policy.name === "require-probes");
    expect(probes.map((p) => p.file)).toEqual(["repo/policies/probes.yaml"]);
    expect(loaded.policies).toHaveLength(16);
  });

  it("reports documents that are not policies, and unsupported features, at their line", () => {
    const text = `apiVersion: v1
kind: ConfigMap
metadata: { name: stray }
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: { name: add-labels }
spec:
  rules:
    - name: add-team
      match: { any: [{ resources: { kinds: [Pod] } }] }
      mutate:
        patchStrategicMerge: { metadata: { labels: { team: x } } }
`;
    const loaded = loadPolicies({ files: [{ path: "policies/mixed.yaml", text }] });
    expect(loaded.problems[0]).toEqual(
      expect.objectContaining({ code: "policy.not-a-policy", severity: "warning", file: "policies/mixed.yaml", line: 1, column: 1 }),
    );
    const unsupported = loaded.problems.slice(1);
    expect(unsupported.length).toBeGreaterThan(0);
    for (const found of unsupported) {
      expect(found.file).toBe("policies/mixed.yaml");
      expect(found.line).toBeGreaterThanOrEqual(5);
    }
  });

  it("reports a broken PlatformConfig with its position", () => {
    const text = "apiVersion: gitops-bot.dev/v1alpha1\nkind: PlatformConfig\nrules:\n  teamQuota: { severity: fatal }\n";
    const loaded = loadPolicies({ files: [{ path: "policies/platform.yaml", text }] });
    expect(loaded.platform).toBeUndefined();
    expect(loaded.problems).toEqual([
      expect.objectContaining({ code: "platform-config.invalid", line: 4, path: "rules.teamQuota.severity" }),
    ]);
  });
});

describe("evaluatePolicies", () => {
  const evaluate = (files: Record<string, string>, extra: Partial<Parameters<typeof evaluatePolicies>[0]> = {}) =>
    evaluatePolicies({
      policies: defaults.policies,
      manifests: manifests(files),
      ...(defaults.platform ? { platform: defaults.platform } : {}),
      ...extra,
      results: true,
    });

  it("turns a failing autogen rule into one finding at the offending field, under the rule the author wrote", () => {
    const { findings, results, problems } = evaluate({ "apps/shop/web.yaml": BAD_DEPLOYMENT });
    expect(problems).toEqual([]);
    expect(findings).toEqual([
      expect.objectContaining({ policy: "platform", rule: "require-pdb", line: 11, column: 3 }),
      {
        policy: "disallow-privileged-containers",
        rule: "privileged-containers",
        severity: "error",
        file: "apps/shop/web.yaml",
        line: 24,
        column: 30,
        path: "spec.template.spec.containers[0].securityContext.privileged",
        message:
          'Deployment "web": Privileged mode is not allowed: remove securityContext.privileged or set it to false on every container.',
      },
    ]);
    expect(results).toContainEqual(
      expect.objectContaining({
        policy: "disallow-privileged-containers",
        rule: "autogen-privileged-containers",
        status: "fail",
        kind: "Deployment",
        name: "web",
        namespace: "shop-prod",
        documentIndex: 1,
      }),
    );
    expect(results.filter((r) => r.kind === "ConfigMap")).toEqual([]);
  });

  it("keeps no rule results unless asked, and finds the same either way", () => {
    const files = { "a.yaml": BAD_DEPLOYMENT };
    const plain = evaluatePolicies({
      policies: defaults.policies,
      manifests: manifests(files),
      ...(defaults.platform ? { platform: defaults.platform } : {}),
    });
    expect(plain.results).toBeUndefined();
    expect("results" in plain).toBe(false);
    const asked = evaluate(files);
    expect(plain.findings).toEqual(asked.findings);
    expect(plain.problems).toEqual(asked.problems);
    expect(asked.results.length).toBeGreaterThan(0);
  });

  it("writes the results out once, in the engine's order, passes and failures alike", () => {
    const evaluation = evaluate({
      "a.yaml": BAD_DEPLOYMENT,
      "b.yaml": BAD_DEPLOYMENT.replace("name: web\n  namespace", "name: api\n  namespace"),
    });
    const results = evaluation.results;
    expect(evaluation.results).toBe(results);
    expect(results.map((r) => r.file)).toEqual([...results.map((r) => r.file)].sort());
    const privileged = results.filter((r) => r.rule === "autogen-privileged-containers");
    expect(privileged.map((r) => `${r.file} ${r.name} ${r.status}`)).toEqual(["a.yaml web fail", "b.yaml api fail"]);
    const passes = results.filter((r) => r.status === "pass");
    expect(passes.length).toBeGreaterThan(0);
    // A pass is written with its own resource, not the first one that passed the rule.
    for (const pass of passes) expect(pass.name).toBe(pass.file === "a.yaml" ? "web" : "api");
  });

  it("points at the parent when a required field is missing, and takes the policy's severity", () => {
    const text = BAD_DEPLOYMENT.replace("          readinessProbe: { httpGet: { path: /readyz, port: 8080 } }\n", "");
    const { findings } = evaluate({ "web.yaml": text });
    const probes = findings.find((f) => f.policy === "require-probes");
    expect(probes).toEqual(
      expect.objectContaining({ severity: "warning", line: 22, column: 11, path: "spec.template.spec.containers[0].readinessProbe" }),
    );
  });

  it("points a deny rule's finding at the field its policy names in gitops-bot.dev/finding-paths", () => {
    const role =
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: all\nrules:\n  - apiGroups: ['*']\n    resources: ['*']\n    verbs: [get]\n";
    expect(evaluate({ "role.yaml": role }).findings).toEqual([
      expect.objectContaining({ policy: "restrict-rbac", rule: "no-wildcard-permissions", line: 5, column: 1, path: "rules" }),
    ]);
  });

  it("judges only the changed files but keeps every manifest as context", () => {
    const files = { "a.yaml": BAD_DEPLOYMENT, "b.yaml": BAD_DEPLOYMENT.replace("name: web\n  namespace", "name: api\n  namespace") };
    const { findings, results } = evaluate(files, { facts: { files: Object.keys(files), changedFiles: ["b.yaml"] } });
    expect(new Set(findings.map((f) => f.file))).toEqual(new Set(["b.yaml"]));
    expect(new Set(results.map((r) => r.file))).toEqual(new Set(["b.yaml"]));
  });

  it("runs the platform rules only with a platform configuration", () => {
    const cron = "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: { name: nightly }\nspec: {}\n";
    expect(evaluate({ "c.yaml": cron }).findings.map((f) => `${f.policy}/${f.rule}`)).toEqual(["platform/deprecated-api"]);
    const without = evaluatePolicies({ policies: defaults.policies, manifests: manifests({ "c.yaml": cron }) });
    expect(without.findings).toEqual([]);
  });
});

describe("finding helpers", () => {
  it("turns a problem into a finding under the bot's own policy", () => {
    expect(
      findingFromProblem({
        code: "yaml.syntax",
        message: "Bad indentation.",
        severity: "error",
        file: "x.yaml",
        line: 3,
        column: 4,
        hint: "Fix it.",
      }),
    ).toEqual({
      policy: "gitops-bot",
      rule: "yaml.syntax",
      severity: "error",
      file: "x.yaml",
      line: 3,
      column: 4,
      path: "",
      message: "Bad indentation.",
      hint: "Fix it.",
    });
  });

  it("gives each finding its own message when one rule's messages alternate between objects", () => {
    const policy = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: { name: named-teams }
spec:
  rules:
    - name: team-label
      match: { any: [{ resources: { kinds: [ConfigMap] } }] }
      validate:
        message: "{{ request.object.metadata.name }} needs a team label"
        pattern: { metadata: { labels: { team: "?*" } } }
`;
    const loaded = loadPolicies({ files: [{ path: "policies/teams.yaml", text: policy }] });
    // One name makes the message longer than the messages kept cleaned, and it comes twice.
    const long = "x".repeat(2_100);
    const names = ["a", "b", "a", "c", long, "c", "b", long];
    const text = names.map((name, at) => `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name}, namespace: n${at} }\n`).join("---\n");
    const { findings } = evaluatePolicies({ policies: loaded.policies, manifests: manifests({ "cms.yaml": text }) });
    expect(findings.map((finding) => finding.message)).toEqual(names.map((name) => `ConfigMap "${name}": ${name} needs a team label.`));
  });

  it("sorts by file, line and column", () => {
    const f = (file: string, line: number, column: number): Finding => ({
      policy: "p",
      rule: "r",
      severity: "error",
      file,
      line,
      column,
      path: "",
      message: "m",
    });
    expect(sortFindings([f("b", 1, 1), f("a", 9, 1), f("a", 2, 7), f("a", 2, 3)]).map((x) => `${x.file}:${x.line}:${x.column}`)).toEqual([
      "a:2:3",
      "a:2:7",
      "a:9:1",
      "b:1:1",
    ]);
  });
});
