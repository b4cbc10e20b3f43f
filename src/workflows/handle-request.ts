import { decideAccess, needsTeamCheck, type AccessFacts } from "../core/authz/decide.js";
import { checkRequestTeam, decideTeamAccess, isAdminLogin, type TeamDecision, type TeamFacts } from "../core/authz/decide-team-access.js";
import { own } from "../core/own.js";
import type { Catalog } from "../core/catalog/load-catalog.js";
import { DEFAULT_BOT_CONFIG, type BotConfig } from "../core/config/bot-config.schema.js";
import { hasErrors, type Problem, type Result } from "../core/problems.js";
import { renderHelp } from "../core/report/help-text.js";
import type { GitHubFault } from "../core/report/fault-message.js";
import { renderStatusComment, type AutomaticRetry, type StatusView } from "../core/report/status-comment.js";
import { checkTemplateAllowed } from "../core/request/check-template-allowed.js";
import { deriveRequest, type RequestTrigger } from "../core/request/derive-request.js";
import type { ProvisionRequest } from "../core/request/request.js";
import type { IssueFormRequest } from "../core/request/parse-issue-form.js";
import { parseStoredRequest, toStoredRequest, type StoredRequest } from "../core/request/stored-request.js";
import { PortProblemError, type AccessReader, type BlobHasher, type Conversation, type GitOpsPorts } from "../ports.js";
import { effectiveCatalog, runRequest } from "./run-request.js";

/** What a handler hands over: the parsed trigger and everything the request may need. */
export interface RequestEvent {
  /** The command or the issue form; null when parsing found only problems. */
  trigger: RequestTrigger | { name: "help" } | null;
  /** Problems from parsing the command or the form (warnings let the trigger run). */
  parseProblems: readonly Problem[];
  form: IssueFormRequest | null;
  actor: { login: string; type: string };
  issue: { repository: string; number: number; url: string };
}

export type HandledRequest =
  | { kind: "ignored"; reason: string }
  /** `pullRequest`: the request's pull request when one was written (created now, or updated). */
  | { kind: "answered"; view: StatusView["kind"]; body: string; pullRequest?: { created: boolean } };

type Reaction = Parameters<Conversation["react"]>[0];

/** Facts about the person, looking team memberships up only when the permission does not suffice. */
async function gatherAccess(actor: RequestEvent["actor"], access: BotConfig["access"], reader: AccessReader): Promise<AccessFacts> {
  if (actor.type === "Bot") return { login: actor.login, accountType: actor.type, permission: null };
  const permission = await reader.permissionOf(actor.login);
  const facts: AccessFacts = { login: actor.login, accountType: actor.type, permission };
  if (!needsTeamCheck(facts, access)) return facts;
  for (const team of access.teams) {
    // One membership is enough; stop asking at the first.
    if (await reader.isTeamMember(team, actor.login)) return { ...facts, memberOf: [team] };
  }
  return { ...facts, memberOf: [] };
}

/**
 * Whether the requester may act for the request's team. Asks GitHub only as far as the answer
 * needs: nothing for an unknown team or an admin named by login, then the team's GitHub teams
 * (one membership is enough), then the admin teams.
 */
async function gatherTeamDecision(params: {
  login: string;
  team: string | undefined;
  config: BotConfig;
  reader: AccessReader;
}): Promise<TeamDecision> {
  const { login, config, reader } = params;
  const unknown = checkRequestTeam({ team: params.team, config });
  if (unknown || params.team === undefined) return { kind: "unknown-team", problem: unknown ?? checkRequestTeam({ team: "", config })! };
  const team = params.team;
  const decide = (facts: Omit<TeamFacts, "login">) => decideTeamAccess({ facts: { login, ...facts }, team, config });
  if (isAdminLogin(login, config)) return decide({ isAdmin: true, memberVia: null });
  for (const githubTeam of own(config.teams, team) ?? []) {
    if (await reader.isTeamMember(githubTeam, login)) return decide({ isAdmin: false, memberVia: githubTeam });
  }
  for (const admins of config.access.admins.filter((a) => a.includes("/"))) {
    if (await reader.isTeamMember(admins, login)) return decide({ isAdmin: true, memberVia: null });
  }
  return decide({ isAdmin: false, memberVia: null });
}

/** What a request handling needs besides its event. */
export interface RequestParams {
  event: RequestEvent;
  /** The parsed `.github/gitops-bot.yml` (a repository without one is not a request repository: its events never get here). */
  config: Result<BotConfig>;
  catalog: Catalog;
  conversation: Conversation;
  access: AccessReader;
  openGitOps: (config: BotConfig, options: { branchMayExist: boolean }) => GitOpsPorts;
  hashBlob: BlobHasher;
  /** Web address of the GitHub server (https://github.com or a GHE host), for Argo CD's repoURL. */
  serverUrl: string;
  /** The GitHub request that failed and why, from a fault the shell threw (null: not GitHub's). */
  describeFault: (error: unknown) => GitHubFault | null;
  /** Whether failed events come back by themselves (the App's redelivery). */
  retry: AutomaticRetry;
}

