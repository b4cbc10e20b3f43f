import { authorTeamCandidates } from "../core/authz/author-team-candidates.js";
import { planPlatformReview, type PlatformReview } from "../core/authz/plan-platform-review.js";
import { DEFAULT_BOT_CONFIG, type BotConfig } from "../core/config/bot-config.schema.js";
import { BOT_CONFIG_FILE } from "../core/config/parse-bot-config.js";
import { findingFromProblem, sortFindings, type PolicyResult } from "../core/policy/evaluate.js";
import type { LoadedPolicies } from "../core/policy/load-policies.js";
import { policyExceptionName } from "../core/policy/kyverno/match-policy-exception.js";
import type { KyvernoPolicy } from "../core/policy/kyverno/types.js";
import type { PlatformConfig } from "../core/policy/platform/platform-config.schema.js";
import type { Finding } from "../core/policy/types.js";
import type { Problem, Result } from "../core/problems.js";
import { renderCheckOutput, type CheckConclusion } from "../core/report/check-output.js";
import {
  planCheckRunUpdates,
  renderCheckFault,
  type CheckRunUpdate,
  type PullRequestCheckNotes,
} from "../core/report/check-run-updates.js";
import { selectPullRequestFindings } from "../core/report/select-pull-request-findings.js";
import type { CommitReader, FileSource, PullRequestCheckPorts, PullRequestFacts, RepoReader, SchemaLoader } from "../ports.js";
import { codeSpan, mention } from "../core/report/markdown.js";
import { parseRequesterMarker } from "../core/report/pr-body.js";
import { describeRefusedReviewers, type ReviewRequestResult } from "../core/report/refused-reviewers.js";
import { applyPolicyApprovals, renderApprovalSection, type PolicyApproval } from "../core/policy/approvals/policy-approvals.js";
import { renderPolicyExceptions } from "../core/policy/approvals/render-policy-exceptions.js";
import { changedSinceBranching } from "./changed-since-branching.js";
import { checkTemplates } from "./check-templates.js";
import { checkFiles } from "./check-files.js";
import { gitOpsCheckScope } from "./gitops-check-scope.js";
import { readPolicies } from "./read-policies.js";
import type { CheckCaches } from "./check-caches.js";

/** The pull request as the check needs it. */
export interface PullRequestUnderCheck extends PullRequestFacts {
  /** False for a pull request opened a moment ago: nobody can have reviewed it, so reviews are not read. */
  mayHaveReviews: boolean;
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
  /** The GitOps repository (`owner/name`): only its owner's teams can review. */
  repository: string;
  builtinPolicies: FileSource;
  /** Schemas for validating the changed manifests; without it, schema validation is not run. */
  schemas?: SchemaLoader;
  ports: PullRequestCheckPorts;
  /** Loaded policies and parsed manifests kept across checks (the App's, for the life of the process). */
  caches?: CheckCaches;
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
  const owner = params.repository.split("/")[0] ?? params.repository;
  const config = params.config.ok ? (params.config.value ?? DEFAULT_CONFIG) : DEFAULT_CONFIG;
  const head = ports.readCommit(pr.headSha);
  const base = ports.readCommit(pr.baseSha);

  const changedPaths = await changedSinceBranching({ ports, baseSha: pr.baseSha, base, head });

  const baseSource = fileSource(base);
  const scope = gitOpsCheckScope({ config, builtin: params.builtinPolicies, repository: baseSource });
  const basePolicies = await readPolicies({ sources: scope.policySources, ...(params.caches ? { cache: params.caches.policies } : {}) });
  const platform = basePolicies.platform;
  const teams = await findAuthorTeams({ platform, changedFiles: [...changedPaths], pr, ports });

  const checked = await checkFiles({
    source: fileSource(head),
    policies: basePolicies,
    changedFiles: [...changedPaths],
    ...(teams.authorTeams ? { authorTeams: teams.authorTeams } : {}),
    // Templates hold placeholders and policies are not workloads: neither is judged as a manifest.
    excludeFolders: scope.excludeFolders,
    ...(params.schemas ? { schemas: params.schemas } : {}),
    ...(params.caches ? { cache: params.caches.manifests } : {}),
    // A pull request cannot except itself: only the PolicyExceptions it leaves as they are count.
    exceptions: { fromChangedFiles: false, ...(config.policyExceptions.namespace ? { namespace: config.policyExceptions.namespace } : {}) },
    // Approvals name the resources a rule failed on: only they read the rule results.
    results: policyOwnersConfigured(config),
  });

