import { authorTeamCandidates } from "../core/authz/author-team-candidates.js";
import { planPlatformReview, type PlatformReview } from "../core/authz/plan-platform-review.js";
import type { FileFacts } from "../core/manifests/plan-manifest-reads.js";
import { selectManifestPaths } from "../core/manifests/select-manifest-paths.js";
import { DEFAULT_BOT_CONFIG, type BotConfig } from "../core/config/bot-config.schema.js";
import { BOT_CONFIG_FILE } from "../core/config/parse-bot-config.js";
import { findingFromProblem, sortFindings } from "../core/policy/evaluate.js";
import { loadPolicies, type LoadedPolicies } from "../core/policy/load-policies.js";
import type { PlatformConfig } from "../core/policy/platform/platform-config.schema.js";
import type { Finding } from "../core/policy/types.js";
import type { Problem, Result } from "../core/problems.js";
import { renderCheckOutput, type CheckConclusion } from "../core/report/check-output.js";
import { planCheckRunUpdates, renderCheckFault, type CheckRunUpdate, type PullRequestCheckNotes } from "../core/report/pull-request-check.js";
import { selectPullRequestFindings } from "../core/report/select-pull-request-findings.js";
import type { RepoReader, SchemaLoader, TreeEntry } from "../ports.js";
import { codeSpan, mention } from "../core/report/markdown.js";
import { parseRequesterMarker } from "../core/report/pr-body.js";
import { checkTemplates } from "./check-templates.js";
import { checkFiles, type FileSource } from "./check-files.js";
import { gitOpsCheckScope } from "./gitops-check-scope.js";

/** One file of the pull request's diff. */
export interface ChangedFile {
  path: string;
  status: string;
  /** The path before a rename or copy. */
  previousPath?: string;
}

/** The pull request as the check needs it. */
export interface PullRequestUnderCheck {
  number: number;
  headSha: string;
  baseSha: string;
  author: { login: string; type: string };
  /** The pull request's body: the bot's own pull requests record their requester there. */
  body?: string | null;
  /** GitHub's count of changed files; its file listing stops at 3,000. */
  changedFiles: number;
  requestedReviewers: readonly string[];
  /** Team slugs already requested. */
  requestedTeams: readonly string[];
  /** False for a pull request opened a moment ago: nobody can have reviewed it, so reviews are not read. */
  mayHaveReviews: boolean;
}

/** A commit's files; `prefetch` announces many reads at once, so an adapter can batch them. */
export interface CommitReader extends RepoReader {
  prefetch?(paths: readonly string[]): Promise<void>;
  /** Facts before reading: the size, or why a file (a symbolic link leaving the repository) is not read. */
  describeFile?(path: string): Promise<FileFacts>;
}

/** The one Check Run of this check: created in progress, then updated until it concludes. */
export interface CheckRunPort {
  start(): Promise<void>;
  update(update: CheckRunUpdate): Promise<void>;
}

export interface PullRequestCheckPorts {
  listChangedFiles(): Promise<ChangedFile[]>;
  /** The repository's files at a commit (the head for manifests, the base for policies). */
  readCommit(sha: string): CommitReader;
  /** The bot's configuration as committed at `ref`, validated. */
  readConfigAt(ref: string): Promise<Result<BotConfig | null>>;
  /** This App's own login (`slug[bot]`), asked only for a pull request opened by a bot. */
  appLogin?: () => Promise<string | null>;
  /** Team membership in the repository owner's organisation; null when the owner is a user. */
  isTeamMember: ((team: string, login: string) => Promise<boolean>) | null;
  listReviewers(): Promise<string[]>;
  /** Asks for review; returns those GitHub accepted. */
  requestReviewers(reviewers: readonly string[]): Promise<string[]>;
  /** What GitHub refused along the way (a reviewer), for the summary. */
  remarks(): readonly string[];
  checkRun: CheckRunPort;
}

export interface PullRequestCheckResult {
  conclusion: CheckConclusion;
  /** The findings shown on the Check Run. */
  findings: Finding[];
  /** Requests that delivered the result (each carries at most 50 annotations). */
  updates: CheckRunUpdate[];
  platformReview: PlatformReview;
}

