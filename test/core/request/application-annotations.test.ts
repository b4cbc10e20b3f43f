import { describe, expect, it } from "vitest";
import {
  applicationAnnotations,
  formatIssueRef,
  parseApplicationAnnotations,
  parseIssueRef,
  REQUEST_ISSUE_ANNOTATION,
  TEMPLATE_ANNOTATION,
} from "../../../src/core/request/application-annotations.js";

const application = (annotations: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: payments-checkout-dev
  namespace: argocd
  annotations:
${annotations}
spec:
  project: default
`;

describe("issue references", () => {
  it("round-trips owner/repo#number", () => {
    expect(parseIssueRef(formatIssueRef({ repository: "acme/requests", number: 42 }))).toEqual({ repository: "acme/requests", number: 42 });
    expect(parseIssueRef("my.org/re_po-1#7")).toEqual({ repository: "my.org/re_po-1", number: 7 });
  });

  it.each([
    "acme/requests",
    "acme#1",
    "acme/requests#0",
    "acme/requests#01",
    "acme/requests#-1",
    "a/b/c#1",
    "acme/re quests#1",
    "../x#1",
    "acme/..#1",
    "acme/requests#99999999999",
    "acme/requests#1\n#2",
  ])("refuses %j", (text) => expect(parseIssueRef(text)).toBeNull());

  it("trims surrounding whitespace only", () => {
    expect(parseIssueRef(" acme/requests#1\n")).toEqual({ repository: "acme/requests", number: 1 });
  });
});

describe("applicationAnnotations", () => {
  it("names the template, and the request issue when there is one", () => {
    expect(applicationAnnotations({ template: "web-service" })).toEqual({ [TEMPLATE_ANNOTATION]: "web-service" });
    expect(applicationAnnotations({ template: "web-service", requestIssue: { repository: "acme/requests", number: 42 } })).toEqual({
      [TEMPLATE_ANNOTATION]: "web-service",
      [REQUEST_ISSUE_ANNOTATION]: "acme/requests#42",
    });
  });
});

describe("parseApplicationAnnotations", () => {
  it("reads the name and the identity annotations back", () => {
    const text = application(`    gitops-bot.dev/template: web-service\n    gitops-bot.dev/request-issue: acme/requests#42`);
    expect(parseApplicationAnnotations(text)).toEqual({
      name: "payments-checkout-dev",
      namespace: "argocd",
      template: "web-service",
      requestIssue: { repository: "acme/requests", number: 42 },
    });
  });

  it("reads an Application the bot did not make as one without identity", () => {
    expect(parseApplicationAnnotations(application(`    team: payments`))).toMatchObject({
      name: "payments-checkout-dev",
      template: null,
      requestIssue: null,
    });
  });

  it.each([
    ["a malformed issue", `    gitops-bot.dev/request-issue: "acme/requests#42 and more"`],
    ["a number instead of text", `    gitops-bot.dev/request-issue: 42`],
    ["a list", `    gitops-bot.dev/request-issue: [acme/requests#42]`],
  ])("reads %s as no request issue", (_, line) => {
    expect(parseApplicationAnnotations(application(line))?.requestIssue).toBeNull();
  });

  it.each([
    ["another kind", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"],
    ["another API group", "apiVersion: example.com/v1\nkind: Application\nmetadata:\n  name: x\n"],
    ["no name", "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {}\n"],
    ["two documents", `${application("    a: b")}---\n${application("    a: b")}`],
    ["broken YAML", "kind: Application\n  metadata: [\n"],
    ["a list", "- kind: Application\n"],
    ["an alias bomb", "a: &a [1]\nb: *a\nkind: Application\n"],
    ["an oversized file", `${application("    a: b")}# ${"x".repeat(70 * 1024)}\n`],
  ])("is null for %s", (_, text) => {
    expect(parseApplicationAnnotations(text)).toBeNull();
  });
});
