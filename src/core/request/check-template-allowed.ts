import type { BotConfig } from "../config/bot-config.schema.js";
import { problem, type Problem } from "../problems.js";
import { codeSpan } from "../report/markdown.js";

/**
 * The request repository's allow-list (`templates` in its config): a template it does not list may
 * not be requested from there, whatever the catalog holds. No list allows every template.
 */
export function checkTemplateAllowed(params: { template: string; config: BotConfig }): Problem | null {
  const allowed = params.config.templates;
  if (!allowed || allowed.includes(params.template)) return null;
  return problem("request.template-not-allowed", `Template ${codeSpan(params.template, 63)} may not be requested from this repository.`, {
    hint: `Allowed here: ${allowed.map((t) => codeSpan(t, 63)).join(", ")} (\`templates\` in .github/gitops-bot.yml).`,
  });
}