/** The defaults a GitOps repository without `.github/gitops-bot.yml` is checked with. */
const DEFAULT_CONFIG: BotConfig = DEFAULT_BOT_CONFIG;

/**
 * The policy check of a pull request to the GitOps repository: one Check Run, created in progress,
 * holding every finding of the changed files with annotations at their line and column.
 *
 * Manifests come from the head commit, every manifest of the repository as context (quotas and
 * references are judged over the repository after the change) but only the changed files judged.
 * Policies and the platform configuration come from the base commit, and the bot configuration
 * from the default branch (the caller reads it), so a pull request cannot relax the rules that
 * judge it; their changed versions are validated, and their problems are findings. A change to
 * templates, policies or the bot configuration asks the platform reviewers. Any fault after the
 * Check Run was created concludes it as failed (never passed unjudged) before it is rethrown.
 */
export async function checkPullRequest(params: {
  pullRequest: PullRequestUnderCheck;
  /** The configuration that governs the check, from the default branch; null: none, use the defaults. */
  config: Result<BotConfig | null>;
  /** Owner of the GitOps repository: only its teams can review. */
  owner: string;
  builtinPolicies: FileSource;
  /** Schemas for validating the changed manifests; without it, schema validation is not run. */
  schemas?: SchemaLoader;
  ports: PullRequestCheckPorts;
}): Promise<PullRequestCheckResult> {
  await params.ports.checkRun.start();
  try {
    const result = await judge(params);
    for (const update of result.updates) await params.ports.checkRun.update(update);
    return result;
  } catch (error) {
    // The original fault is the one worth reporting; a second failure here would only hide it.
    await params.ports.checkRun.update(renderCheckFault()).catch(() => undefined);
    throw error;
  }
}

async function judge(params: Parameters<typeof checkPullRequest>[0]): Promise<PullRequestCheckResult> {
  const { pullRequest: pr, ports } = params;
  const config = params.config.ok ? (params.config.value ?? DEFAULT_CONFIG) : DEFAULT_CONFIG;
  const head = ports.readCommit(pr.headSha);
  const base = ports.readCommit(pr.baseSha);

  const listed = await ports.listChangedFiles();
  const capped = listed.length < pr.changedFiles;
  const changed = capped ? diffTrees(await base.listFiles(), await head.listFiles()) : listed;
  const changedPaths = new Set(changed.flatMap((f) => (f.previousPath ? [f.path, f.previousPath] : [f.path])));

  const baseSource = fileSource(base);
  const scope = gitOpsCheckScope({ config, builtin: params.builtinPolicies, repository: baseSource });
  const policyFiles = (await Promise.all(scope.policySources.map((set) => readFolder(set.source, set.folder)))).flat();
  const basePolicies = loadPolicies({ files: policyFiles });
  const platform = basePolicies.platform;
  const teams = await findAuthorTeams({ platform, changedFiles: [...changedPaths], pr, ports });

  // Every manifest of the head is read as context: announce them, so they can come in one go.
  const excluded = scope.excludeFolders.map((f) => `${f}/`);
  await head.prefetch?.(selectManifestPaths({ paths: (await head.listFiles()).map((e) => e.path) }).read.filter((p) => !excluded.some((f) => p.startsWith(f))));

  const checked = await checkFiles({
    source: fileSource(head),
    policySources: scope.policySources,
    changedFiles: [...changedPaths],
    ...(teams.authorTeams ? { authorTeams: teams.authorTeams } : {}),
    // Templates hold placeholders and policies are not workloads: neither is judged as a manifest.
    excludeFolders: scope.excludeFolders,
    ...(params.schemas ? { schemas: params.schemas } : {}),
  });

  // Deleting or renaming a policy away weakens the rules as surely as editing it: every path counts.
  const review = planPlatformReview({ paths: [...changedPaths], config, owner: params.owner, author: pr.author.login, requestedReviewers: pr.requestedReviewers, requestedTeams: pr.requestedTeams, reviewed: [] });
  const problems = params.config.ok || changedPaths.has(BOT_CONFIG_FILE) ? [] : params.config.problems;
  const findings = sortFindings([
    ...selectPullRequestFindings({ findings: checked.findings, changedFiles: changedPaths, policiesPath: config.gitops.policiesPath }),
    ...problems.map(findingFromProblem),
    ...(await validateChangedPlatformFiles({ review, head, headSha: pr.headSha, config, changedPaths, readConfigAt: (ref) => ports.readConfigAt(ref), policies: basePolicies, ...(params.schemas ? { schemas: params.schemas } : {}) })),
  ]);

  const platformReview = await requestPlatformReview({ review, pr, owner: params.owner, config, ports });
  const report = renderCheckOutput({ findings, checkedFiles: checked.checkedFiles.length, policyCount: checked.policies.length, skipped: checked.skippedFiles });
  const notes: PullRequestCheckNotes = {
    platformReview,
    ...(review.files.policies.length + review.files.config.length > 0 ? { baseCommit: pr.baseSha } : {}),
    ...(capped ? { fileListCapped: { listed: listed.length, total: pr.changedFiles } } : {}),
    ...(teams.skipped ? { ownershipSkipped: teams.skipped } : {}),
    ...(teams.judgedAs ? { ownershipJudgedAs: teams.judgedAs } : {}),
    remarks: [...ports.remarks()],
  };
  return { conclusion: report.conclusion, findings, updates: planCheckRunUpdates({ report, notes }), platformReview };
}

