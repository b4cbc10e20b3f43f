import type { Catalog } from "../core/catalog/load-catalog.js";
import type { BotConfig } from "../core/config/bot-config.schema.js";
import type { Problem } from "../core/problems.js";
import { parseRolloutState, renderRolloutSummary, needsRolloutIssue, type RolloutReport } from "../core/report/rollout-summary.js";
import { renderStatusComment } from "../core/report/status-comment.js";
import { renderUpgradeBody, renderUpgradeTitle, type UpgradeCause } from "../core/report/upgrade-pr-body.js";
import type { IssueRef } from "../core/request/application-annotations.js";
import { parseStoredRequest } from "../core/request/stored-request.js";
import { findChangedTemplates } from "../core/rollout/find-changed-templates.js";
import type { Instance } from "../core/rollout/find-instances.js";
import type { InstanceUpgrade } from "../core/rollout/plan-instance-upgrade.js";
import { assignPullRequests, upgradeBranch } from "../core/rollout/plan-rollout.js";
import type { BlobHasher, RepoReader, RolloutPorts, TreeEntry } from "../ports.js";
import { faultProblem, planUpgrades, readInstances } from "./plan-upgrades.js";
import { effectiveCatalog } from "./run-request.js";

export type RolloutTrigger =
  /** A push to the base branch: `before` is the commit before it (the previous template version). */
  | { kind: "push"; before: string }
  /** An upgrade pull request merged or closed: a slot is free for the waiting upgrades. */
  | { kind: "slot-freed" };

export interface RolloutParams {
  trigger: RolloutTrigger;
  config: BotConfig;
  builtin: Catalog;
  ports: RolloutPorts;
  hashBlob: BlobHasher;
  /** `owner/name` of the GitOps repository, for links from request issues. */
  repository: string;
  /** Clone URL Argo CD reads, when the config names none (as for requests). */
  repoURL: string;
  /** Web address of the GitHub server, for request issue links. */
  serverUrl: string;
}

export type RolloutResult = { kind: "nothing"; reason: string } | { kind: "rolled-out"; report: RolloutReport; notes: string[] };

/** The report while it is being filled. */
type Tally = RolloutReport & {
  published: RolloutReport["published"][number][];
  pending: RolloutReport["pending"][number][];
  failed: { application: string; problems: Problem[] }[];
  catalogProblems: Problem[];
};

interface Group {
  before: string;
  templates: ReadonlySet<string> | "all";
  only: ReadonlySet<string> | null;
}

interface Planned {
  upgrade: InstanceUpgrade;
  branch: string;
  before: string;
  templates: string[];
}

/**
 * Rolls a template change out to every existing request (instance) of the changed templates: each
 * is rendered again with the inputs its Application records, at the previous and the new template
 * version; an instance whose files change gets one upgrade pull request (deterministic branch, one
 * commit) with hand edits merged or listed, and its request issue's status comment links it.
 * At most `rollout.maxOpenPullRequests` upgrade pull requests are open at once; the rest wait in
 * the rollout issue and follow when a slot frees. A failing instance is reported and the others
 * go on. Nothing is written for unchanged instances or other templates.
 */
