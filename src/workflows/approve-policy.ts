import type { BotConfig } from "../core/config/bot-config.schema.js";
import type { ApprovePolicyCommand } from "../core/policy/approvals/parse-approve-policy.js";
import { addPolicyApproval, renderApprovedCheck, type ExceptionRecord } from "../core/policy/approvals/policy-approvals.js";
import { renderPolicyExceptions } from "../core/policy/approvals/render-policy-exceptions.js";
import { policyOwners } from "../core/policy/approvals/policy-owners.js";
import { codeSpan, mention } from "../core/report/markdown.js";
import type { ApprovePolicyPorts } from "../ports.js";

export type ApprovePolicyOutcome = "approved" | "refused";

/**
 * `/approve-policy <policy>[/<rule>] <reason>` on a pull request to the GitOps repository: a policy
 * owner excepts that policy's (or rule's) findings on the pull request's head commit.
 *
 * The owner is checked first (logins cost nothing, then one membership per team until one says
 * yes), then the Check Run of the head is re-concluded from the record it keeps, without judging
 * the repository again: at most 6 GitHub requests from the comment to the new conclusion.
 * Anything refused gets one reply saying why and who may approve; nothing is written then.
 */
export async function approvePolicy(params: {
  command: ApprovePolicyCommand | { problem: string };
  commenter: string;
  config: BotConfig;
  baseBranch: string;
  ports: ApprovePolicyPorts;
}): Promise<ApprovePolicyOutcome> {
  const { ports, commenter } = params;
  const refuse = async (text: string) => {
    await ports.reply(`${mention(commenter)} ${text}`);
    return "refused" as const;
  };
  if ("problem" in params.command) return refuse(params.command.problem);
  const command = params.command;
  const owners = policyOwners({ config: params.config, policy: command.policy });
  if (owners.length === 0) {
    return refuse(
      `Nobody may approve exceptions to ${codeSpan(command.policy)}: no policy owners are configured. The platform team names them under \`policyExceptions.owners\` (or \`policyExceptions.policies.${command.policy}\`) in \`.github/gitops-bot.yml\`.`,
    );
  }
  if (!(await isOwner({ owners, login: commenter, isTeamMember: ports.isTeamMember }))) {
    return refuse(
      `Only the owners of ${codeSpan(command.policy)} may approve an exception to it: ${owners.map(mention).join(", ")}. Ask one of them to comment \`/approve-policy\` here.`,
    );
  }
  const pr = await ports.getPullRequest();
  if (pr?.state !== "open") return refuse("This pull request is not open, so there is nothing to except.");
  if (pr.baseRef !== params.baseBranch)
    return refuse(
      `This pull request targets ${codeSpan(pr.baseRef)}, not the GitOps base branch ${codeSpan(params.baseBranch)}, so no policy check runs on it.`,
    );
  const found = await ports.findCheckRecord(pr.headSha);
  if (!found) {
    return refuse(
      `The policy check of the head commit ${codeSpan(pr.headSha.slice(0, 7))} has no record to add an exception to yet: it has not concluded, or it ran before policy owners were configured. Approve again once it has concluded (re-run it in the second case).`,
    );
  }
  const added = addPolicyApproval({
    record: found.record,
    approval: {
      policy: command.policy,
      ...(command.rule !== undefined ? { rule: command.rule } : {}),
      by: commenter,
      reason: command.reason,
    },
  });
  if ("problem" in added) return refuse(added.problem);
  await ports.concludeCheckRun(found.checkRunId, renderApprovedCheck({ summary: found.summary, record: added.record }));
  await ports.acknowledge();
  await recordInBranch({ pr, record: added.record, config: params.config, ports });
  return "approved";
}

/** Whether `login` is one of the owners: by login, else by membership, one team at a time. */
async function isOwner(params: {
  owners: readonly string[];
  login: string;
  isTeamMember: ApprovePolicyPorts["isTeamMember"];
}): Promise<boolean> {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  if (params.owners.some((owner) => !owner.includes("/") && same(owner, params.login))) return true;
  if (!params.isTeamMember) return false;
  for (const team of params.owners.filter((owner) => owner.includes("/"))) {
    if (await params.isTeamMember(team, params.login)) return true;
  }
  return false;
}

/**
 * The audit trail: the approvals in force, written as Kyverno PolicyExceptions next to their
 * resources, in one commit on top of the approved head (after the new conclusion, so the figure
 * counts only what the owner waits for). The push that this makes changes no excepted file, so
 * the approvals carry to it; the check knows the file as the App's own record by rendering it again.
 * A fork's branch is not the App's to push to, and a push meanwhile wins: then nothing is written.
 */
async function recordInBranch(params: {
  pr: { headSha: string; headRef?: string; headInRepository?: boolean };
  record: ExceptionRecord;
  config: BotConfig;
  ports: ApprovePolicyPorts;
}): Promise<void> {
  const { pr, ports } = params;
  if (!pr.headRef || pr.headInRepository === false) {
    await ports.reply(
      "The exception holds for this pull request; record it as a Kyverno PolicyException before merging (this branch is in a fork, where gitops-bot cannot write).",
    );
    return;
  }
  const namespace = params.config.policyExceptions.namespace;
  const files = renderPolicyExceptions({ approvals: params.record.approvals, ...(namespace ? { namespace } : {}) });
  if (files.length === 0) return;
  const latest = params.record.approvals.at(-1);
  const message = `Record the policy exception${latest ? ` ${latest.rule === undefined ? latest.policy : `${latest.policy}/${latest.rule}`} approved by @${latest.by}` : "s"} as Kyverno PolicyExceptions`;
  await ports.appendToBranch({ branch: pr.headRef, parent: pr.headSha, message, files });
}