/** A commit reader seen as the file source `checkFiles` reads. */
function fileSource(reader: CommitReader): FileSource {
  const describe = reader.describeFile?.bind(reader);
  return { listFiles: async () => (await reader.listFiles()).map((e) => e.path), readFile: (path) => reader.readFile(path), ...(describe ? { describeFile: describe } : {}) };
}

/** The files below `folder` ("" for all), hidden folders left out as `checkFiles` does. */
async function readFolder(source: FileSource, folder: string): Promise<{ path: string; text: string }[]> {
  const prefix = folder === "" ? "" : `${folder}/`;
  const paths = (await source.listFiles()).filter((p) => p.startsWith(prefix) && !p.slice(prefix.length).split("/").some((s) => s.startsWith("."))).sort();
  const texts = await Promise.all(paths.map((path) => source.readFile(path)));
  return paths.flatMap((path, i) => (typeof texts[i] === "string" ? [{ path, text: texts[i] }] : []));
}

/** Files that differ between two listings by blob SHA: the fallback when GitHub's file list is capped. */
function diffTrees(base: readonly TreeEntry[], head: readonly TreeEntry[]): ChangedFile[] {
  const before = new Map(base.map((e) => [e.path, e.sha]));
  const changed: ChangedFile[] = [];
  for (const entry of head) {
    const sha = before.get(entry.path);
    if (sha !== entry.sha) changed.push({ path: entry.path, status: sha === undefined ? "added" : "modified" });
    before.delete(entry.path);
  }
  for (const path of before.keys()) changed.push({ path, status: "removed" });
  return changed;
}

/**
 * The author's teams for namespace ownership, asked team by team (GitHub cannot list them to an
 * App): admin teams first, since one settles everything. The App's own pull requests are judged
 * as the requester they record (the request was checked against that person's team when it was
 * made, and this checks it again against the platform's layout); other bots cannot be members of
 * teams, so they are judged as belonging to none, like a person outside every team.
 */
