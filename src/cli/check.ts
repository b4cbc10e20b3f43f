import { stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { readBuiltinPolicies } from "../adapters/local/read-builtin-policies.js";
import type { BotConfig } from "../core/config/bot-config.schema.js";
import { BOT_CONFIG_FILE } from "../core/config/parse-bot-config.js";
import { sortFindings } from "../core/policy/evaluate.js";
import type { Finding } from "../core/policy/types.js";
import { describeSkippedFiles } from "../core/report/describe-skipped-files.js";
import { formatFindings } from "../core/report/format-findings.js";
import { kubernetesModelsSchemas } from "../adapters/schemas/kubernetes-models-schemas.js";
import { checkFiles, type CheckFilesResult, type PolicySource } from "../workflows/check-files.js";
import { catalogPathsToSkip, findTemplateFolders } from "../workflows/find-template-folders.js";
import { gitOpsCheckScope } from "../workflows/gitops-check-scope.js";
import { readPolicies } from "../workflows/read-policies.js";
import { collectCheckInputs, inputProblem, type CheckInputs } from "./check-inputs.js";
import { CHECK_COMMAND, toCheckOptions, type CheckOptions } from "./check-options.js";
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, printProblems, type CliIO } from "./io.js";
import { loadCliConfig } from "./load-cli-config.js";
import { markPhase } from "./mark-phase.js";
import { packageVersion } from "./package-info.js";

/**
 * `gitops-bot check`: the command line face of the pull request check, for CI pipelines and
 * pre-commit hooks. Returns the exit code instead of exiting, so tests drive it in-process.
 */
export const runCheck = CHECK_COMMAND.run(async ({ values, positionals, io, usageError }) => {
  const options = toCheckOptions(values, positionals);
  if (typeof options === "string") return usageError(options);
  for (const dir of options.policies) {
    if (!(await isDirectory(path.resolve(io.cwd, dir)))) return usageError(`--policies must name a folder: ${dir}`);
  }
  return check(options, io);
});

/** What a check found, ready to print: findings with the paths the user knows, and what was judged. */
interface Judgement {
  result: CheckFilesResult;
  findings: Finding[];
  /** Inputs that could not be read: they make the exit code 2. */
  problems: Finding[];
  templates: number;
  shown: (file: string) => string;
  /** The configuration file the check followed, as shown; undefined outside a GitOps repository. */
  config: string | undefined;
}

async function check(options: CheckOptions, io: CliIO): Promise<number> {
  const judgement = await judge(options, io);
  return typeof judgement === "number" ? judgement : report({ options, io, judgement });
}

/** The policies to check with and the folders to leave out: the repository's own, as its pull request check has them, or what was named. */
async function policyScope(params: {
  options: CheckOptions;
  io: CliIO;
  config: BotConfig;
  gitops: boolean;
  repository: CheckInputs["source"];
}) {
  const { options, io, config, gitops } = params;
  const extra: PolicySource[] = await Promise.all(
    options.policies.map(async (dir) => ({
      source: await readBuiltinPolicies(path.resolve(io.cwd, dir)),
      folder: "",
      label: `from ${displayPath(io.cwd, path.resolve(io.cwd, dir))}`,
    })),
  );
  const builtin = options.builtinPolicies ? await readBuiltinPolicies() : undefined;
  return gitops
    ? gitOpsCheckScope({ config, ...(builtin ? { builtin } : {}), repository: params.repository, extra })
    : { policySources: [...(builtin ? [{ source: builtin, folder: "", label: "built-in" }] : []), ...extra], excludeFolders: [] };
}

/** Renders the template folders with their examples and judges the result; the catalog and rendering code is loaded only when there is a template to judge. */
async function judgeTemplates(params: {
  source: CheckInputs["source"];
  folders: string[];
  config: BotConfig;
  result: CheckFilesResult;
}): Promise<Finding[]> {
  if (params.folders.length === 0) return [];
  const { checkTemplates } = await import("../workflows/check-templates.js");
  return checkTemplates({
    source: params.source,
    folders: params.folders,
    config: params.config,
    policies: params.result.policies,
    ...(params.result.platform ? { platform: params.result.platform } : {}),
    schemas: kubernetesModelsSchemas,
  });
}

