import { describe, expect, it } from "vitest";
import { evaluatePlatformRules } from "../../../../src/core/policy/platform/evaluate-platform-rules.js";
import { configOf, deploymentYaml, manifestsOf, positionOfText } from "./platform-test-helpers.js";

function check(files: Record<string, string>, options: { repoFiles?: string[]; argoCdRepoURLs?: string[] } = {}) {
  const config = configOf({ rules: { references: { severity: "warning", argoCdRepoURLs: options.argoCdRepoURLs ?? [] } } });
  return evaluatePlatformRules({
    config,
    manifests: manifestsOf(files),
    files: options.repoFiles ?? Object.keys(files),
  }).filter((f) => f.rule !== "require-pdb");
}

const web = deploymentYaml({ name: "web", namespace: "shop" });

const service = (selector: string, ports = "[{ name: http, port: 80, targetPort: 8080 }]") =>
  [
    "apiVersion: v1",
    "kind: Service",
    "metadata:",
    "  name: web",
    "  namespace: shop",
    "spec:",
    `  selector: ${selector}`,
    `  ports: ${ports}`,
  ].join("\n");

const ingress = (backend: string) =>
  [
    "apiVersion: networking.k8s.io/v1",
    "kind: Ingress",
    "metadata: { name: web, namespace: shop }",
    "spec:",
    "  rules:",
    "    - host: web.example.com",
    "      http:",
    "        paths:",
    "          - path: /",
    "            pathType: Prefix",
    "            backend:",
    "              service:",
    ...backend.split("\n").map((line) => `                ${line}`),
  ].join("\n");