async function findAuthorTeams(params: {
  platform: PlatformConfig | undefined;
  changedFiles: readonly string[];
  pr: PullRequestUnderCheck;
  ports: PullRequestCheckPorts;
}): Promise<{ authorTeams?: string[]; skipped?: string; judgedAs?: string }> {
  const candidates = authorTeamCandidates({ platform: params.platform, changedFiles: params.changedFiles });
  if (!candidates || params.platform?.rules.namespaceOwnership.severity === "off") return {};
  const isMember = params.ports.isTeamMember;
  if (!isMember) return { skipped: "the repository belongs to a user account, which has no teams." };
  const author = params.pr.author;
  let login = author.login;
  let judgedAs: string | undefined;
  if (author.type === "Bot") {
    const own = (await params.ports.appLogin?.()) ?? null;
    if (own === null || author.login.toLowerCase() !== own.toLowerCase()) {
      return { authorTeams: [], judgedAs: `${codeSpan(author.login, 100)} is a bot, and bots belong to no team: only changes to files of no team's are allowed to it, and the platform team's review is needed for the rest.` };
    }
    const requester = parseRequesterMarker(params.pr.body);
    // An upgrade pull request re-renders a request after a reviewed template change: it records no requester.
    if (requester === null) return { skipped: "this pull request of the bot records no requester (a template upgrade), so there is no one to judge it as." };
    login = requester;
    judgedAs = `this pull request of the bot was judged as ${mention(requester)}, who asked for it.`;
  }
  for (const team of candidates.admin) if (await isMember(team, login)) return { authorTeams: [team], ...(judgedAs ? { judgedAs } : {}) };
  const member = await Promise.all(candidates.owners.map((team) => isMember(team, login)));
  return { authorTeams: candidates.owners.filter((_, i) => member[i]), ...(judgedAs ? { judgedAs } : {}) };
}

/**
 * The new versions of the platform files a pull request changes, validated: policies, templates
 * and the bot configuration. They do not judge this pull request, but they must be sound to merge.
 * A changed template must also give what it renders to the policies that judge manifests: it is
 * rendered in every size with its examples and judged by the base's policies, findings at the
 * template's own lines.
 */
async function validateChangedPlatformFiles(params: {
  review: PlatformReview;
  head: RepoReader;
  headSha: string;
  config: BotConfig;
  changedPaths: ReadonlySet<string>;
  readConfigAt: PullRequestCheckPorts["readConfigAt"];
  /** The policies that judge the pull request (the base's), which judge its templates too. */
  policies: LoadedPolicies;
  schemas?: SchemaLoader;
}): Promise<Finding[]> {
  const { review, config } = params;
  const problems: Problem[] = [];
  const sampleFindings: Finding[] = [];
  const head = fileSource(params.head);
  if (review.files.policies.length > 0) {
    const loaded = loadPolicies({ files: await readFolder(head, config.gitops.policiesPath) });
    problems.push(...loaded.problems.filter((p) => p.file !== undefined && params.changedPaths.has(p.file)));
  }
  if (review.files.templates.length > 0) {
    const root = config.gitops.catalogPath;
    // Each template folder the pull request touches is judged whole: a default changed in
    // template.yaml that breaks deployment.yaml is shown on deployment.yaml, touched or not.
    const touched = [...new Set(review.files.templates.map((p) => `${root}/${p.slice(root.length + 1).split("/")[0]}`))].sort();
    sampleFindings.push(
      ...(await checkTemplates({
        source: head,
        folders: touched,
        config,
        policies: params.policies.policies,
        ...(params.policies.platform ? { platform: params.policies.platform } : {}),
        ...(params.schemas ? { schemas: params.schemas } : {}),
      })),
    );
  }
  if (review.files.config.length > 0) {
    const proposed = await params.readConfigAt(params.headSha);
    if (!proposed.ok) problems.push(...proposed.problems);
  }
  return [...problems.map(findingFromProblem), ...sampleFindings];
}

/** Asks the platform reviewers who are missing; returns the final plan and whom GitHub accepted. */
async function requestPlatformReview(params: {
  review: PlatformReview;
  pr: PullRequestUnderCheck;
  owner: string;
  config: BotConfig;
  ports: PullRequestCheckPorts;
}): Promise<PlatformReview & { requested: string[] }> {
  let { review } = params;
  const { pr } = params;
  if (review.toRequest.length === 0) return { ...review, requested: [] };
  // Reviews are read only when someone is still to ask and the pull request is not brand new.
  if (pr.mayHaveReviews) {
    const reviewed = await params.ports.listReviewers();
    review = planPlatformReview({ paths: [...review.files.policies, ...review.files.templates, ...review.files.config], config: params.config, owner: params.owner, author: pr.author.login, requestedReviewers: pr.requestedReviewers, requestedTeams: pr.requestedTeams, reviewed });
    if (review.toRequest.length === 0) return { ...review, requested: [] };
  }
  return { ...review, requested: await params.ports.requestReviewers(review.toRequest) };
}