/** Judges what the options name, as the pull request check would; a number is the exit code of a config that cannot be used. */
async function judge(options: CheckOptions, io: CliIO): Promise<Judgement | number> {
  const repository = await findGitOpsRepository(io.cwd);
  const explicitConfig = options.config ? path.resolve(io.cwd, options.config) : undefined;
  const loaded = await loadCliConfig({
    ...(explicitConfig ? { explicit: explicitConfig } : {}),
    ...(repository.gitops ? { repoDir: repository.root } : {}),
    cwd: io.cwd,
  });
  printProblems(io, loaded.problems);
  if (!loaded.config) return EXIT_USAGE;
  const config = loaded.config;
  // A GitOps repository is judged as its pull request check judges it; elsewhere, what was named.
  const gitops = repository.gitops || explicitConfig !== undefined;
  const inRepository = repository.gitops || (gitops && repository.git);
  const root = inRepository ? repository.root : io.cwd;

  const inputs = await collectCheckInputs({
    cwd: io.cwd,
    root,
    args: options.paths.length > 0 ? options.paths : ["."],
    exclude: options.exclude,
    context: inRepository,
    ...(io.readStdin ? { readStdin: io.readStdin } : {}),
  });
  const keyOf = (dir: string) => {
    const relative = path.relative(root, path.resolve(io.cwd, dir)).split(path.sep).join("/");
    return relative.startsWith("..") || path.isAbsolute(relative) ? undefined : relative;
  };
  const scope = await policyScope({ options, io, config, gitops, repository: inputs.source });

  const listed = await inputs.source.listFiles();
  const judged = new Set(inputs.judged);
  const context = new Set(listed.filter((file) => !judged.has(file)));
  // Template folders hold placeholders, not manifests: they are rendered with their examples and judged instead.
  const templateFolders = (await findTemplateFolders(inputs.source, listed)).filter(
    (folder) => !gitops || inputs.judged.some((file) => file.startsWith(`${folder}/`)),
  );
  const result = await checkFiles({
    source: inputs.source,
    policies: await readPolicies({ sources: scope.policySources }),
    alwaysRead: inputs.named,
    ...(gitops ? { changedFiles: inputs.judged } : {}),
    // A policy folder inside the checked tree holds policies, not manifests to judge.
    excludeFolders: [
      ...scope.excludeFolders,
      ...options.policies.flatMap((dir) => keyOf(dir) ?? []),
      ...catalogPathsToSkip(templateFolders, listed),
    ],
    schemas: kubernetesModelsSchemas,
    // A clone is not a trust boundary: every PolicyException in it counts, as it would in the cluster once applied.
    exceptions: { fromChangedFiles: true, ...(config.policyExceptions.namespace ? { namespace: config.policyExceptions.namespace } : {}) },
  });
  const templateFindings = await judgeTemplates({ source: inputs.source, folders: templateFolders, config, result });

  const nothingChecked =
    options.paths.length > 0 && result.checkedFiles.length === 0 && templateFolders.length === 0 && inputs.problems.length === 0;
  const problems = [
    ...inputs.problems,
    ...inputs.source.unreadable(),
    ...(nothingChecked ? [inputProblem("", `Nothing to check in ${options.paths.join(" ")}: no manifest and no template was found.`)] : []),
  ];
  const shown = (file: string) =>
    file === "" || root === io.cwd || path.isAbsolute(file) || file.startsWith("<") ? file : displayPath(io.cwd, path.join(root, file));
  const findings = sortFindings(
    // Files read only as context are not the ones asked about; problems in policy folders always are.
    [
      ...result.findings.filter((f) => !context.has(f.file) || isPolicyFile(f.file, config.gitops.policiesPath)),
      ...templateFindings,
      ...problems,
    ].map((f) => ({ ...f, file: shown(f.file) })),
  );
  return {
    result,
    findings,
    problems,
    templates: templateFolders.length,
    shown,
    config: gitops ? (explicitConfig ? displayPath(io.cwd, explicitConfig) : BOT_CONFIG_FILE) : undefined,
  };
}

