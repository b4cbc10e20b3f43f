import { problem, type Problem } from "../problems.js";

/** What a repository path is, as a tree listing or the file system tells. */
export type PathKind = "file" | "link" | "folder" | "other";

/** Where a symbolic link leads, or the problem that stops the check from following it. */
export type SymlinkResolution = { ok: true; path: string } | { ok: false; problem: Problem };

/**
 * Resolves a symbolic link of the repository (git tree mode `120000`: its blob is the link text)
 * as Argo CD's repo server does before it applies the file: a relative link to a regular file inside
 * the repository is read as that file, under the link's name. Everything else is a problem on the
 * link, so nothing a link stands for goes unjudged:
 *
 * - an absolute link, or one climbing out of the repository with `..`: an error (Argo CD refuses to
 *   generate manifests then, and the bot never reads outside the repository);
 * - a link to another link (a chain, and so any loop): an error; the bot does not follow chains;
 * - a link to nothing, or to a folder: a warning (Argo CD skips such a file with a warning).
 *
 * `kindOf` answers for repository paths (`/`-separated, no leading `./`), undefined when absent.
 */
export function resolveSymlink(params: {
  path: string;
  target: string;
  kindOf: (path: string) => PathKind | undefined;
}): SymlinkResolution {
  const { path, target } = params;
  const shown = target.length > 200 ? `${target.slice(0, 199)}…` : target;
  const at = { file: path, line: 1, column: 1 };
  if (target === "" || target.startsWith("/") || /^[A-Za-z]:[\\/]/.test(target) || target.includes("\0")) {
    return refuse(
      problem(
        "manifest.symlink-outside",
        `This symbolic link points outside the repository (\`${shown}\`), so the check does not follow it.`,
        { ...at, hint: "Link only to files inside the repository, with a relative path, or commit the file itself." },
      ),
    );
  }
  const parts = path.split("/").slice(0, -1);
  const steps = target.split("/").filter((part) => part !== "" && part !== ".");
  for (const [index, part] of steps.entries()) {
    if (part === "..") {
      if (parts.length === 0) {
        return refuse(
          problem(
            "manifest.symlink-outside",
            `This symbolic link climbs out of the repository (\`${shown}\`), so the check does not follow it.`,
            { ...at, hint: "Link only to files inside the repository, or commit the file itself." },
          ),
        );
      }
      parts.pop();
      continue;
    }
    parts.push(part);
    if (index === steps.length - 1) continue;
    // The operating system walks through each folder of the way: a link there leads elsewhere than
    // the text says (`a/link/../b` is not `a/b`), and a missing folder leads nowhere.
    const through = params.kindOf(parts.join("/"));
    if (through === "link") {
      return refuse(
        problem(
          "manifest.symlink-chain",
          `This symbolic link goes through another symbolic link (\`${parts.join("/")}\`); the check follows one link, not chains or loops.`,
          { ...at, hint: "Point the link straight at the file." },
        ),
      );
    }
    if (through !== "folder") return dangling({ at, shown, kind: through });
  }
  const resolved = parts.join("/");
  const kind = resolved === "" ? "folder" : params.kindOf(resolved);
  if (kind === "file") return { ok: true, path: resolved };
  if (kind === "link") {
    return refuse(
      problem(
        "manifest.symlink-chain",
        `This symbolic link points to another symbolic link (\`${resolved}\`); the check follows one link, not chains or loops.`,
        { ...at, hint: "Point the link straight at the file." },
      ),
    );
  }
  return dangling({ at, shown, kind });
}

function dangling(params: {
  at: { file: string; line: number; column: number };
  shown: string;
  kind: PathKind | undefined;
}): SymlinkResolution {
  const what = params.kind === undefined ? "nothing" : params.kind === "folder" ? "a folder" : "something that is not a regular file";
  return refuse({
    ...problem(
      "manifest.symlink-dangling",
      `This symbolic link points to ${what} (\`${params.shown}\`), so there is nothing to check; Argo CD skips it too.`,
      { ...params.at, hint: "Fix the link's target or delete the link." },
    ),
    severity: "warning",
  });
}

function refuse(found: Problem): SymlinkResolution {
  return { ok: false, problem: found };
}
