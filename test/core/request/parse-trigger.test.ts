import { describe, expect, it } from "vitest";
import { BotConfigSchema } from "../../../src/core/config/bot-config.schema.js";
import { parseCommand } from "../../../src/core/request/parse-command.js";
import { parseCommentTrigger } from "../../../src/core/request/parse-comment-trigger.js";
import { parseIssueTrigger } from "../../../src/core/request/parse-issue-trigger.js";

const config = BotConfigSchema.parse({ issueForm: { label: "infra" } });
const formBody = "### Template\n\nworker\n\n### Size\n\nmedium\n\n### Name\n\njobs\n";

describe("parseIssueTrigger", () => {
  it("reads an issue with the form's label as the form", () => {
    const parsed = parseIssueTrigger({ issue: { labels: [{ name: "infra" }], body: formBody }, config });
    expect(parsed).toMatchObject({ trigger: { name: "form" }, form: { template: "worker", size: "medium", values: { name: "jobs" } } });
  });

  it.each([
    ["an issue without the label", { issue: { labels: [{ name: "bug" }], body: formBody } }, "no infra label"],
    ["another label added", { issue: { labels: [{ name: "infra" }], body: formBody }, addedLabel: "bug" }, "another label was added"],
    [
      "a label event without its label",
      { issue: { labels: [{ name: "infra" }], body: formBody }, addedLabel: "" },
      "another label was added",
    ],
  ])("skips %s", (_, read, skip) => {
    expect(parseIssueTrigger({ ...read, config })).toEqual({ skip });
  });

  it("without a config, only the default label makes a request, and the form is not read", () => {
    expect(parseIssueTrigger({ issue: { labels: [{ name: "infra" }], body: formBody }, config: null })).toEqual({
      skip: "no gitops-request label",
    });
    expect(parseIssueTrigger({ issue: { labels: [{ name: "gitops-request" }], body: formBody }, config: null })).toEqual({
      trigger: { name: "form" },
      problems: [],
      form: null,
    });
  });
});

describe("parseCommentTrigger", () => {
  it("starts from the form's answers on an issue from the form, and not elsewhere", () => {
    const command = parseCommand("/provision small");
    const onForm = parseCommentTrigger({ command, issue: { labels: [{ name: "infra" }], body: formBody }, config });
    expect(onForm).toMatchObject({ trigger: { name: "provision", size: "small" }, form: { template: "worker" } });
    expect(parseCommentTrigger({ command, issue: { labels: [], body: formBody }, config })).toMatchObject({ form: null });
    expect(parseCommentTrigger({ command, issue: { labels: [{ name: "infra" }], body: formBody }, config: null })).toMatchObject({
      form: null,
    });
  });

  it("keeps the command's problems", () => {
    const command = parseCommand("/provision small name");
    expect(command.problems.length).toBeGreaterThan(0);
    expect(parseCommentTrigger({ command, issue: { labels: [], body: null }, config })).toMatchObject({
      trigger: null,
      problems: command.problems,
    });
  });
});