/** Prints the findings, the SARIF file and the summary; returns the exit code. */
async function report(params: { options: CheckOptions; io: CliIO; judgement: Judgement }): Promise<number> {
  const { options, io } = params;
  const { result, findings, problems, shown } = params.judgement;
  if (result.policies.length === 0 && !result.platform)
    io.stderr("warning: no policies were found; nothing was checked against a policy.\n");
  const text = formatFindings({
    findings,
    format: options.format,
    ruleDescriptions: result.ruleDescriptions,
    skipped: result.skippedFiles,
    ...(result.schemaSet ? { schemas: result.schemaSet } : {}),
    quiet: options.quiet,
    color: options.color ?? io.color ?? false,
    ...(options.format === "sarif" ? { toolVersion: packageVersion() } : {}),
  });
  markPhase("first-finding");
  io.stdout(text);
  if (options.sarif) {
    const sarif = formatFindings({
      findings,
      format: "sarif",
      ruleDescriptions: result.ruleDescriptions,
      skipped: result.skippedFiles,
      ...(result.schemaSet ? { schemas: result.schemaSet } : {}),
      toolVersion: packageVersion(),
    });
    await writeFile(path.resolve(io.cwd, options.sarif), sarif);
  }
  // Say what was judged, so "No findings." after checking nothing cannot pass for a clean result.
  if (options.format === "text" && !options.quiet) {
    io.stdout(summaryLine({ result, templates: params.judgement.templates, config: params.judgement.config }));
    if (result.schemaSet) io.stdout(`${result.schemaSet.note.replaceAll("`", "")}\n`);
    // Every candidate Argo CD could read that was not judged, with its reason: nothing is left out unsaid.
    const skipped = describeSkippedFiles({
      skipped: result.skippedFiles.map((file) => ({ ...file, path: shown(file.path) })),
      format: "text",
    });
    if (skipped.length > 0) io.stdout(`${skipped.join("\n")}\n`);
  }
  if (problems.length > 0) return EXIT_USAGE;
  return findings.some((f) => f.severity === "error" || (options.failOn === "warning" && f.severity === "warning"))
    ? EXIT_FINDINGS
    : EXIT_OK;
}

/** `Checked 3 files and 1 template against 18 policies (15 built-in + 3 from platform/policies) and the platform rules.` */
function summaryLine(params: { result: CheckFilesResult; templates: number; config: string | undefined }): string {
  const { result } = params;
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const templates =
    params.templates > 0 ? ` and ${plural(params.templates, "template", "templates")} (every size, rendered with their examples)` : "";
  const sets = result.policySets;
  // No set (--no-builtin-policies and no policy folder): just "0 policies", not an empty "()".
  const policies =
    sets.length === 1 && sets[0]?.label === "built-in"
      ? plural(result.policies.length, "built-in policy", "built-in policies")
      : sets.length === 0
        ? plural(result.policies.length, "policy", "policies")
        : `${plural(result.policies.length, "policy", "policies")} (${sets.map((set) => `${set.policies} ${set.label}`).join(" + ")})`;
  const config = params.config ? `, configured by ${params.config}` : "";
  const keys = result.exceptions.map((e) => e.key);
  const exceptions =
    keys.length > 0
      ? `, honouring ${plural(keys.length, "Kyverno PolicyException", "Kyverno PolicyExceptions")} (${keys.slice(0, 3).join(", ")}${keys.length > 3 ? ", …" : ""})`
      : "";
  return `Checked ${plural(result.checkedFiles.length, "file", "files")}${templates} against ${policies}${result.platform ? " and the platform rules" : ""}${exceptions}${config}.\n`;
}

function isPolicyFile(file: string, policiesPath: string): boolean {
  return file.startsWith(`${policiesPath}/`);
}

/**
 * The GitOps repository around `cwd`: the nearest folder holding `.github/gitops-bot.yml`, looked
 * for up to the enclosing git repository's top. Without one, the bot does not check there either.
 */
async function findGitOpsRepository(cwd: string): Promise<{ root: string; gitops: boolean; git: boolean }> {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (await exists(path.join(dir, BOT_CONFIG_FILE))) return { root: dir, gitops: true, git: true };
    if (await exists(path.join(dir, ".git"))) return { root: dir, gitops: false, git: true };
    if (path.dirname(dir) === dir) return { root: cwd, gitops: false, git: false };
  }
}

/** Paths as a compiler shows them: relative to the working folder, absolute when far outside it. */
function displayPath(cwd: string, absolute: string): string {
  const relative = path.relative(cwd, absolute);
  return (relative === "" ? "." : path.isAbsolute(relative) ? absolute : relative).split(path.sep).join("/");
}

async function exists(target: string): Promise<boolean> {
  return (await stat(target).catch(() => undefined)) !== undefined;
}

async function isDirectory(target: string): Promise<boolean> {
  return (await stat(target).catch(() => undefined))?.isDirectory() ?? false;
}

export type { CheckOptions };
