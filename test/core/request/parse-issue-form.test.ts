import { readdirSync, readFileSync } from "node:fs";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { BotConfigSchema, DEFAULT_FORM_FIELDS } from "../../../src/core/config/bot-config.schema.js";
import { hasFormHeadings, parseIssueForm } from "../../../src/core/request/parse-issue-form.js";

const FIXTURES = new URL("../../fixtures/issue-forms/", import.meta.url);
const cases = readdirSync(FIXTURES).sort();

describe("parseIssueForm (golden files: test/fixtures/issue-forms/<case>/{body.md,expected.json})", () => {
  it.each(cases)("%s", (name) => {
    const body = readFileSync(new URL(`${name}/body.md`, FIXTURES), "utf8");
    const expected = JSON.parse(readFileSync(new URL(`${name}/expected.json`, FIXTURES), "utf8")) as {
      request: unknown;
      problems: string[];
    };
    const parsed = parseIssueForm({ body, fields: DEFAULT_FORM_FIELDS, valuesField: "Other values" });
    expect(parsed.request).toEqual(expected.request);
    expect(parsed.problems.map((p) => p.code)).toEqual(expected.problems);
  });

  it("tells a form body from a plain issue", () => {
    expect(hasFormHeadings(readFileSync(new URL("web-service-complete/body.md", FIXTURES), "utf8"), DEFAULT_FORM_FIELDS)).toBe(true);
    expect(hasFormHeadings("### Steps to reproduce\n\n1. run", DEFAULT_FORM_FIELDS)).toBe(false);
  });
});

describe("the shipped issue form and the shipped config agree", () => {
  const root = new URL("../../../examples/request-repo/.github/", import.meta.url);
  const form = load(readFileSync(new URL("ISSUE_TEMPLATE/request-infrastructure.yml", root), "utf8")) as {
    labels: string[];
    body: { type: string; id?: string; attributes: { label?: string; options?: string[] } }[];
  };
  const config = BotConfigSchema.parse(load(readFileSync(new URL("gitops-bot.yml", root), "utf8")));

  it("labels every form issue with the request label", () => {
    expect(form.labels).toContain(config.issueForm.label);
  });

  it("maps every field label of the form to a request field, and nothing else", () => {
    const labels = form.body.filter((f) => f.type !== "markdown").map((f) => f.attributes.label);
    expect(labels.sort()).toEqual([...Object.keys(config.issueForm.fields), config.issueForm.valuesField].sort());
    // The form's ids name the same fields, so the form stays readable next to the config.
    for (const field of form.body.filter((f) => f.type !== "markdown" && f.attributes.label !== config.issueForm.valuesField)) {
      expect(config.issueForm.fields[field.attributes.label ?? ""]).toBe(field.id);
    }
  });

  it("offers exactly the configured environments", () => {
    const environments = form.body.find((f) => f.id === "environment")?.attributes.options;
    expect(environments?.sort()).toEqual(Object.keys(config.environments).sort());
  });
});