describe("references", () => {
  it("accepts a Service, Ingress, HPA and PDB that all resolve", () => {
    const files = {
      "web.yaml": web,
      "svc.yaml": service("{ app: web }"),
      "ing.yaml": ingress("name: web\nport: { name: http }"),
      "ing2.yaml": ingress("name: web\nport: { number: 80 }").replace("name: web, namespace", "name: web2, namespace"),
      "hpa.yaml":
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: web, namespace: shop }\nspec:\n  scaleTargetRef: { kind: Deployment, name: web }\n  maxReplicas: 3\n",
      "pdb.yaml":
        "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: { name: web, namespace: shop }\nspec:\n  maxUnavailable: 1\n  selector:\n    matchExpressions: [{ key: app, operator: In, values: [web, api] }]\n",
    };
    expect(check(files)).toEqual([]);
  });

  it("warns at spec.selector when a Service selects no workload", () => {
    const text = service("{ app: wbe }");
    expect(check({ "web.yaml": web, "svc.yaml": text })).toEqual([
      {
        policy: "platform",
        rule: "service-selector",
        severity: "warning",
        file: "svc.yaml",
        ...positionOfText(text, "selector:"),
        path: "spec.selector",
        message: 'Service "web" selects no workload: no pod template in its namespace has the labels app=wbe.',
        hint: "Make the selector match the labels of the workload's pod template (spec.template.metadata.labels).",
      },
    ]);
  });

  it("does not resolve a Service across namespaces, and skips selector-less Services", () => {
    const other = deploymentYaml({ name: "web", namespace: "search" });
    expect(check({ "web.yaml": other, "svc.yaml": service("{ app: web }") }).map((f) => f.rule)).toEqual(["service-selector"]);
    const manual = "apiVersion: v1\nkind: Service\nmetadata: { name: db }\nspec:\n  ports: [{ port: 5432 }]\n";
    expect(check({ "svc.yaml": manual })).toEqual([]);
  });

  it("points at the Service name of an Ingress backend that does not exist", () => {
    const text = ingress("name: wbe\nport: { number: 80 }");
    const findings = check({ "web.yaml": web, "svc.yaml": service("{ app: web }"), "ing.yaml": text });
    expect(findings.map((f) => [f.rule, f.path, f.line, f.column, f.message])).toEqual([
      [
        "ingress-backend",
        "spec.rules[0].http.paths[0].backend.service.name",
        positionOfText(text, "name: wbe").line,
        positionOfText(text, "name: wbe").column,
        'Ingress "web" routes to Service "wbe", which does not exist in its namespace.',
      ],
    ]);
  });

  it("points at the port of an Ingress backend the Service does not expose", () => {
    const text = ingress("name: web\nport: { number: 8080 }");
    const findings = check({ "web.yaml": web, "svc.yaml": service("{ app: web }"), "ing.yaml": text });
    expect(findings.map((f) => [f.path, f.line, f.message])).toEqual([
      [
        "spec.rules[0].http.paths[0].backend.service.port.number",
        positionOfText(text, "port:").line,
        'Ingress "web" uses port 8080 of Service "web", which exposes 80 (http).',
      ],
    ]);
  });

  it("reads the backends of the older Ingress APIs", () => {
    const text = [
      "apiVersion: networking.k8s.io/v1beta1",
      "kind: Ingress",
      "metadata: { name: old, namespace: shop }",
      "spec:",
      "  backend: { serviceName: web, servicePort: metrics }",
    ].join("\n");
    const findings = check({ "web.yaml": web, "svc.yaml": service("{ app: web }"), "ing.yaml": text });
    expect(findings.map((f) => [f.path, f.message])).toEqual([
      ["spec.backend.servicePort", 'Ingress "old" uses port metrics of Service "web", which exposes 80 (http).'],
    ]);
  });

  it("points at scaleTargetRef.name when an HPA targets nothing", () => {
    const text =
      "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: web, namespace: shop }\nspec:\n  scaleTargetRef:\n    kind: StatefulSet\n    name: web\n  maxReplicas: 3\n";
    expect(check({ "web.yaml": web, "hpa.yaml": text }).map((f) => [f.rule, f.path, f.line, f.column])).toEqual([
      ["hpa-target", "spec.scaleTargetRef.name", 7, 5],
    ]);
  });

  it("points at spec.selector when a PDB protects nothing", () => {
    const text =
      "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: { name: web, namespace: shop }\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels: { app: api }\n";
    expect(check({ "web.yaml": web, "pdb.yaml": text })).toEqual([
      expect.objectContaining({
        rule: "pdb-target",
        line: 6,
        column: 3,
        message: 'PodDisruptionBudget "web" protects no workload: no pod template in its namespace matches app=api.',
      }),
    ]);
  });

  describe("Argo CD Applications", () => {
    const application = (path: string, repoURL = "https://github.com/acme/gitops.git") =>
      [
        "apiVersion: argoproj.io/v1alpha1",
        "kind: Application",
        "metadata: { name: shop, namespace: argocd }",
        "spec:",
        "  source:",
        `    repoURL: ${repoURL}`,
        `    path: ${path}`,
        "  destination: { server: https://kubernetes.default.svc, namespace: shop }",
      ].join("\n");

    it("accepts a path that holds files and flags one that does not", () => {
      const repoFiles = ["apps/shop/prod/web.yaml", "argocd/shop.yaml"];
      expect(check({ "argocd/shop.yaml": application("apps/shop/prod") }, { repoFiles })).toEqual([]);
      expect(check({ "argocd/shop.yaml": application("apps/shop/prod/") }, { repoFiles })).toEqual([]);
      const findings = check({ "argocd/shop.yaml": application("apps/shop/production") }, { repoFiles });
      expect(findings).toEqual([
        expect.objectContaining({
          rule: "argocd-path",
          path: "spec.source.path",
          line: 7,
          column: 5,
          message: 'Application "shop" syncs path "apps/shop/production", which does not exist in this repository.',
        }),
      ]);
    });

    it("only checks sources from this repository when its URLs are configured", () => {
      const repoFiles = ["argocd/shop.yaml"];
      const options = { repoFiles, argoCdRepoURLs: ["https://github.com/Acme/GitOps"] };
      expect(check({ "argocd/a.yaml": application("charts/x", "https://github.com/other/repo.git") }, options)).toEqual([]);
      expect(check({ "argocd/a.yaml": application("charts/x") }, options).map((f) => f.rule)).toEqual(["argocd-path"]);
    });
  });
});
