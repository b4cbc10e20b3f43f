import { lstat, readdir, readFile, readlink, stat } from "node:fs/promises";
import path from "node:path";
import type { FileFacts } from "../core/manifests/plan-manifest-reads.js";
import { resolveSymlink, type PathKind } from "../core/manifests/resolve-symlink.js";
import { globToRegExp } from "../core/policy/platform/glob.js";
import type { Finding } from "../core/policy/types.js";
import type { FileSource } from "../ports.js";

/** The name findings in standard input carry (`gitops-bot check -`). */
export const STDIN_NAME = "<stdin>";

/** Folders a walk never enters: git's own data and installed packages are never manifests. */
const NEVER_WALKED = new Set([".git", "node_modules"]);
const GLOB_CHARS = /[*?[]/;

/** What `gitops-bot check` reads, keyed by the paths the check sees. */
export interface CheckInputs {
  /** The files to read: keys relative to the root (`/`-separated), or absolute outside it. */
  source: FileSource & { unreadable(): Finding[] };
  /** Keys of the files a person named (a file, a glob's match, stdin): always read as manifests. */
  named: string[];
  /** Keys of every file the arguments stand for (named or found in a named folder). */
  judged: string[];
  /** Arguments that stand for nothing readable: each one a finding, and the run exits 2. */
  problems: Finding[];
}

/**
 * Turns the command line's paths into what the check reads. `-` is standard input; a path that
 * does not exist but holds `*`, `?` or `[` is a glob the tool expands itself (quoted globs reach it
 * unexpanded); a folder is walked; a file is named and always read. `exclude` globs drop walked and
 * expanded files, never a file named literally. With `context`, every file under the root is
 * listed too, so quotas and references see the whole repository as in the pull request check.
 */
export async function collectCheckInputs(params: {
  cwd: string;
  root: string;
  args: readonly string[];
  exclude: readonly string[];
  context: boolean;
  readStdin?: () => Promise<string>;
}): Promise<CheckInputs> {
  const { cwd, root } = params;
  const keyOf = (absolute: string) => {
    const relative = path.relative(root, absolute);
    return relative === "" || relative.startsWith("..") || path.isAbsolute(relative)
      ? absolute.split(path.sep).join("/")
      : relative.split(path.sep).join("/");
  };
  const excluded = params.exclude.map((glob) => globToRegExp(glob.replace(/^\.\//, "")));
  const isExcluded = (absolute: string) => {
    const fromCwd = path.relative(cwd, absolute).split(path.sep).join("/");
    return excluded.some((glob) => glob.test(fromCwd) || glob.test(keyOf(absolute)));
  };

  const files = new Map<string, string>();
  const named = new Set<string>();
  const judged = new Set<string>();
  const problems: Finding[] = [];
  let stdin: string | undefined;
  const add = (absolute: string, isNamed: boolean) => {
    const key = keyOf(absolute);
    files.set(key, absolute);
    judged.add(key);
    if (isNamed) named.add(key);
  };

  for (const arg of params.args) {
    if (arg === "-") {
      if (!params.readStdin) problems.push(inputProblem(STDIN_NAME, "Standard input cannot be read here."));
      else {
        stdin ??= await params.readStdin();
        named.add(STDIN_NAME);
        judged.add(STDIN_NAME);
      }
      continue;
    }
    const absolute = path.resolve(cwd, arg);
    const info = await lstat(absolute).catch(() => undefined);
    if (!info && GLOB_CHARS.test(arg)) {
      const matches = (await expandGlob({ cwd, pattern: arg })).filter((file) => !isExcluded(file));
      if (matches.length === 0) problems.push(inputProblem(arg, `The pattern \`${arg}\` matches no file.`));
      for (const match of matches) add(match, true);
      continue;
    }
    const target = info?.isSymbolicLink() ? await stat(absolute).catch(() => undefined) : info;
    if (!info) problems.push(inputProblem(arg, `${arg} does not exist.`));
    else if (!target) problems.push(inputProblem(arg, `${arg} is a broken symbolic link.`));
    else if (target.isDirectory()) {
      for (const file of await walk(absolute)) if (!isExcluded(file)) add(file, false);
    } else if (target.isFile()) add(absolute, true);
    else problems.push(inputProblem(arg, `${arg} is not a regular file (a device, a socket or a pipe), so it cannot be checked.`));
  }

  if (params.context) {
    for (const file of await walk(root)) {
      const key = keyOf(file);
      if (!files.has(key) && !isExcluded(file)) files.set(key, file);
    }
  }

  return { source: diskSource({ root, files, stdin }), named: [...named], judged: [...judged], problems };
}

/** The collected files (key to absolute path) and standard input as the check's file source. */
function diskSource(params: { root: string; files: ReadonlyMap<string, string>; stdin: string | undefined }): CheckInputs["source"] {
  const { root, files, stdin } = params;
  const unreadable: Finding[] = [];
  const keys = [...files.keys(), ...(stdin !== undefined ? [STDIN_NAME] : [])];
  return {
    listFiles: async () => keys,
    async readFile(key) {
      if (key === STDIN_NAME && stdin !== undefined) return stdin;
      const absolute = files.get(key);
      if (absolute === undefined) return null;
      try {
        return await readFile(absolute, "utf8");
      } catch (error) {
        // A file that cannot be read is said so, never dropped: it may hold what should fail.
        unreadable.push(inputProblem(key, `${key} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`));
        return null;
      }
    },
    describeFile: async (key) => {
      const absolute = files.get(key);
      return absolute === undefined ? {} : describeOnDisk({ root, absolute, key });
    },
    unreadable: () => unreadable,
  };
}

/**
 * A file's facts before reading it: its size, and for a symbolic link inside the root, whether the
 * check follows it, by the same rules as in the App (one link to a regular file inside the
 * repository). Links outside the root are followed as the operating system follows them.
 */
async function describeOnDisk(params: { root: string; absolute: string; key: string }): Promise<FileFacts> {
  const { root, absolute, key } = params;
  const info = await lstat(absolute).catch(() => undefined);
  if (info?.isSymbolicLink() && !path.isAbsolute(key)) {
    const target = await readlink(absolute).catch(() => "");
    const kindOf = async (relative: string): Promise<PathKind | undefined> => {
      const found = await lstat(path.join(root, relative)).catch(() => undefined);
      return found === undefined
        ? undefined
        : found.isSymbolicLink()
          ? "link"
          : found.isDirectory()
            ? "folder"
            : found.isFile()
              ? "file"
              : "other";
    };
    // The resolver is pure: answer the paths it asks about from the disk, until it asks no new one.
    const text = target.split(path.sep).join("/");
    const kinds = new Map<string, PathKind | undefined>();
    for (;;) {
      const asked: string[] = [];
      const resolution = resolveSymlink({
        path: key,
        target: text,
        kindOf: (p) => (kinds.has(p) ? kinds.get(p) : (asked.push(p), "folder")),
      });
      if (asked.length === 0) {
        if (!resolution.ok) return { problem: resolution.problem };
        break;
      }
      for (const p of asked) kinds.set(p, await kindOf(p));
    }
  }
  const size = (await stat(absolute).catch(() => undefined))?.size;
  return size === undefined ? {} : { size };
}

/** A named input that could not be checked, as a finding on that input. */
export function inputProblem(file: string, message: string): Finding {
  return {
    policy: "gitops-bot",
    rule: "cli.unreadable",
    severity: "error",
    file,
    line: 1,
    column: 1,
    path: "",
    message,
    hint: "Name files that exist and can be read; a check that cannot read its input fails.",
  };
}

/**
 * Every file under `dir`, sorted; `.git` and `node_modules` are never entered. Symbolic links to
 * files are listed; links to folders are not followed, since a link up the tree would never end.
 */
async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!NEVER_WALKED.has(entry.name)) out.push(...(await walk(full)));
    } else if (entry.isFile() || entry.isSymbolicLink()) out.push(full);
  }
  return out;
}

/**
 * A glob's files: the walk starts at the longest leading part without glob characters. As in a
 * shell, `*` does not match a name starting with a dot unless the pattern spells the dot.
 */
async function expandGlob(params: { cwd: string; pattern: string }): Promise<string[]> {
  const pattern = params.pattern.split(path.sep).join("/").replace(/^\.\//, "");
  const segments = pattern.split("/");
  const firstGlob = segments.findIndex((segment) => GLOB_CHARS.test(segment));
  const base = path.resolve(params.cwd, segments.slice(0, firstGlob).join("/") || ".");
  const info = await stat(base).catch(() => undefined);
  if (!info?.isDirectory()) return [];
  const absolutePattern = path.isAbsolute(pattern);
  const matcher = globToRegExp(pattern);
  const spellsDot = segments.slice(firstGlob).some((segment) => segment.startsWith("."));
  return (await walk(base)).filter((file) => {
    const shown = absolutePattern ? file.split(path.sep).join("/") : path.relative(params.cwd, file).split(path.sep).join("/");
    const below = path.relative(base, file).split(path.sep);
    if (!spellsDot && below.some((segment) => segment.startsWith("."))) return false;
    return matcher.test(shown);
  });
}