  // Deleting or renaming a policy away weakens the rules as surely as editing it: every path counts.
  const planReview = (exceptionFiles: readonly string[]) =>
    planPlatformReview({
      paths: [...changedPaths],
      config,
      owner,
      author: pr.author.login,
      requestedReviewers: pr.requestedReviewers,
      requestedTeams: pr.requestedTeams,
      reviewed: [],
      exceptionFiles,
    });
  const firstReview = planReview(checked.changedExceptionFiles);
  const problems = params.config.ok || changedPaths.has(BOT_CONFIG_FILE) ? [] : params.config.problems;
  const judged = sortFindings([
    ...selectPullRequestFindings({ findings: checked.findings, changedFiles: changedPaths, policiesPath: config.gitops.policiesPath }),
    ...problems.map(findingFromProblem),
    ...(await validateChangedPlatformFiles({
      review: firstReview,
      head,
      headSha: pr.headSha,
      config,
      changedPaths,
      readConfigAt: (ref) => ports.readConfigAt(ref),
      policies: basePolicies,
      ...(params.schemas ? { schemas: params.schemas } : {}),
    })),
  ]);

  const approved = await applyApprovals({
    findings: judged,
    config,
    headSha: pr.headSha,
    head,
    policies: checked.policies.map((p) => p.policy),
    results: checked.results,
    ports,
  });
  // The App's own record of the approvals in force is no change to policies: the owners approved it.
  const recorded = await recordedExceptionFiles({ head, files: checked.changedExceptionFiles, approvals: approved.approvals, config });
  const review = recorded.size === 0 ? firstReview : planReview(checked.changedExceptionFiles.filter((file) => !recorded.has(file)));
  const findings = approved.findings.map((f) =>
    f.rule === "policy-exception.not-honoured" && recorded.has(f.file) ? { ...f, message: RECORDED_EXCEPTION_NOTE } : f,
  );
  const platformReview = await requestPlatformReview({ review, pr, owner, config, ports });
  const report = renderCheckOutput({
    findings,
    checkedFiles: checked.checkedFiles.length,
    policyCount: checked.policies.length,
    skipped: checked.skippedFiles,
    ...(checked.schemaSet ? { schemaNote: checked.schemaSet.note } : {}),
  });
  const notes = checkNotes({ review, platformReview, pr, teams, repository: params.repository, approvals: approved.section });
  return { conclusion: report.conclusion, findings, updates: planCheckRunUpdates({ report, notes }), platformReview };
}

const RECORDED_EXCEPTION_NOTE =
  "gitops-bot wrote this PolicyException to record the policy owners' approvals in force (see the check's summary): it excepts nothing in this pull request itself, needs no further review while it says exactly that, and Kyverno honours it once merged.";

/** Changed PolicyException files whose text is exactly what the approvals in force render. */
async function recordedExceptionFiles(params: {
  head: CommitReader;
  files: readonly string[];
  approvals: readonly PolicyApproval[];
  config: BotConfig;
}): Promise<Set<string>> {
  if (params.files.length === 0 || params.approvals.length === 0) return new Set();
  const namespace = params.config.policyExceptions.namespace;
  const expected = new Map(
    renderPolicyExceptions({ approvals: params.approvals, ...(namespace ? { namespace } : {}) }).map((f) => [f.path, f.content] as const),
  );
  const recorded = new Set<string>();
  for (const file of params.files) {
    const want = expected.get(file);
    if (want !== undefined && (await params.head.readFile(file)) === want) recorded.add(file);
  }
  return recorded;
}

/**
 * Policy owners' approvals (`/approve-policy`) carried from the Check Run the handler names (the
 * previous head's, or this head's on a re-run), applied to the findings; the run then records the
 * approvals still in force and what is left to except. Only where policy owners are configured.
 */
async function applyApprovals(params: {
  findings: Finding[];
  config: BotConfig;
  headSha: string;
  head: CommitReader;
  policies: readonly KyvernoPolicy[];
  /** Present when policy owners are configured (the check was asked for them). */
  results: readonly PolicyResult[] | undefined;
  ports: PullRequestCheckPorts;
}): Promise<{ findings: Finding[]; section?: string; approvals: PolicyApproval[] }> {
  if (!policyOwnersConfigured(params.config) || params.results === undefined) return { findings: params.findings, approvals: [] };
  const approvals = (await params.ports.readApprovals?.()) ?? [];
  const blobs = new Map((await params.head.listFiles()).map((e) => [e.path, e.sha] as const));
  const applied = applyPolicyApprovals({
    findings: params.findings,
    approvals,
    blobs,
    kyvernoPolicies: new Set(params.policies.map((p) => p.name)),
    // The PolicyException the App records must name each policy as the engine and Kyverno match it.
    exceptionNames: new Map(params.policies.map((p) => [p.name, policyExceptionName(p)] as const)),
    headSha: params.headSha,
    results: params.results,
  });
  return { findings: sortFindings(applied.findings), section: renderApprovalSection(applied.record), approvals: applied.record.approvals };
}

/** Whether policy owners may approve findings (`policyExceptions` names owners or policies). */
function policyOwnersConfigured(config: BotConfig): boolean {
  return config.policyExceptions.owners.length > 0 || Object.keys(config.policyExceptions.policies).length > 0;
}