/**
 * Handles one request event on a request issue, end to end: configuration, who may ask, the
 * request itself (through runRequest, shared with the CLI), then one status comment edited in
 * place and one reaction. Expected problems become the status comment. A fault (GitHub failed
 * even after the retries) is told on the status comment too, then thrown, so that the delivery
 * counts as failed and comes back.
 */
export async function handleRequest(params: RequestParams): Promise<HandledRequest> {
  // The request, once it is known, so that the fault report can say which request stopped.
  let request: ProvisionRequest | null = null;
  try {
    return await answerRequest(params, (known) => (request = known));
  } catch (error) {
    if (error instanceof PortProblemError) throw error;
    await reportFault({ conversation: params.conversation, fault: params.describeFault(error), retry: params.retry, request });
    throw error;
  }
}

/**
 * Tells the request issue that its handling failed, keeping what the status comment remembers.
 * Best effort: when GitHub refuses this write as well, the fault is thrown anyway by the caller.
 */
export async function reportFault(params: {
  conversation: Conversation;
  fault: GitHubFault | null;
  retry: AutomaticRetry;
  request?: ProvisionRequest | null;
}): Promise<boolean> {
  try {
    const previous = await params.conversation.readStatusComment();
    const stored = previous === null ? null : parseStoredRequest(previous);
    // No reaction: reactions add up, and the 😕 would stay beside the 🚀 of the retry that succeeds.
    await params.conversation.ensureStatusComment(
      renderStatusComment({ view: { kind: "failed", request: params.request ?? null, fault: params.fault, retry: params.retry }, stored }),
    );
    return true;
  } catch {
    return false;
  }
}

/** Writes the status comment and reacts: every answer of a request ends here. */
type Answer = (
  view: StatusView,
  reaction: Reaction,
  next?: StoredRequest | null,
  notes?: readonly Problem[],
  equivalent?: readonly StatusView[],
) => Promise<Extract<HandledRequest, { kind: "answered" }>>;

/**
 * Answers, unless the answer is already there: a status comment that says what this one would (or
 * what an `equivalent` view said when the same state was first reached) is not edited, and the
 * reaction is added only when the trigger lacks it. A redelivery of a handled request so writes
 * nothing, while the same command in a new comment still gets its reaction.
 */
function answerWith(params: {
  conversation: Conversation;
  event: RequestEvent;
  previous: string | null;
  stored: StoredRequest | null;
}): Answer {
  const { conversation, previous } = params;
  return async (view, reaction, next = params.stored, notes = [], equivalent = []) => {
    // Warnings of parsing (an unknown key the form ignored) ride along with every answer.
    const warnings = [...params.event.parseProblems.filter((p) => p.severity !== "error"), ...notes];
    const render = (shown: StatusView) => renderStatusComment({ view: shown, stored: next, notes: warnings });
    const fresh = render(view);
    const kept = previous !== null && (previous === fresh || equivalent.some((other) => render(other) === previous));
    const body = kept && previous !== null ? previous : fresh;
    await conversation.ensureStatusComment(body);
    if (!kept || !(await conversation.hasReaction(reaction))) await conversation.react(reaction);
    return { kind: "answered", view: view.kind, body };
  };
}

/**
 * The request pipeline: who asked, a valid config and trigger, `/help` or the request itself, the
 * template allow-list, the requester's team, then the write. Each step answers and stops, or hands on.
 */
async function answerRequest(params: RequestParams, known: (request: ProvisionRequest) => void): Promise<HandledRequest> {
  const { event } = params;
  // A broken config still needs an access policy, or anyone could make the bot write: use the default one.
  const config = params.config.ok ? params.config.value : null;
  const access = config?.access ?? DEFAULT_BOT_CONFIG.access;
  const decision = decideAccess({ facts: await gatherAccess(event.actor, access, params.access), access });
  if (decision.kind === "ignore") return { kind: "ignored", reason: decision.reason };

  const previous = await params.conversation.readStatusComment();
  const stored = previous === null ? null : parseStoredRequest(previous);
  const answer = answerWith({ conversation: params.conversation, event, previous, stored });
  if (decision.kind === "deny")
    return answer({ kind: "refused", requester: event.actor.login, reason: decision.reason, howToAllow: decision.howToAllow }, "-1");
  if (!config) return answer({ kind: "rejected", request: null, problems: params.config.problems }, "confused");
  if (hasErrors(event.parseProblems) || event.trigger === null)
    return answer({ kind: "rejected", request: null, problems: event.parseProblems.filter((p) => p.severity === "error") }, "confused");
  if (event.trigger.name === "help") return answerHelp({ params, config, answer });

  const derived = deriveRequest({ trigger: event.trigger, form: event.form, stored, requester: event.actor.login, issue: event.issue });
  if (!derived.request) return answer({ kind: "rejected", request: null, problems: derived.problems }, "confused");
  const request = derived.request;
  known(request);
  const notAllowed = checkTemplateAllowed({ template: request.template, config });
  if (notAllowed) return answer({ kind: "rejected", request, problems: [notAllowed] }, "confused");

  // Requests act only for their own team: members of its GitHub teams, or platform admins.
  const team = await gatherTeamDecision({ login: event.actor.login, team: request.values.team, config, reader: params.access });
  if (team.kind === "unknown-team") return answer({ kind: "rejected", request, problems: [team.problem] }, "confused");
  if (team.kind === "deny")
    return answer({ kind: "refused", requester: event.actor.login, reason: team.reason, howToAllow: team.howToAllow }, "-1");

  return publishRequest({ params, config, request, stored, answer });
}

