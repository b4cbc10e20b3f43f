import { commandLines } from "../../request/parse-command.js";

/** `/approve-policy <policy>[/<rule>] <reason>`, as a policy owner types it on a pull request. */
export interface ApprovePolicyCommand {
  policy: string;
  /** Omitted: every rule of the policy. */
  rule?: string;
  reason: string;
}

/** Kyverno policy and rule names: Kubernetes object names (rule names also allow spaces in Kyverno, not here). */
const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const RULE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
/** Longest reason kept: it goes into the check, a reply and a manifest annotation. */
export const MAX_REASON = 500;

/**
 * Finds `/approve-policy` at the start of a line, outside code blocks, quotes and HTML comments (the
 * same lines `/provision` is looked for on). Returns null when the comment has none; otherwise the
 * command, or a problem for the person who typed it: no policy, a malformed name, or no reason (an
 * exception without a reason leaves no audit trail worth the name).
 */
export function parseApprovePolicy(body: string): { command: ApprovePolicyCommand } | { problem: string } | null {
  const line = commandLines(body).find((l) => /^\/approve-policy(\s|$)/.test(l.text.trim()));
  if (!line) return null;
  const rest = line.text.trim().slice("/approve-policy".length).trim();
  const [target = "", ...words] = rest.split(/\s+/);
  const usage =
    "Usage: `/approve-policy <policy>[/<rule>] <reason>`, for example `/approve-policy disallow-host-ports/host-ports the node agent binds port 9100`.";
  if (target === "") return { problem: `Name the policy (and optionally its rule) and give a reason. ${usage}` };
  const [policy = "", rule, extra] = target.split("/");
  if (extra !== undefined || !NAME.test(policy) || (rule !== undefined && !RULE.test(rule))) {
    return { problem: `\`${target.slice(0, 80).replace(/`/g, "'")}\` is not a policy name or policy/rule. ${usage}` };
  }
  const reason = words.join(" ").trim();
  if (reason === "")
    return { problem: `An exception needs a reason: it is recorded with the exception for whoever reads it later. ${usage}` };
  return {
    command: {
      policy,
      ...(rule !== undefined ? { rule } : {}),
      reason: reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON)}…` : reason,
    },
  };
}