export async function rollOutTemplates(params: RolloutParams): Promise<RolloutResult> {
  const { config, ports } = params;
  // One reader per earlier commit: its listing is read once however often it is asked for.
  const readers = new Map<string, RepoReader>();
  const at = (commit: string) => readers.get(commit) ?? readers.set(commit, ports.at(commit)).get(commit)!;
  const tree = await ports.base.listFiles();
  const catalogPath = config.gitops.catalogPath;
  const groups: Group[] = [];
  let cause: string[] = [];
  if (params.trigger.kind === "push") {
    const changed = findChangedTemplates({ before: await at(params.trigger.before).listFiles(), after: tree, catalogPath });
    if (changed.templates.length === 0 && !changed.applicationChanged)
      return { kind: "nothing", reason: `no template under ${catalogPath} changed` };
    groups.push({ before: params.trigger.before, templates: changed.applicationChanged ? "all" : new Set(changed.templates), only: null });
    cause = changed.applicationChanged ? ["argocd-application.yaml", ...changed.templates] : changed.templates;
  }
  const issueBody = await ports.rolloutIssue.read();
  const state = parseRolloutState(issueBody);
  // A waiting upgrade keeps the commit of the change that queued it: its files are still at that version.
  const waiting = new Set(state.pending.flatMap((p) => p.applications));
  for (const entry of state.pending) groups.push({ before: entry.before, templates: "all", only: new Set(entry.applications) });
  if (groups.length === 0) return { kind: "nothing", reason: "no upgrade is waiting" };

  const commit = await ports.base.commit();
  const report: Tally = {
    commit,
    commitUrl: ports.commitUrl(commit),
    templates: cause,
    published: [],
    unchanged: 0,
    pending: [],
    failed: [],
    catalogProblems: [],
    limit: config.rollout.maxOpenPullRequests,
  };
  const after = await effectiveCatalog({ builtin: params.builtin, tree, repo: ports.base, catalogPath });
  if (after.problems.length > 0) {
    // A broken template would silently fall back to the built-in one: roll out nothing instead.
    report.catalogProblems.push(...after.problems);
    report.pending.push(
      ...state.pending.flatMap((p) => p.applications.map((application) => ({ application, template: "?", before: p.before }))),
    );
    await ports.rolloutIssue.write(renderRolloutSummary(report), true);
    return { kind: "rolled-out", report, notes: [] };
  }

  const relevant = (application: string, template: string) =>
    groups.some((g) => (g.only ? g.only.has(application) : g.templates === "all" || g.templates.has(template)));
  // Waiting upgrades alone (a slot freed) need only their own Applications read.
  const only = groups.every((g) => g.only !== null) ? new Set(groups.flatMap((g) => [...(g.only ?? [])])) : null;
  const found = await readInstances({ tree, repo: ports.base, config, only, relevant });
  report.failed.push(...found.failed);
  const planned = await planGroups({ groups, waiting, instances: found.instances, after: after.catalog, tree, at, report, cause, params });
  const notes = await publishUpgrades({ planned, report, params });
  if (needsRolloutIssue(report) || issueBody !== null)
    await ports.rolloutIssue.write(renderRolloutSummary(report), needsRolloutIssue(report));
  return { kind: "rolled-out", report, notes };
}

/** Plans each group's upgrades against the catalog before its change. */
async function planGroups(args: {
  groups: readonly Group[];
  waiting: ReadonlySet<string>;
  instances: readonly Instance[];
  after: Catalog;
  tree: readonly TreeEntry[];
  at: (commit: string) => RepoReader;
  report: Tally;
  cause: readonly string[];
  params: RolloutParams;
}): Promise<Planned[]> {
  const { params, report } = args;
  const planned: Planned[] = [];
  for (const group of args.groups) {
    const members = args.instances.filter((i) =>
      group.only
        ? group.only.has(i.application)
        : !args.waiting.has(i.application) && (group.templates === "all" || group.templates.has(i.request.template)),
    );
    if (members.length === 0) continue;
    const reader = args.at(group.before);
    const previous = await effectiveCatalog({
      builtin: params.builtin,
      tree: await reader.listFiles(),
      repo: reader,
      catalogPath: params.config.gitops.catalogPath,
    });
    const result = await planUpgrades({
      instances: members,
      before: previous.problems.length > 0 ? null : previous.catalog,
      after: args.after,
      tree: args.tree,
      repo: params.ports.base,
      config: params.config,
      hashBlob: params.hashBlob,
      repoURL: params.repoURL,
      serverUrl: params.serverUrl,
    });
    report.failed.push(...result.failed);
    report.unchanged += result.unchanged.length;
    for (const upgrade of result.upgrades) {
      const templates = args.cause.length > 0 && !group.only ? [...args.cause] : [upgrade.instance.request.template];
      planned.push({
        upgrade,
        branch: upgradeBranch({ config: params.config, request: upgrade.instance.request }),
        before: group.before,
        templates,
      });
    }
  }
  return planned;
}

