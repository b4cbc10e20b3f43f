import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { gitBlobSha } from "../adapters/git-blob-sha.js";
import { LocalRepo } from "../adapters/local/local-repo.js";
import { readBuiltinCatalog, readCatalogDir } from "../adapters/local/read-builtin-catalog.js";
import { mergeCatalogs } from "../core/catalog/load-catalog.js";
import { hasErrors, problem, type Problem } from "../core/problems.js";
import type { Changeset } from "../core/plan/plan-changeset.js";
import { renderRequest } from "../core/render/render-request.js";
import { renderPullRequestBody } from "../core/report/pr-body.js";
import type { ProvisionRequest, RequestAction } from "../core/request/request.js";
import type { PullRequestDraft } from "../ports.js";
import { runRequest } from "../workflows/run-request.js";
import { EXIT_OK, EXIT_USAGE, printProblems, type CliIO } from "./io.js";
import { loadCliConfig } from "./load-cli-config.js";
import { parseKeyValues } from "../core/request/parse-key-values.js";
import { parseIssueRef } from "../core/request/application-annotations.js";

const REQUEST_OPTIONS = `  --config FILE                 the bot configuration (default: the clone's .github/gitops-bot.yml, else the defaults)
  --requester LOGIN             who asks (default: $USER); recorded in the pull request
  --repo-url URL                what the Argo CD Application reads when the config names no argocd.repoURL
  --request-issue OWNER/REPO#N  the request issue the Application names (its Argo CD statuses go there)
  --stat                        a line per file instead of the full diff
  -h, --help                    show this help`;

const USAGE: Record<string, string> = {
  render: `gitops-bot render <template> <size> name=… team=… environment=… [key=value …] [options]

Prints the files a request would render, validated exactly as a request; writes nothing.

Options:
  --config FILE                 the bot configuration whose environments and paths apply (default: the defaults)
  --catalog DIR                 a folder of templates (laid out like templates/) added to the built-in ones
  --request-issue OWNER/REPO#N  the request issue the Application names
  -h, --help                    show this help`,
  provision: `gitops-bot provision --repo DIR <template> <size> name=… team=… environment=… [key=value …] [options]

In a local clone of the GitOps repository: the request's branch with one commit of all its files.

Options:
  --repo DIR                    the clone (required)
${REQUEST_OPTIONS}`,
  resize: `gitops-bot resize --repo DIR <template> <size> name=… team=… environment=… [key=value …] [options]

The same request in another size: the same branch, a small diff.

Options:
  --repo DIR                    the clone (required)
${REQUEST_OPTIONS}`,
  deprovision: `gitops-bot deprovision --repo DIR <template> name=… team=… environment=… [options]

Deletes exactly the request's files (its folder and its Application), on the request's branch.

Options:
  --repo DIR                    the clone (required)
${REQUEST_OPTIONS}`,
  preview: `gitops-bot preview --repo DIR <template> <size> name=… team=… environment=… [key=value …] [options]

The diff and the pull request a request would give; nothing written.

Options:
  --repo DIR                    the clone (required)
${REQUEST_OPTIONS}`,
};

function usage(io: CliIO, command: string, message: string): number {
  io.stderr(`error: ${message}\nusage: ${USAGE[command] ?? ""}\n`);
  return EXIT_USAGE;
}

/**
 * `--request-issue owner/repo#N`: the issue a local request answers, so its Application names it
 * (the annotation Argo CD's statuses are mapped back through). Without it the Application names none.
 */
function requestIssueOption(text: string | undefined): { issue?: ProvisionRequest["issue"]; error?: string } {
  if (text === undefined) return {};
  const ref = parseIssueRef(text);
  if (!ref) return { error: `--request-issue must be OWNER/REPO#NUMBER, for example acme/requests#42.` };
  return { issue: { ...ref, url: `https://github.com/${ref.repository}/issues/${ref.number}` } };
}

/** `render`: prints a template's manifests for the given values, validated exactly as a request. */
export async function runRender(argv: string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { config: { type: "string" }, catalog: { type: "string" }, "request-issue": { type: "string" }, help: { type: "boolean", short: "h" } } });
  } catch (error) {
    return usage(io, "render", (error as Error).message);
  }
  if (parsed.values.help) {
    io.stdout(`usage: ${USAGE.render}\n`);
    return EXIT_OK;
  }
  const requestIssue = requestIssueOption(parsed.values["request-issue"]);
  if (requestIssue.error) return usage(io, "render", requestIssue.error);
  const [template, size, ...rest] = parsed.positionals;
  if (!template || !size) return usage(io, "render", "a template and a size are required.");
  const kv = parseKeyValues(rest);
  const { config, problems: configProblems } = await loadCliConfig({ explicit: parsed.values.config ? resolve(io.cwd, parsed.values.config) : undefined, cwd: io.cwd });
  const builtin = await readBuiltinCatalog();
  // --catalog DIR lets a platform team try its own templates on top of the built-in ones before a pull request.
  const extra = parsed.values.catalog ? await readCatalogDir(resolve(io.cwd, parsed.values.catalog)) : null;
  const catalog = extra ? mergeCatalogs(builtin.catalog, extra.catalog) : builtin.catalog;
  const problems: Problem[] = [...kv.problems, ...configProblems, ...builtin.problems, ...(extra?.problems ?? [])];
  printProblems(io, problems);
  if (hasErrors(problems) || !config) return EXIT_USAGE;
  const request: ProvisionRequest = { action: "provision", template, size, values: kv.values, requester: "cli", ...(requestIssue.issue ? { issue: requestIssue.issue } : {}) };
  const rendered = renderRequest({ request, catalog, config, repoURL: config.argocd.repoURL ?? "https://github.com/OWNER/GITOPS-REPO.git" });
  if (rendered.problems.length > 0) {
    printProblems(io, rendered.problems);
    return EXIT_USAGE;
  }
  for (const file of rendered.files) io.stdout(`# ---- ${file.path}\n${file.content}`);
  return EXIT_OK;
}

