import { resolve } from "node:path";
import { gitBlobSha } from "../adapters/git-blob-sha.js";
import { LocalRepo } from "../adapters/local/local-repo.js";
import { readBuiltinCatalog, readCatalogDir } from "../adapters/local/read-builtin-catalog.js";
import type { BotConfig } from "../core/config/bot-config.schema.js";
import { mergeCatalogs } from "../core/catalog/load-catalog.js";
import { hasErrors, problem, type Problem } from "../core/problems.js";
import type { Changeset } from "../core/plan/plan-changeset.js";
import { renderRequest } from "../core/render/render-request.js";
import { renderPullRequestBody } from "../core/report/pr-body.js";
import type { ProvisionRequest, RequestAction } from "../core/request/request.js";
import type { PullRequestDraft } from "../ports.js";
import { runRequest, type RequestOutcome } from "../workflows/run-request.js";
import { defineCommand, type ValuesOf } from "./define-command.js";
import { EXIT_OK, EXIT_USAGE, printProblems, type CliIO } from "./io.js";
import { loadCliConfig } from "./load-cli-config.js";
import { parseKeyValues } from "../core/request/parse-key-values.js";
import { parseIssueRef } from "../core/request/application-annotations.js";

const REQUEST_ISSUE = {
  type: "string",
  value: "OWNER/REPO#N",
  help: "the request issue the Application names (its Argo CD statuses go there)",
} as const;

const RENDER_COMMAND = defineCommand({
  usage: "render <template> <size> name=… team=… environment=… [key=value …] [options]",
  about: "Prints the files a request would render, validated exactly as a request; writes nothing.",
  options: {
    config: { type: "string", value: "FILE", help: "the bot configuration whose environments and paths apply (default: the defaults)" },
    catalog: { type: "string", value: "DIR", help: "a folder of templates (laid out like templates/) added to the built-in ones" },
    "request-issue": REQUEST_ISSUE,
  },
});

/** The options of the four commands that run a request against a local clone. */
const LOCAL_REQUEST_OPTIONS = {
  repo: { type: "string", value: "DIR", help: "the clone (required)" },
  config: { type: "string", value: "FILE", help: "the bot configuration (default: the clone's .github/gitops-bot.yml, else the defaults)" },
  requester: { type: "string", value: "LOGIN", help: "who asks (default: $USER); recorded in the pull request" },
  "repo-url": { type: "string", value: "URL", help: "what the Argo CD Application reads when the config names no argocd.repoURL" },
  "request-issue": REQUEST_ISSUE,
  stat: { type: "boolean", help: "a line per file instead of the full diff" },
} as const;

const SIZED = "<template> <size> name=… team=… environment=… [key=value …] [options]";
const LOCAL_REQUEST_COMMANDS = {
  provision: defineCommand({
    usage: `provision --repo DIR ${SIZED}`,
    about: "In a local clone of the GitOps repository: the request's branch with one commit of all its files.",
    options: LOCAL_REQUEST_OPTIONS,
  }),
  resize: defineCommand({
    usage: `resize --repo DIR ${SIZED}`,
    about: "The same request in another size: the same branch, a small diff.",
    options: LOCAL_REQUEST_OPTIONS,
  }),
  deprovision: defineCommand({
    usage: "deprovision --repo DIR <template> name=… team=… environment=… [options]",
    about: "Deletes exactly the request's files (its folder and its Application), on the request's branch.",
    options: LOCAL_REQUEST_OPTIONS,
  }),
  preview: defineCommand({
    usage: `preview --repo DIR ${SIZED}`,
    about: "The diff and the pull request a request would give; nothing written.",
    options: LOCAL_REQUEST_OPTIONS,
  }),
} satisfies Record<RequestAction, unknown>;

type LocalRequestValues = ValuesOf<(typeof LOCAL_REQUEST_COMMANDS)["provision"]>;

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
export const runRender = RENDER_COMMAND.run(async ({ values, positionals, io, usageError }) => {
  const requestIssue = requestIssueOption(values["request-issue"]);
  if (requestIssue.error) return usageError(requestIssue.error);
  const [template, size, ...rest] = positionals;
  if (!template || !size) return usageError("a template and a size are required.");
  const kv = parseKeyValues(rest);
  const { config, problems: configProblems } = await loadCliConfig({
    explicit: values.config ? resolve(io.cwd, values.config) : undefined,
    cwd: io.cwd,
  });
  const builtin = await readBuiltinCatalog();
  // --catalog DIR lets a platform team try its own templates on top of the built-in ones before a pull request.
  const extra = values.catalog ? await readCatalogDir(resolve(io.cwd, values.catalog)) : null;
  const catalog = extra ? mergeCatalogs(builtin.catalog, extra.catalog) : builtin.catalog;
  const problems: Problem[] = [...kv.problems, ...configProblems, ...builtin.problems, ...(extra?.problems ?? [])];
  printProblems(io, problems);
  if (hasErrors(problems) || !config) return EXIT_USAGE;
  const request: ProvisionRequest = {
    action: "provision",
    template,
    size,
    values: kv.values,
    requester: "cli",
    ...(requestIssue.issue ? { issue: requestIssue.issue } : {}),
  };
  const rendered = renderRequest({
    request,
    catalog,
    config,
    repoURL: config.argocd.repoURL ?? "https://github.com/OWNER/GITOPS-REPO.git",
  });
  if (rendered.problems.length > 0) {
    printProblems(io, rendered.problems);
    return EXIT_USAGE;
  }
  for (const file of rendered.files) io.stdout(`# ---- ${file.path}\n${file.content}`);
  return EXIT_OK;
});

