import { afterEach, describe, expect, it } from "vitest";
import { gitBlobSha } from "../../../src/adapters/git-blob-sha.js";
import { LocalRepo } from "../../../src/adapters/local/local-repo.js";
import { git, makeRepo } from "../../helpers/temp-git-repo.js";

let cleanup = () => {};
afterEach(() => cleanup());

describe("LocalRepo (real git)", () => {
  it("lists the base branch with git's own blob SHAs, which gitBlobSha reproduces", async () => {
    const repo = makeRepo({ "a.yaml": "x: 1\n", "dir/b.yaml": "ünïcode: ✓\n" });
    cleanup = repo.cleanup;
    const local = new LocalRepo(repo.dir, "main");
    cleanup = () => (local.close(), repo.cleanup());
    const files = await local.listFiles();
    expect(files.map((f) => f.path)).toEqual(["a.yaml", "dir/b.yaml"]);
    expect(files.find((f) => f.path === "dir/b.yaml")?.sha).toBe(gitBlobSha("ünïcode: ✓\n"));
    expect(await local.readFile("a.yaml")).toBe("x: 1\n");
    expect(await local.readFile("nope.yaml")).toBeNull();
  });

  it("writes one commit with every change on the branch, without touching the working tree", async () => {
    const repo = makeRepo({ "keep.yaml": "k\n", "old.yaml": "o\n" });
    cleanup = repo.cleanup;
    const local = new LocalRepo(repo.dir, "main");
    const publish = () =>
      local.publish({
        branch: "gitops-bot/web/t-n-dev",
        baseBranch: "main",
        commitMessage: "Provision",
        changes: [
          { path: "new/a.yaml", content: "a\n" },
          { path: "old.yaml", content: null },
        ],
      });
    const first = await publish();
    expect(first.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(git(repo.dir, "rev-list", "--count", "main..gitops-bot/web/t-n-dev").trim()).toBe("1");
    expect(git(repo.dir, "ls-tree", "-r", "--name-only", "gitops-bot/web/t-n-dev").trim().split("\n")).toEqual(["keep.yaml", "new/a.yaml"]);
    expect(git(repo.dir, "status", "--porcelain")).toBe("");
    expect(git(repo.dir, "branch", "--show-current").trim()).toBe("main");

    const again = await publish();
    expect(again.commit).toBeNull();
    expect(git(repo.dir, "rev-parse", "gitops-bot/web/t-n-dev").trim()).toBe(first.commit);
  });
});
