import type { Catalog } from "../catalog/load-catalog.js";
import type { BotConfig } from "../config/bot-config.schema.js";
import { resolveDeprovisionReviewers } from "../render/render-request.js";
import { recordedSize } from "../request/check-request-ownership.js";
import type { StoredRequest } from "../request/stored-request.js";

/**
 * The reviewers a request's pull request needs before the bot may merge it: those the bot asked
 * for when it opened the pull request (per size, environment and the template's approval group),
 * computed by the same function. A deprovision needs the approval of the size the request has on
 * the base branch (its Application's label), as when it was asked; a template that left the
 * catalog, or an approval group no longer configured, asks the platform reviewers instead.
 */
export function requiredReviewers(params: {
  config: BotConfig;
  catalog: Catalog;
  request: StoredRequest["request"];
  /** The request's Application on the base branch (read for a deprovision only); null: absent or not read. */
  application: string | null;
}): string[] {
  const { request } = params;
  const size =
    request.action === "deprovision" && params.application !== null ? (recordedSize(params.application) ?? request.size) : request.size;
  return resolveDeprovisionReviewers({
    config: params.config,
    catalog: params.catalog,
    template: request.template,
    size,
    environment: request.values.environment ?? "",
  });
}