/**
 * `/help`: the commands and what may be requested. The GitOps repository's own templates extend
 * the built-in ones, so the list is read from there; a repository that cannot be read leaves the
 * built-in list, with a warning saying so.
 */
async function answerHelp(args: { params: RequestParams; config: BotConfig; answer: Answer }): Promise<HandledRequest> {
  const { params, config } = args;
  let catalog = params.catalog;
  const notes: Problem[] = [];
  try {
    const gitops = params.openGitOps(config, { branchMayExist: false });
    const effective = await effectiveCatalog({
      builtin: params.catalog,
      tree: await gitops.repo.listFiles(),
      repo: gitops.repo,
      catalogPath: config.gitops.catalogPath,
    });
    catalog = effective.catalog;
    notes.push(...effective.problems.map((p) => ({ ...p, severity: "warning" as const })));
  } catch (error) {
    if (!(error instanceof PortProblemError)) throw error;
    notes.push({ ...error.problem, severity: "warning" });
  }
  return args.answer({ kind: "help", requester: params.event.actor.login, help: renderHelp({ config, catalog }) }, "+1", undefined, notes);
}

/** Runs the request against the GitOps repository (runRequest, shared with the CLI) and answers with its outcome. */
async function publishRequest(args: {
  params: RequestParams;
  config: BotConfig;
  request: ProvisionRequest;
  stored: StoredRequest | null;
  answer: Answer;
}): Promise<HandledRequest> {
  const { params, config, request, stored, answer } = args;
  const { event } = params;
  // A status comment that remembers a pull request means the branch may exist: read it before writing.
  const pending = stored?.pullRequest !== undefined;
  const gitops = params.openGitOps(config, { branchMayExist: pending });
  const gitopsRepository = config.gitops.repository ?? event.issue.repository;
  const repoURL = config.argocd.repoURL ?? `${params.serverUrl.replace(/\/+$/, "")}/${gitopsRepository}.git`;
  let outcome;
  try {
    outcome = await runRequest({
      request,
      config,
      catalog: params.catalog,
      repo: gitops.repo,
      publisher: gitops.publisher,
      hashBlob: params.hashBlob,
      repoURL,
      pending,
    });
  } catch (error) {
    if (error instanceof PortProblemError) return answer({ kind: "rejected", request, problems: [error.problem] }, "confused");
    throw error;
  }

  switch (outcome.kind) {
    case "rejected":
      return answer({ kind: "rejected", request, problems: outcome.problems }, "confused");
    case "preview":
      return answer(
        { kind: "preview", request, branch: outcome.branch, changeset: outcome.changeset, reviewers: outcome.pullRequest.reviewers },
        "eyes",
      );
    case "up-to-date":
      return answer({ kind: "up-to-date", request, baseBranch: config.gitops.baseBranch }, "+1", {
        v: 1,
        request: toStoredRequest(request),
      });
    case "published": {
      const pr = outcome.result.pullRequest;
      if (!pr) throw new Error("the GitHub publisher always returns a pull request");
      const link = { repository: gitopsRepository, number: pr.number, url: pr.url };
      const view: StatusView = {
        kind: "published",
        request,
        pullRequest: { ...link, created: pr.created },
        commit: outcome.result.commit,
        changeset: outcome.changeset,
        reviewers: outcome.pullRequest.reviewers,
      };
      // Nothing written now: "opened" or "updated", said when this very state was written, is still true.
      const unchanged = outcome.result.commit === null && !pr.created;
      const equivalent: StatusView[] = unchanged
        ? [
            { ...view, pullRequest: { ...link, created: true } },
            { ...view, commit: "written before" },
          ]
        : [];
      const answered = await answer(
        view,
        "rocket",
        { v: 1, request: toStoredRequest(request), pullRequest: link },
        outcome.result.warnings,
        equivalent,
      );
      return { ...answered, pullRequest: { created: pr.created } };
    }
  }
}
