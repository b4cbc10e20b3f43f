import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { gitBlobSha } from "../../../src/adapters/git-blob-sha.js";
import { EMPTY_TREE_SHA, gitTreeSha, type GitTreeEntry } from "../../../src/adapters/github/git-tree-sha.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" },
  }).trim();
}

/** A real repository with `files` staged: the oracle for tree ids. */
function repoWith(files: Record<string, string>, executable: string[] = []): { dir: string; tree: string; entries: GitTreeEntry[] } {
  const dir = mkdtempSync(join(tmpdir(), "tree-sha-"));
  dirs.push(dir);
  git(dir, "init", "-q");
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
    if (executable.includes(path)) chmodSync(join(dir, path), 0o755);
  }
  git(dir, "add", "-A");
  const tree = git(dir, "write-tree");
  // `ls-tree -r -t` lists folders too, like GitHub's recursive listing.
  // -z: raw path bytes; without it git quotes non-ASCII names.
  const entries = git(dir, "ls-tree", "-r", "-t", "-z", tree)
    .split("\0")
    .filter(Boolean)
    .map((line) => {
      const [meta, path] = line.split("\t") as [string, string];
      const [mode, type, sha] = meta.split(" ") as [string, GitTreeEntry["type"], string];
      return { path, mode: mode === "40000" ? "040000" : mode, type, sha };
    });
  return { dir, tree, entries };
}

describe("gitTreeSha", () => {
  const base = {
    "README.md": "# GitOps\n",
    "apps/payments/api/dev/deployment.yaml": "kind: Deployment\n",
    "apps/payments/api/dev/service.yaml": "kind: Service\n",
    "apps/payments-x/z.yaml": "x: 1\n",
    "apps/payments.txt": "sorting: a folder sorts as if named `payments/`\n",
    "argocd/dev/payments-api.yaml": "kind: Application\n",
    "scripts/run.sh": "#!/bin/sh\n",
    "naïve/ünïcode.yaml": "name: café ☕\n",
  };

  it("equals git's tree id for an unchanged listing, executable bits and non-ASCII names included", () => {
    const repo = repoWith(base, ["scripts/run.sh"]);
    expect(gitTreeSha({ entries: repo.entries, changes: [] })).toBe(repo.tree);
  });

  it("equals git's tree id after adds, edits and deletes (an emptied folder disappears)", () => {
    const before = repoWith(base, ["scripts/run.sh"]);
    const changes = [
      { path: "apps/payments/api/dev/deployment.yaml", content: "kind: Deployment\nspec: {}\n" },
      { path: "apps/payments/api/dev/hpa.yaml", content: "kind: HorizontalPodAutoscaler\n" },
      { path: "apps/payments-x/z.yaml", content: null },
      { path: "new/deep/folder/file.yaml", content: "a: b\n" },
      { path: "scripts/run.sh", content: "#!/bin/sh\necho hi\n" },
    ];
    const after: Record<string, string> = { ...base };
    for (const c of changes) {
      if (c.content === null) delete after[c.path];
      else after[c.path] = c.content;
    }
    const expected = repoWith(after, ["scripts/run.sh"]);
    expect(gitTreeSha({ entries: before.entries, changes })).toBe(expected.tree);
  });

  it("gives the empty tree when every file is deleted", () => {
    const repo = repoWith({ "a.yaml": "a\n" });
    expect(gitTreeSha({ entries: repo.entries, changes: [{ path: "a.yaml", content: null }] })).toBe(EMPTY_TREE_SHA);
  });

  it("hashes blobs by UTF-8 bytes, like git hash-object", () => {
    const repo = repoWith({ "x.yaml": "name: café ☕\n" });
    expect(repo.entries[0]?.sha).toBe(gitBlobSha("name: café ☕\n"));
  });
});
