import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { describeSkippedFiles } from "../core/report/describe-skipped-files.js";
import { FINDING_FORMATS, formatFindings, type FindingFormat } from "../core/report/format-findings.js";
import { sortFindings } from "../core/policy/evaluate.js";
import { checkFiles, type FileSource } from "../workflows/check-files.js";
import { catalogPathsToSkip, checkTemplates, findTemplateFolders } from "../workflows/check-templates.js";
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, printProblems, type CliIO } from "./io.js";
import { loadCliConfig } from "./load-cli-config.js";

/** The project's policies/ folder: two levels up from src/cli/ and from dist/cli/ alike. */
export const DEFAULT_POLICIES_DIR = fileURLToPath(new URL("../../policies/", import.meta.url));

const USAGE = `Usage: gitops-bot check [paths…] [--policies DIR]… [--format text|json|sarif] [--config FILE]

Checks the Kubernetes manifests under the given files and folders (default: the current folder)
against Kyverno policies and the platform rules, and prints every finding with its file, line and
column. Folders are walked recursively, following Argo CD's rules: .yaml, .yml and .json files are
read (hidden folders too; .git and node_modules are not walked), Helm charts and files holding no
Kubernetes object are not judged, and the output says which files were left out and why. A folder with a gitops-bot template.yaml is a template: it is rendered
in every size with its examples and the result is judged, with findings on the template's lines.

Options:
  --policies DIR   a folder of Kyverno policies and an optional PlatformConfig; repeat to add more
                   (later folders override earlier ones). Default: the built-in policies.
  --format FORMAT  text (default, file:line:column like a compiler), json, or sarif (2.1.0, for
                   GitHub code scanning).
  --config FILE    the bot configuration whose environments templates are rendered for
                   (default: the built-in defaults).
  -h, --help       show this help.

Exit codes: 0 no errors (warnings may be printed), 1 error findings, 2 bad usage.
`;

/**
 * `gitops-bot check`: the command line face of the policy check, for CI pipelines and pre-commit
 * hooks. Returns the exit code instead of exiting, so tests drive it in-process.
 */
export async function runCheck(argv: string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        policies: { type: "string", multiple: true },
        config: { type: "string" },
        format: { type: "string", default: "text" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    return usageError(io, error instanceof Error ? error.message : String(error));
  }
  if (parsed.values.help) {
    io.stdout(USAGE);
    return EXIT_OK;
  }
  const format = parsed.values.format;
  if (!isFormat(format)) return usageError(io, `unknown format \`${format}\`; use one of: ${FINDING_FORMATS.join(", ")}`);

  const roots = parsed.positionals.length > 0 ? parsed.positionals : ["."];
  for (const root of roots) {
    if (!(await exists(path.resolve(io.cwd, root)))) return usageError(io, `no such file or folder: ${root}`);
  }
  const policyDirs = parsed.values.policies ?? [DEFAULT_POLICIES_DIR];
  for (const dir of policyDirs) {
    if (!(await isDirectory(path.resolve(io.cwd, dir)))) return usageError(io, `--policies must name a folder: ${dir}`);
  }

  const policyFolders = policyDirs.map((dir) => {
    const shown = displayPath(io.cwd, path.resolve(io.cwd, dir));
    return shown === "." ? "" : shown;
  });
  const { config, problems: configProblems } = await loadCliConfig({ explicit: parsed.values.config ? path.resolve(io.cwd, parsed.values.config) : undefined });
  if (!config) {
    printProblems(io, configProblems);
    return EXIT_USAGE;
  }
  const source = directorySource({ cwd: io.cwd, roots });
  // Template folders hold placeholders, not manifests: they are rendered with their examples and judged instead.
  const listed = await source.listFiles();
  const templateFolders = await findTemplateFolders(source, listed);
  const result = await checkFiles({
    source,
    policySources: policyDirs.map((dir, index) => ({
      source: directorySource({ cwd: io.cwd, roots: [dir] }),
      folder: policyFolders[index] ?? "",
    })),
    // A policy folder inside the checked tree holds policies, not manifests to judge.
    excludeFolders: [...policyFolders.filter((folder) => folder !== ""), ...catalogPathsToSkip(templateFolders, listed)],
  });
  const templateFindings = await checkTemplates({
    source,
    folders: templateFolders,
    config,
    policies: result.policies,
    ...(result.platform ? { platform: result.platform } : {}),
  });
  const findings = sortFindings([...result.findings, ...templateFindings]);
  if (result.policies.length === 0 && !result.platform) {
    io.stderr(`warning: no policies found in ${policyDirs.join(", ")}; nothing was checked against a policy.\n`);
  }
  io.stdout(
    formatFindings({
      findings,
      format,
      ruleDescriptions: result.ruleDescriptions,
      skipped: result.skippedFiles,
      ...(format === "sarif" ? { toolVersion: await packageVersion() } : {}),
    }),
  );
  // Say what was judged, so "No findings." after checking nothing cannot pass for a clean result.
  if (format === "text") {
    const templates = templateFolders.length > 0 ? ` and ${templateFolders.length} template${templateFolders.length === 1 ? "" : "s"} (every size, rendered with their examples)` : "";
    io.stdout(`Checked ${result.checkedFiles.length} file${result.checkedFiles.length === 1 ? "" : "s"}${templates} against ${result.policies.length} polic${result.policies.length === 1 ? "y" : "ies"}${result.platform ? " and the platform rules" : ""}.\n`);
    const skipped = describeSkippedFiles({ skipped: result.skippedFiles, format: "text" });
    if (skipped.length > 0) io.stdout(`${skipped.join("\n")}\n`);
  }
  return findings.some((finding) => finding.severity === "error") ? EXIT_FINDINGS : EXIT_OK;
}