/** `provision`, `resize`, `deprovision`, `preview`: the App's workflow against a local clone. */
export async function runLocalRequest(action: RequestAction, argv: string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { repo: { type: "string" }, config: { type: "string" }, requester: { type: "string" }, "repo-url": { type: "string" }, stat: { type: "boolean" }, "request-issue": { type: "string" }, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    return usage(io, action, (error as Error).message);
  }
  if (parsed.values.help) {
    io.stdout(`usage: ${USAGE[action] ?? ""}\n`);
    return EXIT_OK;
  }
  const requestIssue = requestIssueOption(parsed.values["request-issue"]);
  if (requestIssue.error) return usage(io, action, requestIssue.error);
  const repoDir = parsed.values.repo ? resolve(io.cwd, parsed.values.repo) : undefined;
  if (!repoDir) return usage(io, action, "--repo DIR (a local clone of the GitOps repository) is required.");
  const positionals = [...parsed.positionals];
  const template = positionals.shift();
  const size = action === "deprovision" ? "" : positionals.shift();
  if (!template || size === undefined) return usage(io, action, action === "deprovision" ? "a template is required." : "a template and a size are required.");
  const kv = parseKeyValues(positionals);
  const { config, problems: configProblems } = await loadCliConfig({ explicit: parsed.values.config ? resolve(io.cwd, parsed.values.config) : undefined, repoDir, cwd: io.cwd });
  const { catalog, problems: catalogProblems } = await readBuiltinCatalog();
  const problems = [...kv.problems, ...configProblems, ...catalogProblems];
  printProblems(io, problems);
  if (hasErrors(problems) || !config) return EXIT_USAGE;
  const repo = new LocalRepo(repoDir, config.gitops.baseBranch);
  if ((await repo.resolveBranch(config.gitops.baseBranch)) === null) {
    printProblems(io, [problem("cli.no-base-branch", `${repoDir} has no branch \`${config.gitops.baseBranch}\`.`, { hint: "Point --repo at a clone of the GitOps repository, or set gitops.baseBranch." })]);
    return EXIT_USAGE;
  }
  const request: ProvisionRequest = {
    action,
    template,
    size: size ?? "",
    values: kv.values,
    requester: parsed.values.requester ?? process.env.USER ?? "cli",
    ...(requestIssue.issue ? { issue: requestIssue.issue } : {}),
  };
  const outcome = await runRequest({
    request,
    config,
    catalog,
    repo,
    publisher: repo,
    hashBlob: gitBlobSha,
    repoURL: parsed.values["repo-url"] ?? config.argocd.repoURL ?? `file://${repoDir}`,
  });
  const showPullRequest = (draft: PullRequestDraft, changeset: Changeset) => {
    io.stdout(`\n${io.color ? "\u001b[1mThe pull request would say:\u001b[0m" : "The pull request would say:"}\n# ${draft.title}\nlabels: ${draft.labels.join(", ") || "none"}; reviewers: ${draft.reviewers.join(", ") || "none"}\n\n`);
    io.stdout(`${renderPullRequestBody({ request, changeset, reviewers: draft.reviewers, includeDiff: false })}\n`);
  };
  const showChanges = (changeset: Changeset) => io.stdout(parsed.values.stat ? `${renderStat(changeset)}\n` : `${changeset.diff}\n`);
  switch (outcome.kind) {
    case "rejected":
      printProblems(io, outcome.problems);
      io.stderr("Nothing was written.\n");
      return EXIT_USAGE;
    case "up-to-date":
      io.stdout(`${config.gitops.baseBranch} already has exactly these files: nothing to do, nothing written.\n`);
      return EXIT_OK;
    case "preview":
      showChanges(outcome.changeset);
      io.stdout(`Nothing written; it would go to branch ${outcome.branch}.\n`);
      showPullRequest(outcome.pullRequest, outcome.changeset);
      return EXIT_OK;
    case "published":
      if (outcome.result.commit === null) {
        io.stdout(`Branch ${outcome.branch} already holds exactly this change: nothing written.\n`);
        return EXIT_OK;
      }
      showChanges(outcome.changeset);
      io.stdout(`Wrote branch ${outcome.branch}: one commit ${outcome.result.commit.slice(0, 12)} with ${outcome.changeset.changes.length} file(s).\n`);
      showPullRequest(outcome.pullRequest, outcome.changeset);
      return EXIT_OK;
  }
}

/** One line per file with added and removed line counts, like `git diff --stat`. */
export function renderStat(changeset: Changeset): string {
  const lines = (text: string | null) => (text === null || text === "" ? 0 : text.split("\n").length - (text.endsWith("\n") ? 1 : 0));
  return changeset.changes
    .map((c) => {
      const removed = c.kind === "added" ? 0 : lines(c.before);
      const added = lines(c.after);
      return ` ${c.kind.padEnd(7)} ${c.path}  (+${added} -${removed})`;
    })
    .join("\n");
}
