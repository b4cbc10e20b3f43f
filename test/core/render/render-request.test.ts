import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { renderRequest } from "../../../src/core/render/render-request.js";
import type { ProvisionRequest } from "../../../src/core/request/request.js";
import { tinyCatalog, tinyConfig } from "../../helpers/tiny-catalog.js";
import { aProvisionRequest } from "../../helpers/requests.js";

const catalog = tinyCatalog();
const config = tinyConfig();
const base: ProvisionRequest = aProvisionRequest({
  template: "web",
  values: { image: "ghcr.io/acme/checkout:1.2.3" },
  requester: "octocat",
});
const render = (patch: Partial<ProvisionRequest> & { values?: Record<string, string> } = {}) =>
  renderRequest({
    request: { ...base, ...patch, values: { ...base.values, ...patch.values } },
    catalog,
    config,
    repoURL: "https://github.com/acme/gitops.git",
  });
const doc = (content: string | undefined) => load(content ?? "") as Record<string, any>;

describe("renderRequest", () => {
  it("renders the size's files under the request folder plus the Argo CD Application", () => {
    const result = render();
    expect(result.problems).toEqual([]);
    expect(result.files.map((f) => f.path)).toEqual(["apps/payments/checkout/dev/deployment.yaml", "argocd/dev/payments-checkout.yaml"]);
    expect(render({ size: "medium" }).files.map((f) => f.path)).toContain("apps/payments/checkout/dev/hpa.yaml");
  });

  it("keeps the type of whole-scalar placeholders and stringifies embedded ones", () => {
    const deployment = doc(render().files[0]?.content);
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.template.spec.containers[0].ports[0].containerPort).toBe(8080);
    expect(deployment.metadata.annotations.public).toBe(false);
    expect(deployment.metadata.annotations.summary).toBe("checkout on port 8080");
    expect(deployment.metadata.annotations.alert).toBe("{{ $labels.pod }} is down");
  });

  it("renders a placeholder in a quoted scalar as a string, as the quotes ask", () => {
    const deployment = doc(render().files[0]?.content);
    // Kubernetes takes only strings as annotation values: "8080", never 8080.
    expect(deployment.metadata.annotations.port).toBe("8080");
    expect(deployment.metadata.annotations["public-text"]).toBe("false");
    expect(deployment.spec.template.spec.containers[0].resources.requests).toEqual({ cpu: "100m", memory: "64Mi" });
    expect(render().files[0]?.content).toContain("port: '8080'");
  });

  it.each([
    ["a YAML document break", "ghcr.io/a:1\nkind: Secret"],
    ["a placeholder", "${{ size.replicas }}"],
    ["a Helm-style template", "{{x}}"],
  ])("never lets a value inject structure: %s", (_, image) => {
    const template = {
      ...catalog.templates.get("web")!,
      parameters: {
        ...catalog.templates.get("web")!.parameters,
        image: { type: "string" as const, description: "", required: true, maxLength: 253 },
      },
    };
    const open = { ...catalog, templates: new Map([["web", template]]) };
    const result = renderRequest({ request: { ...base, values: { ...base.values, image } }, catalog: open, config, repoURL: "x" });
    expect(result.problems).toEqual([]);
    const deployment = doc(result.files[0]?.content);
    expect(deployment.kind).toBe("Deployment");
    expect(deployment.spec.template.spec.containers[0].image).toBe(image);
    expect(result.files[0]?.content).not.toMatch(/^kind: Secret/m);
  });

  it("names the request issue on the Application, and only there", () => {
    const issue = { repository: "acme/requests", number: 42, url: "https://github.com/acme/requests/issues/42" };
    const files = render({ issue }).files;
    const application = doc(files.find((f) => f.path.startsWith("argocd/"))?.content);
    expect(application.metadata.annotations).toMatchObject({
      "gitops-bot.dev/template": "web",
      "gitops-bot.dev/request-issue": "acme/requests#42",
    });
    for (const file of files.filter((f) => !f.path.startsWith("argocd/"))) expect(file.content).not.toContain("request-issue");
    const without = doc(render().files.find((f) => f.path.startsWith("argocd/"))?.content);
    expect(without.metadata.annotations["gitops-bot.dev/request-issue"]).toBeUndefined();
    expect(without.metadata.annotations["gitops-bot.dev/template"]).toBe("web");
  });

  it("is deterministic: the same request renders byte-identical files", () => {
    expect(render().files).toEqual(render().files);
  });

  it("adds the standard labels to every object", () => {
    for (const file of render({ size: "medium" }).files) {
      expect(doc(file.content).metadata.labels).toMatchObject({
        "app.kubernetes.io/name": "checkout",
        "app.kubernetes.io/instance": "checkout-dev",
        "app.kubernetes.io/part-of": "payments",
        "app.kubernetes.io/managed-by": "gitops-bot",
        "app.kubernetes.io/component": "web",
      });
    }
  });

  it("takes the Application's destination from the environment configuration", () => {
    const app = doc(render({ values: { environment: "prod" } }).files.at(-1)?.content);
    expect(app.spec.destination).toEqual({ server: "https://prod.example", namespace: "payments-prod" });
    expect(app.spec.source.path).toBe("apps/payments/checkout/prod");
  });

  it("asks for the reviewers of the size's approval group and of the environment", () => {
    expect(render({ size: "large" }).reviewers).toEqual(["acme/platform"]);
    expect(render({ values: { environment: "prod" } }).reviewers).toEqual(["acme/sre"]);
  });

  it.each([
    ["unknown template", { template: "nope" }, "request.unknown-template"],
    ["unknown size", { size: "huge" }, "request.unknown-size"],
    ["size above the environment's maximum", { size: "large", values: { environment: "prod" } }, "request.size-not-allowed"],
    ["unknown environment", { values: { environment: "qa" } }, "request.unknown-environment"],
    ["invalid name", { values: { name: "Check_out" } }, "request.invalid-value"],
    ["unknown parameter", { values: { colour: "blue" } }, "request.unknown-parameter"],
    ["missing image", { values: { image: "" } }, "request.missing-value"],
  ])("rejects %s and renders nothing", (_, patch, code) => {
    const result = render(patch);
    expect(result.files).toEqual([]);
    expect(result.problems.map((p) => p.code)).toContain(code);
    expect(result.problems.every((p) => p.hint || p.message.length > 0)).toBe(true);
  });

  describe("fails closed on configuration that names what does not exist", () => {
    it.each(["huge", "xlarge", "constructor"])(
      "allows no size at all where maxSize is %s, which the template does not offer",
      (maxSize) => {
        const closed = tinyConfig({
          environments: { dev: { cluster: "https://dev.example", maxSize } },
          approvals: { groups: { platform: ["acme/platform"] } },
        });
        for (const size of ["small", "large"]) {
          const result = renderRequest({ request: { ...base, size }, catalog, config: closed, repoURL: "x" });
          expect(result.files).toEqual([]);
          expect(result.problems).toEqual([
            expect.objectContaining({
              code: "config.unknown-max-size",
              file: ".github/gitops-bot.yml",
              path: "environments.dev.maxSize",
              message: `.github/gitops-bot.yml: \`environments.dev.maxSize\` is \`${maxSize}\`, which template \`web\` does not offer, so no size can be requested in \`dev\`.`,
              hint: "Ask the platform team to set it to one of small, medium, large.",
            }),
          ]);
        }
      },
    );

    it("refuses a size whose approval group the config does not define, rather than asking no one", () => {
      const result = renderRequest({ request: { ...base, size: "large" }, catalog, config: tinyConfig({ approvals: {} }), repoURL: "x" });
      expect(result.files).toEqual([]);
      expect(result.problems).toEqual([
        expect.objectContaining({ code: "config.unknown-approval-group", path: "approvals.groups.platform" }),
      ]);
      expect(render({ size: "small" }).problems).toEqual([]);
    });
  });

  const inherited = ["__proto__", "constructor", "hasOwnProperty", "toString", "valueOf", "isPrototypeOf"];

  it.each(inherited)("refuses environment=%s as an unknown environment, not an inherited one", (environment) => {
    const result = render({ values: { environment } });
    expect(result.files).toEqual([]);
    expect(result.problems).toEqual([
      expect.objectContaining({ code: "request.unknown-environment", message: `There is no environment \`${environment}\`.` }),
    ]);
  });

  it.each(inherited)("refuses size=%s as an unknown size", (size) => {
    const result = render({ size });
    expect(result.files).toEqual([]);
    expect(result.problems).toEqual([expect.objectContaining({ code: "request.unknown-size" })]);
  });

  it.each(inherited)("refuses a value %s= that is no parameter", (key) => {
    const result = render({ values: { [key]: "x" } });
    expect(result.problems.map((p) => p.code)).toEqual(["request.unknown-parameter"]);
  });

  it("collects every problem instead of stopping at the first", () => {
    const result = render({ size: "huge", values: { name: "X", colour: "blue" } });
    expect(result.problems.map((p) => p.code).sort()).toEqual([
      "request.invalid-value",
      "request.unknown-parameter",
      "request.unknown-size",
    ]);
  });
});