function usageError(io: CliIO, message: string): number {
  io.stderr(`error: ${message}\n\n${USAGE}`);
  return EXIT_USAGE;
}

function isFormat(value: string): value is FindingFormat {
  return (FINDING_FORMATS as readonly string[]).includes(value);
}

const SKIPPED_FOLDERS = new Set([".git", "node_modules"]);

/**
 * A file source over folders and files on disk. Paths are shown relative to the working folder, as
 * a compiler would (absolute when outside it, since `../` would read as a hidden folder).
 */
function directorySource(params: { cwd: string; roots: readonly string[] }): FileSource {
  let listing: Promise<string[]> | undefined;
  return {
    // Walked once: the template search and the check share the listing.
    listFiles() {
      listing ??= (async () => {
        const files = new Set<string>();
        for (const root of params.roots) {
          for (const file of await walk(path.resolve(params.cwd, root))) files.add(displayPath(params.cwd, file));
        }
        return [...files];
      })();
      return listing;
    },
    async readFile(file) {
      try {
        return await readFile(path.resolve(params.cwd, file), "utf8");
      } catch {
        return null;
      }
    },
  };
}

async function walk(target: string): Promise<string[]> {
  const info = await stat(target);
  if (!info.isDirectory()) return [target];
  const out: string[] = [];
  const entries = await readdir(target, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(target, entry.name);
    // Symlinked folders are not followed: a link back up the tree would never end.
    if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) out.push(...(await walk(full)));
    else if (entry.isFile() || (entry.isSymbolicLink() && (await stat(full).catch(() => undefined))?.isFile())) out.push(full);
  }
  return out;
}

function displayPath(cwd: string, absolute: string): string {
  const relative = path.relative(cwd, absolute);
  const shown = relative === "" ? "." : relative.startsWith("..") || path.isAbsolute(relative) ? absolute : relative;
  return shown.split(path.sep).join("/");
}

async function exists(target: string): Promise<boolean> {
  return (await stat(target).catch(() => undefined)) !== undefined;
}

async function isDirectory(target: string): Promise<boolean> {
  return (await stat(target).catch(() => undefined))?.isDirectory() ?? false;
}

async function packageVersion(): Promise<string | undefined> {
  try {
    const text = await readFile(new URL("../../package.json", import.meta.url), "utf8");
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === "string" ? version : undefined;
  } catch {
    return undefined;
  }
}