/** Opens or updates the upgrade pull requests the limit allows, and links each from its request issue. */
async function publishUpgrades(args: { planned: Planned[]; report: Tally; params: RolloutParams }): Promise<string[]> {
  const { planned, report, params } = args;
  const { ports, config } = params;
  const notes: string[] = [];
  if (planned.length === 0) return notes;
  const open = await ports.listOpenUpgradeBranches();
  const { publish, pending } = assignPullRequests({ upgrades: planned, openBranches: open, limit: config.rollout.maxOpenPullRequests });
  report.pending.push(
    ...pending.map((p) => ({
      application: p.upgrade.instance.application,
      template: p.upgrade.instance.request.template,
      before: p.before,
    })),
  );
  const commit = await ports.base.commit();
  for (const item of publish) {
    const { upgrade } = item;
    const { request } = upgrade.instance;
    const cause: UpgradeCause = { commit, commitUrl: ports.commitUrl(commit), templates: item.templates };
    const issueUrl = request.issue
      ? `${params.serverUrl.replace(/\/+$/, "")}/${request.issue.repository}/issues/${request.issue.number}`
      : null;
    const title = renderUpgradeTitle(upgrade);
    let result;
    try {
      result = await ports.publish({
        branch: item.branch,
        baseBranch: config.gitops.baseBranch,
        commitMessage: `${title}\n\nThe catalog changed at ${commit}; rendered again with the request's recorded inputs.`,
        changes: upgrade.changeset.changes.map((c) => ({ path: c.path, content: c.after })),
        pullRequest: { title, body: renderUpgradeBody({ upgrade, cause, issueUrl }), labels: config.labels, reviewers: upgrade.reviewers },
        branchMayExist: open.has(item.branch),
      });
    } catch (error) {
      report.failed.push({ application: upgrade.instance.application, problems: [faultProblem(upgrade.instance.application, error)] });
      continue;
    }
    // A reviewer GitHub would not ask does not stop the upgrade; the rollout's log says so.
    notes.push(...result.warnings.map((w) => `${upgrade.instance.application}: ${w.message}`));
    const pr = result.pullRequest;
    if (!pr) continue;
    report.published.push({
      application: upgrade.instance.application,
      number: pr.number,
      url: pr.url,
      created: pr.created,
      handEdits: upgrade.drift.length,
    });
    if (!request.issue) continue;
    try {
      const told = await tellRequestIssue({
        ports,
        instance: upgrade.instance,
        issue: request.issue,
        cause,
        pullRequest: { ...pr, repository: params.repository },
        handEdits: upgrade.drift.length,
      });
      if (told) notes.push(told);
    } catch (error) {
      notes.push(
        `${request.issue.repository}#${request.issue.number}: the status comment could not be updated (${error instanceof Error ? error.message.slice(0, 200) : String(error)}).`,
      );
    }
  }
  return notes;
}

/**
 * Links the upgrade pull request from the request issue's status comment. The issue named on the
 * Application is untrusted: only a status comment that already describes this very request (same
 * template, name, team and environment) is edited.
 */
async function tellRequestIssue(args: {
  ports: RolloutPorts;
  instance: Instance;
  issue: IssueRef;
  cause: UpgradeCause;
  pullRequest: { number: number; url: string; created: boolean; repository: string };
  handEdits: number;
}): Promise<string | null> {
  const conversation = args.ports.requestIssue(args.issue);
  const body = await conversation.readStatusComment();
  const stored = body === null ? null : parseStoredRequest(body);
  const recorded = args.instance.request;
  const same =
    stored &&
    stored.request.template === recorded.template &&
    ["name", "team", "environment"].every((k) => stored.request.values[k] === recorded.values[k]);
  if (!stored || !same)
    return `${args.issue.repository}#${args.issue.number} has no status comment of this request; it was not told about the upgrade.`;
  const link = { repository: args.pullRequest.repository, number: args.pullRequest.number, url: args.pullRequest.url };
  const view = {
    kind: "upgrade" as const,
    pullRequest: { ...link, created: args.pullRequest.created },
    templates: args.cause.templates,
    commit: args.cause.commit,
    commitUrl: args.cause.commitUrl,
    handEdits: args.handEdits,
  };
  await conversation.ensureStatusComment(renderStatusComment({ view, stored: { ...stored, pullRequest: link } }));
  return null;
}