/** `provision`, `resize`, `deprovision`, `preview`: the App's workflow against a local clone. */
export async function runLocalRequest(action: RequestAction, argv: string[], io: CliIO): Promise<number> {
  return LOCAL_REQUEST_COMMANDS[action].run((args) => localRequest({ action, ...args }))(argv, io);
}

async function localRequest(params: {
  action: RequestAction;
  values: LocalRequestValues;
  positionals: string[];
  io: CliIO;
  usageError: (message: string) => number;
}): Promise<number> {
  const { action, values, io, usageError } = params;
  const requestIssue = requestIssueOption(values["request-issue"]);
  if (requestIssue.error) return usageError(requestIssue.error);
  const repoDir = values.repo ? resolve(io.cwd, values.repo) : undefined;
  if (!repoDir) return usageError("--repo DIR (a local clone of the GitOps repository) is required.");
  const positionals = [...params.positionals];
  const template = positionals.shift();
  const size = action === "deprovision" ? "" : positionals.shift();
  if (!template || size === undefined)
    return usageError(action === "deprovision" ? "a template is required." : "a template and a size are required.");
  const kv = parseKeyValues(positionals);
  const { config, problems: configProblems } = await loadCliConfig({
    explicit: values.config ? resolve(io.cwd, values.config) : undefined,
    repoDir,
    cwd: io.cwd,
  });
  const { catalog, problems: catalogProblems } = await readBuiltinCatalog();
  const problems = [...kv.problems, ...configProblems, ...catalogProblems];
  printProblems(io, problems);
  if (hasErrors(problems) || !config) return EXIT_USAGE;
  const repo = new LocalRepo(repoDir, config.gitops.baseBranch);
  // One git process reads every blob of the command; it ends with the command.
  try {
    if ((await repo.resolveBranch(config.gitops.baseBranch)) === null) {
      printProblems(io, [
        problem("cli.no-base-branch", `${repoDir} has no branch \`${config.gitops.baseBranch}\`.`, {
          hint: "Point --repo at a clone of the GitOps repository, or set gitops.baseBranch.",
        }),
      ]);
      return EXIT_USAGE;
    }
    const request: ProvisionRequest = {
      action,
      template,
      size: size ?? "",
      values: kv.values,
      requester: values.requester ?? process.env.USER ?? "cli",
      ...(requestIssue.issue ? { issue: requestIssue.issue } : {}),
    };
    const outcome = await runRequest({
      request,
      config,
      catalog,
      repo,
      publisher: repo,
      hashBlob: gitBlobSha,
      repoURL: values["repo-url"] ?? config.argocd.repoURL ?? `file://${repoDir}`,
    });
    return printOutcome({ outcome, request, config, io, stat: values.stat === true });
  } finally {
    repo.close();
  }
}

/** Tells what the request did, or would do, to the clone; returns the exit code. */
function printOutcome(params: { outcome: RequestOutcome; request: ProvisionRequest; config: BotConfig; io: CliIO; stat: boolean }): number {
  const { outcome, request, config, io } = params;
  const showPullRequest = (draft: PullRequestDraft, changeset: Changeset) => {
    io.stdout(
      `\n${io.color ? "\u001b[1mThe pull request would say:\u001b[0m" : "The pull request would say:"}\n# ${draft.title}\nlabels: ${draft.labels.join(", ") || "none"}; reviewers: ${draft.reviewers.join(", ") || "none"}\n\n`,
    );
    io.stdout(`${renderPullRequestBody({ request, changeset, reviewers: draft.reviewers, includeDiff: false })}\n`);
  };
  const showChanges = (changeset: Changeset) => io.stdout(params.stat ? `${renderStat(changeset)}\n` : `${changeset.diff}\n`);
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
      io.stdout(
        `Wrote branch ${outcome.branch}: one commit ${outcome.result.commit.slice(0, 12)} with ${outcome.changeset.changes.length} file(s).\n`,
      );
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
