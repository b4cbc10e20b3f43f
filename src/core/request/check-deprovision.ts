import { DNS_LABEL, type BotConfig } from "../config/bot-config.schema.js";
import { own } from "../own.js";
import { problem, type Problem } from "../problems.js";
import type { RequestPaths } from "../render/render-request.js";
import { validateIdentity } from "../render/validate-values.js";
import { codeSpan } from "../report/markdown.js";
import type { ProvisionRequest } from "./request.js";

/**
 * What a deprovision is checked for before anything is read: only the request's identity (name,
 * team, environment, a template name), so it deletes what the request owns even when its template
 * has since left the catalog.
 */
export function checkDeprovisionIdentity(params: { request: ProvisionRequest; config: BotConfig }): Problem[] {
  const { request, config } = params;
  const problems = validateIdentity(request.values).problems;
  if (!DNS_LABEL.test(request.template)) {
    problems.push(
      problem("request.unknown-template", `${codeSpan(request.template, 40)} is not a template name.`, {
        path: "template",
        hint: "Template names are lowercase DNS labels such as web-service.",
      }),
    );
  }
  const environment = request.values.environment ?? "";
  if (own(config.environments, environment) === undefined) {
    problems.push(
      problem("request.unknown-environment", `There is no environment ${codeSpan(environment, 40)}.`, {
        path: "environment",
        hint: `Choose one of: ${Object.keys(config.environments).join(", ")}.`,
      }),
    );
  }
  return problems;
}

/**
 * A deprovision needs files to delete: when its changeset came out empty, neither the request's
 * folder nor its Application is on the base branch.
 */
export function checkDeprovisionFound(params: { paths: RequestPaths; baseBranch: string; changesetEmpty: boolean }): Problem | null {
  if (!params.changesetEmpty) return null;
  const { paths } = params;
  return problem(
    "request.nothing-to-deprovision",
    `Nothing to deprovision: ${codeSpan(paths.manifests, 300)} and ${codeSpan(paths.application, 300)} do not exist on ${codeSpan(params.baseBranch, 100)}.`,
    {
      hint: "Check name, team and environment; if the provision pull request is still open, close it instead.",
    },
  );
}
