import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { renderRequest } from "../../../src/core/render/render-request.js";
import { isRenderedApplication, parseRecordedRequest } from "../../../src/core/request/recorded-request.js";
import { SIZE_ANNOTATION, TEMPLATE_ANNOTATION, VALUES_ANNOTATION } from "../../../src/core/request/application-annotations.js";
import { tinyCatalog, tinyConfig } from "../../helpers/tiny-catalog.js";

const values = { name: "checkout", team: "payments", environment: "dev", image: "ghcr.io/acme/checkout:1.2.3", port: "9090" };
const rendered = renderRequest({
  request: { action: "provision", template: "web", size: "medium", values, requester: "octocat" },
  catalog: tinyCatalog(),
  config: tinyConfig(),
  repoURL: "https://github.com/acme/gitops.git",
});
const applicationFile = rendered.files.find((f) => f.path.startsWith("argocd/"))!;
const application = load(applicationFile.content) as { metadata: { annotations: Record<string, unknown> } };
const withAnnotations = (patch: Record<string, unknown>) => ({
  ...application,
  metadata: { ...application.metadata, annotations: { ...application.metadata.annotations, ...patch } },
});
const parse = (app: unknown) => parseRecordedRequest({ application: app, file: "argocd/dev/payments-checkout.yaml" });

describe("recorded request on the Application", () => {
  it("records template, size and the values as typed (sorted JSON) and reads them back", () => {
    expect(application.metadata.annotations[VALUES_ANNOTATION]).toBe(
      '{"environment":"dev","image":"ghcr.io/acme/checkout:1.2.3","name":"checkout","port":"9090","team":"payments"}',
    );
    expect(isRenderedApplication(application)).toBe(true);
    expect(parse(application)).toEqual({
      request: { template: "web", size: "medium", values, digest: expect.stringMatching(/^[0-9a-f]{14}$/), issue: null },
      problems: [],
    });
  });

  it("reads the request issue when it is recorded", () => {
    expect(parse(withAnnotations({ "gitops-bot.dev/request-issue": "acme/requests#12" })).request?.issue).toEqual({
      repository: "acme/requests",
      number: 12,
    });
  });

  it("says what to do when an Application was rendered before inputs were recorded", () => {
    const old = withAnnotations({});
    delete (old.metadata.annotations as Record<string, unknown>)[VALUES_ANNOTATION];
    const result = parse(old);
    expect(result.request).toBeNull();
    expect(result.problems[0]).toMatchObject({ code: "rollout.unrecorded-request", file: "argocd/dev/payments-checkout.yaml" });
    expect(result.problems[0]?.hint).toContain("gitops-bot upgrade --backfill");
  });

  it.each([
    ["values that are not JSON", { [VALUES_ANNOTATION]: "{name: x" }],
    ["values that are not text", { [VALUES_ANNOTATION]: '{"name":{"nested":true}}' }],
    ["a parameter name that is not an identifier", { [VALUES_ANNOTATION]: '{"../x":"y"}' }],
    ["a value too long", { [VALUES_ANNOTATION]: JSON.stringify({ image: "x".repeat(1001) }) }],
    ["a template that is not a DNS label", { [TEMPLATE_ANNOTATION]: "../../etc" }],
    ["a size with a slash", { [SIZE_ANNOTATION]: "small/../x" }],
    ["a size that is a number", { [SIZE_ANNOTATION]: 3 }],
    ["a request issue that is not owner/name#number", { "gitops-bot.dev/request-issue": "acme/requests#0; rm -rf" }],
  ])("refuses hand-edited annotations: %s", (_, patch) => {
    const result = parse(withAnnotations(patch));
    expect(result.request).toBeNull();
    expect(result.problems).toHaveLength(1);
  });

  it.each([null, 3, "text", [], { kind: "Application" }, { metadata: { annotations: [] } }])(
    "never throws on a document that is not an Application: %j",
    (doc) => {
      expect(parse(doc).request).toBeNull();
      expect(isRenderedApplication(doc)).toBe(false);
    },
  );
});
