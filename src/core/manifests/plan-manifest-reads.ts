import { problem, type Problem } from "../problems.js";
import type { SkippedFile } from "./types.js";
import { formatCount } from "../format-count.js";

/**
 * How much one check reads. Far above a real change (the biggest GitOps repositories hold a few
 * thousand manifests of a few KiB), far below what would keep a two-core bot busy for minutes: the
 * policy check of 5,000 manifests takes about a third of a second (`npm run bench`).
 */
export interface ReadLimits {
  /** Most files read in one check. */
  maxFiles: number;
  /** Most bytes read in one check, all files together. */
  maxBytes: number;
  /** Largest single file, in bytes (the YAML `maxBytes` limit): larger ones are not even downloaded. */
  maxFileBytes: number;
}

export const DEFAULT_READ_LIMITS: Readonly<Omit<ReadLimits, "maxFileBytes">> = Object.freeze({
  maxFiles: 5_000,
  maxBytes: 32 * 1024 * 1024,
});

/** What a file source knows about a file before reading it. */
export interface FileFacts {
  /** Size in bytes, when the source knows it (a git tree listing does; a folder on disk on `stat`). */
  size?: number;
  /** The git blob SHA of the content, when the source knows it (a git tree listing does): parses are cached by it. */
  sha?: string;
  /** Why the file is not read as it stands: a symbolic link that leaves the repository, a loop. */
  problem?: Problem;
}

export interface ManifestReadPlan {
  /** The files to read, judged ones first. */
  read: string[];
  skipped: SkippedFile[];
  /** Problems to report: judged files not read, and one finding for what a limit left out. */
  problems: Problem[];
}

const LISTED = 20;

/**
 * Decides which selected files a check reads, before reading any: judged files first, so a limit
 * leaves out context (files only counted for quotas and references) before anything under review;
 * a file larger than `maxFileBytes` is neither downloaded nor parsed; past `maxFiles` or `maxBytes`
 * nothing more is read. Nothing is left out without a word: every file not read is in `skipped`
 * with its reason, judged ones also get a problem, and one problem lists what the limits left out
 * (an error when changed files are among them, a warning when only context is).
 */
export function planManifestReads(params: {
  paths: readonly string[];
  /** Facts per path, in the order of `paths`. */
  facts: readonly FileFacts[];
  isJudged: (path: string) => boolean;
  limits: ReadLimits;
}): ManifestReadPlan {
  const { limits, isJudged } = params;
  const indexed = params.paths.map((path, index) => ({ path, fact: params.facts[index] ?? {} }));
  const ordered = [...indexed.filter((e) => isJudged(e.path)), ...indexed.filter((e) => !isJudged(e.path))];
  const plan: ManifestReadPlan = { read: [], skipped: [], problems: [] };
  const overLimit: string[] = [];
  let budget = limits.maxBytes;
  for (const { path, fact } of ordered) {
    if (fact.problem) {
      plan.skipped.push({ path, reason: "unreadable", detail: fact.problem.message });
      if (isJudged(path)) plan.problems.push(fact.problem);
    } else if (fact.size !== undefined && fact.size > limits.maxFileBytes) {
      plan.skipped.push({
        path,
        reason: "too-large",
        detail: `${formatBytes(fact.size)}, over the ${formatBytes(limits.maxFileBytes)} limit`,
      });
      if (isJudged(path)) plan.problems.push(tooLarge(path, limits.maxFileBytes));
    } else if (plan.read.length >= limits.maxFiles || (fact.size ?? 0) > budget) {
      overLimit.push(path);
    } else {
      plan.read.push(path);
      budget -= fact.size ?? 0;
    }
  }
  const detail = `the check reads at most ${formatCount(limits.maxFiles)} files and ${formatBytes(limits.maxBytes)}`;
  for (const path of overLimit) plan.skipped.push({ path, reason: "over-limit", detail });
  const unreadJudged = overLimit.filter(isJudged);
  if (overLimit.length > 0)
    plan.problems.push(notRead({ paths: unreadJudged.length > 0 ? unreadJudged : overLimit, judged: unreadJudged.length > 0, detail }));
  return plan;
}

/** The problem of a judged file that was listed but could not be read. */
export function unreadableFile(path: string): Problem {
  return problem("manifest.unreadable", "The file is listed but could not be read, so it was not checked.", {
    file: path,
    line: 1,
    column: 1,
    hint: "Make it a regular, readable file.",
  });
}

function tooLarge(path: string, max: number): Problem {
  return problem("yaml.too-large", `The file is larger than the ${formatBytes(max)} limit for YAML files, so it was not read.`, {
    file: path,
    line: 1,
    column: 1,
    hint: "Split it into smaller files, or raise the `maxBytes` YAML limit in the platform configuration if the file is trusted.",
  });
}

function notRead(params: { paths: readonly string[]; judged: boolean; detail: string }): Problem {
  const { paths, judged } = params;
  const count = `${formatCount(paths.length)} ${judged ? "changed " : ""}manifest file${paths.length === 1 ? " was" : "s were"} not read`;
  const what = judged ? count : `${count} as context (quotas and references may be incomplete)`;
  const shown = paths
    .slice(0, LISTED)
    .map((p) => `\`${p.replace(/`/g, "'")}\``)
    .join(", ");
  const more = paths.length > LISTED ? ` and ${formatCount(paths.length - LISTED)} more` : "";
  return {
    code: "check.not-read",
    severity: judged ? "error" : "warning",
    message: `${what}: ${params.detail}. Not read: ${shown}${more}.`,
    hint: "Split the change into smaller pull requests, or run `gitops-bot check` on the files.",
  };
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MiB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`;
  return `${bytes} bytes`;
}
