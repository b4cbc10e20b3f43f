import { describe, expect, it } from "vitest";
import { BotConfigSchema } from "../../../src/core/config/bot-config.schema.js";
import { resolveRequestPaths } from "../../../src/core/render/render-request.js";
import { checkDeprovisionFound, checkDeprovisionIdentity } from "../../../src/core/request/check-deprovision.js";
import { checkResizeTarget } from "../../../src/core/request/check-resize-target.js";
import { checkTemplateAllowed } from "../../../src/core/request/check-template-allowed.js";
import { aProvisionRequest } from "../../helpers/requests.js";

const config = BotConfigSchema.parse({ templates: ["web-service", "worker"] });
const paths = resolveRequestPaths({ config, template: "web-service", values: aProvisionRequest().values });

describe("checkTemplateAllowed", () => {
  it("allows every template without a list, and the listed ones with one", () => {
    expect(checkTemplateAllowed({ template: "cron-job", config: BotConfigSchema.parse({}) })).toBeNull();
    expect(checkTemplateAllowed({ template: "worker", config })).toBeNull();
  });

  it("refuses another template, naming the allowed ones; the template is quoted, never Markdown", () => {
    expect(checkTemplateAllowed({ template: "cron-job", config })).toEqual({
      code: "request.template-not-allowed",
      severity: "error",
      message: "Template `cron-job` may not be requested from this repository.",
      hint: "Allowed here: `web-service`, `worker` (`templates` in .github/gitops-bot.yml).",
    });
    expect(checkTemplateAllowed({ template: "a`b\n# x", config })?.message).toBe(
      "Template ``a`b # x`` may not be requested from this repository.",
    );
  });
});

describe("checkDeprovisionIdentity", () => {
  it("accepts a request whose identity is valid, whatever its template says about values", () => {
    expect(checkDeprovisionIdentity({ request: aProvisionRequest({ action: "deprovision", values: { image: "" } }), config })).toEqual([]);
  });

  it.each([
    ["a template that is no DNS label", { template: "Web_Service" }, "request.unknown-template"],
    ["an unknown environment", { values: { environment: "qa" } }, "request.unknown-environment"],
  ])("refuses %s", (_, patch, code) => {
    expect(
      checkDeprovisionIdentity({ request: aProvisionRequest({ action: "deprovision", ...patch }), config }).map((p) => p.code),
    ).toEqual([code]);
  });
});

describe("checkDeprovisionFound and checkResizeTarget", () => {
  it("a deprovision with nothing to delete says which paths are missing", () => {
    expect(checkDeprovisionFound({ paths, baseBranch: "main", changesetEmpty: false })).toBeNull();
    expect(checkDeprovisionFound({ paths, baseBranch: "main", changesetEmpty: true })).toMatchObject({
      code: "request.nothing-to-deprovision",
      message: `Nothing to deprovision: \`${paths.manifests}\` and \`${paths.application}\` do not exist on \`main\`.`,
    });
  });

  it("a resize needs the service provisioned, or its pull request still open", () => {
    const values = aProvisionRequest().values;
    expect(checkResizeTarget({ values, paths, baseBranch: "main", applicationExists: true, pending: false })).toBeNull();
    expect(checkResizeTarget({ values, paths, baseBranch: "main", applicationExists: false, pending: true })).toBeNull();
    expect(checkResizeTarget({ values, paths, baseBranch: "main", applicationExists: false, pending: false })).toMatchObject({
      code: "request.not-provisioned",
      message: `There is nothing to resize: \`payments/checkout\` in \`dev\` was never provisioned (\`${paths.application}\` is not on \`main\`).`,
    });
  });
});
