import { afterEach, describe, expect, it } from "vitest";
import { gitBlobSha } from "../../../src/adapters/git-blob-sha.js";
import { GitBlobBatch } from "../../../src/adapters/local/git-blob-batch.js";
import { LocalRepo } from "../../../src/adapters/local/local-repo.js";
import { git, makeRepo } from "../../helpers/temp-git-repo.js";

let cleanup = () => {};
afterEach(() => cleanup());

describe("GitBlobBatch: one git cat-file --batch for every read (real git)", () => {
  const big = `${"x".repeat(199_999)}\n`;
  const files = { "a.yaml": "a: 1\n", "b/c.yaml": "ünïcode: ✓\n", "empty.yaml": "", "big.yaml": big, "crlf.yaml": "k: v\r\nn: 2\r\n" };

  it("answers many reads asked at once, each with its own bytes, in any size, including empty and CRLF", async () => {
    const repo = makeRepo(files);
    const batch = new GitBlobBatch(repo.dir);
    cleanup = () => (batch.close(), repo.cleanup());
    const texts = Object.values(files);
    const answers = await Promise.all([...texts, ...texts].map((text) => batch.read(gitBlobSha(text))));
    expect(answers).toEqual([...texts, ...texts]);
  });

  it("reads null for an object the repository does not have, a tree, or a name that is not a SHA", async () => {
    const repo = makeRepo(files);
    const batch = new GitBlobBatch(repo.dir);
    cleanup = () => (batch.close(), repo.cleanup());
    const tree = git(repo.dir, "rev-parse", "main^{tree}").trim();
    const read = await Promise.all([
      batch.read("0123456789abcdef0123456789abcdef01234567"),
      batch.read(tree),
      batch.read("main:a.yaml"),
      batch.read(`${gitBlobSha("a: 1\n")}\n${gitBlobSha("a: 1\n")}`),
      batch.read(gitBlobSha("a: 1\n")),
    ]);
    expect(read).toEqual([null, null, null, null, "a: 1\n"]);
  });

  it("starts a new process after close, and a read in flight at close fails instead of hanging", async () => {
    const repo = makeRepo(files);
    const batch = new GitBlobBatch(repo.dir);
    cleanup = () => (batch.close(), repo.cleanup());
    const inFlight = batch.read(gitBlobSha(big));
    batch.close();
    await expect(inFlight).rejects.toThrow(/closed/);
    expect(await batch.read(gitBlobSha("a: 1\n"))).toBe("a: 1\n");
  });

  it("fails every waiting read with git's message when git cannot run there", async () => {
    const batch = new GitBlobBatch("/nonexistent-gitops-bot-dir");
    await expect(batch.read(gitBlobSha("a: 1\n"))).rejects.toThrow(/git cat-file --batch/);
  });

  it("LocalRepo lists the base branch once and reads through the batch; a publish makes it list again", async () => {
    const repo = makeRepo(files);
    const local = new LocalRepo(repo.dir, "main");
    cleanup = () => (local.close(), repo.cleanup());
    expect(await local.readFile("b/c.yaml")).toBe("ünïcode: ✓\n");
    // The listing is the command's snapshot of the base branch: a commit made behind its back is not seen...
    git(repo.dir, "rm", "-q", "a.yaml");
    git(repo.dir, "commit", "-q", "-m", "drop a");
    expect(await local.readFile("a.yaml")).toBe("a: 1\n");
    // ...until the adapter itself moves refs.
    await local.publish({ branch: "gitops-bot/x", baseBranch: "main", commitMessage: "x", changes: [{ path: "n.yaml", content: "n\n" }] });
    expect(await local.readFile("a.yaml")).toBeNull();
    expect((await local.listFiles()).map((f) => f.path)).not.toContain("a.yaml");
  });
});
