import type { BotConfig } from "../config/bot-config.schema.js";
import { problem, type Problem } from "../problems.js";
import { resolveRequestPaths } from "../render/render-request.js";
import { codeSpan } from "../report/markdown.js";
import type { StoredRequest } from "../request/stored-request.js";
import { isApplicationCandidate } from "./find-application-candidates.js";

/**
 * Why Argo CD's statuses cannot be followed for this request, or null when they can. A status names
 * only the Application, and the bot finds its file by that name (find-application-candidates): when
 * the configured layout puts the file where that lookup cannot see it, waiting would never end, so
 * the merge closes the issue and says why. The name checked is the built-in template's
 * (`{team}-{name}-{environment}`).
 */
export function layoutProblem(params: { stored: StoredRequest; config: BotConfig }): Problem | null {
  const { values, template } = params.stored.request;
  const application = `${values.team ?? ""}-${values.name ?? ""}-${values.environment ?? ""}`;
  const path = resolveRequestPaths({ config: params.config, template, values }).application;
  if (isApplicationCandidate(application, path)) return null;
  return problem("argocd.layout-not-followed", `Argo CD's statuses for ${codeSpan(application, 200)} cannot be followed: its Application file ${codeSpan(path, 300)} is not named after it, so this issue closed at the merge.`, {
    severity: "warning",
    hint: "Set `gitops.applicationPath` so that the file is `<Application name>.yaml`, or `{environment}/{team}-{name}.yaml` in any folder (docs/github-app.md, Argo CD Notifications).",
  });
}