/** A commit reader seen as the file source `checkFiles` reads. */
function fileSource(reader: CommitReader): FileSource {
  const describe = reader.describeFile?.bind(reader);
  const prefetch = reader.prefetch?.bind(reader);
  return {
    listFiles: async () => (await reader.listFiles()).map((e) => e.path),
    readFile: (path) => reader.readFile(path),
    ...(describe ? { describeFile: describe } : {}),
    // Every manifest of the head the cache does not hold is read as context: announced, it can come in one go.
    ...(prefetch ? { prefetch } : {}),
  };
}

/** What the Check Run says besides the findings: the platform review, ownership not judged, refused reviewers, the approvals in force. */
function checkNotes(params: {
  review: PlatformReview;
  platformReview: PlatformReview & ReviewRequestResult;
  pr: PullRequestFacts;
  teams: Awaited<ReturnType<typeof findAuthorTeams>>;
  repository: string;
  /** The section on the policy owners' approvals in force, if any. */
  approvals: string | undefined;
}): PullRequestCheckNotes {
  const { review, platformReview, teams } = params;
  return {
    platformReview,
    ...(review.files.policies.length + review.files.config.length > 0 ? { baseCommit: params.pr.baseSha } : {}),
    ...(teams.skipped ? { ownershipSkipped: teams.skipped } : {}),
    ...(teams.judgedAs ? { ownershipJudgedAs: teams.judgedAs } : {}),
    remarks: describeRefusedReviewers({ refused: platformReview.refused, repository: params.repository }).map((p) => p.message),
    ...(params.approvals !== undefined ? { policyApprovals: params.approvals } : {}),
  };
}

/** Teams asked one by one at most; more are asked in one query. */
const ONE_BY_ONE_UP_TO = 2;

/**
 * The author's teams for namespace ownership. Up to two teams are asked one by one (admin teams
 * first, since one settles everything): REST reads, not throttled. More are answered by one query
 * for all the author's teams (GraphQL, which Octokit throttles like a write: worth it from three
 * teams on; a 3,000-file change across 25 teams asks once, not 26 times). The App's own pull
 * requests are judged as the requester they record (the request was checked against that person's team when it was
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
  const teams = params.ports.teams;
  if (!teams) return { skipped: "the repository belongs to a user account, which has no teams." };
  const author = params.pr.author;
  let login = author.login;
  let judgedAs: string | undefined;
  if (author.type === "Bot") {
    const own = (await params.ports.appLogin?.()) ?? null;
    if (own === null || author.login.toLowerCase() !== own.toLowerCase()) {
      return {
        authorTeams: [],
        judgedAs: `${codeSpan(author.login, 100)} is a bot, and bots belong to no team: only changes to files of no team's are allowed to it, and the platform team's review is needed for the rest.`,
      };
    }
    const requester = parseRequesterMarker(params.pr.body);
    // An upgrade pull request re-renders a request after a reviewed template change: it records no requester.
    if (requester === null)
      return { skipped: "this pull request of the bot records no requester (a template upgrade), so there is no one to judge it as." };
    login = requester;
    judgedAs = `this pull request of the bot was judged as ${mention(requester)}, who asked for it.`;
  }
  const judged = judgedAs ? { judgedAs } : {};
  if (candidates.admin.length + candidates.owners.length > ONE_BY_ONE_UP_TO) {
    const mine = await teams.all(login);
    const admin = candidates.admin.find((team) => mine.has(team.toLowerCase()));
    return { authorTeams: admin ? [admin] : candidates.owners.filter((team) => mine.has(team.toLowerCase())), ...judged };
  }
  for (const team of candidates.admin) if (await teams.isMember(team, login)) return { authorTeams: [team], ...judged };
  const member = await Promise.all(candidates.owners.map((team) => teams.isMember(team, login)));
  return { authorTeams: candidates.owners.filter((_, i) => member[i]), ...judged };
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
    const loaded = await readPolicies({ sources: [{ source: head, folder: config.gitops.policiesPath }] });
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

/** Asks the platform reviewers who are missing; returns the final plan, whom GitHub accepted and whom not. */
async function requestPlatformReview(params: {
  review: PlatformReview;
  pr: PullRequestUnderCheck;
  owner: string;
  config: BotConfig;
  ports: PullRequestCheckPorts;
}): Promise<PlatformReview & ReviewRequestResult> {
  let { review } = params;
  const { pr } = params;
  if (review.toRequest.length === 0) return { ...review, requested: [], refused: [] };
  // Reviews are read only when someone is still to ask and the pull request is not brand new.
  if (pr.mayHaveReviews) {
    const reviewed = await params.ports.listReviewers();
    review = planPlatformReview({
      paths: [...review.files.policies, ...review.files.templates, ...review.files.config],
      config: params.config,
      owner: params.owner,
      author: pr.author.login,
      requestedReviewers: pr.requestedReviewers,
      requestedTeams: pr.requestedTeams,
      reviewed,
      exceptionFiles: review.files.exceptions ?? [],
    });
    if (review.toRequest.length === 0) return { ...review, requested: [], refused: [] };
  }
  return { ...review, ...(await params.ports.requestReviewers(review.toRequest)) };
}
