import type { BotConfig } from "../../config/bot-config.schema.js";

/**
 * Who may approve an exception to a policy: its own owners when the config names them
 * (`policyExceptions.policies.<policy>`), else the default owners (`policyExceptions.owners`).
 * Logins and `org/team-slug` teams, as written.
 */
export function policyOwners(params: { config: BotConfig; policy: string }): string[] {
  const { policyExceptions } = params.config;
  return [
    ...(Object.hasOwn(policyExceptions.policies, params.policy)
      ? (policyExceptions.policies[params.policy] ?? [])
      : policyExceptions.owners),
  ];
}
