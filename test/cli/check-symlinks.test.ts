import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LocalRepo } from "../../src/adapters/local/local-repo.js";
import { runCheck } from "../../src/cli/check.js";
import { git, makeRepo } from "../helpers/temp-git-repo.js";

const PRIVILEGED = `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: shop}
spec:
  containers:
    - name: a
      image: registry.example.com/a:1.0.0
      securityContext: {privileged: true}
`;

/** A repository on disk (a `.git` folder marks its root) with a file outside it. */
const scratch = mkdtempSync(path.join(tmpdir(), "gitops-bot-links-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const root = path.join(scratch, "repo");
mkdirSync(path.join(root, ".git"), { recursive: true });
mkdirSync(path.join(root, "apps/shop"), { recursive: true });
mkdirSync(path.join(root, "hidden"), { recursive: true });
writeFileSync(path.join(root, "hidden/pod.txt"), PRIVILEGED);
writeFileSync(path.join(scratch, "outside.yaml"), PRIVILEGED);
symlinkSync("../../hidden/pod.txt", path.join(root, "apps/shop/inside.yaml"));
symlinkSync("../../../outside.yaml", path.join(root, "apps/shop/outside.yaml"));
symlinkSync("inside.yaml", path.join(root, "apps/shop/chain.yaml"));
symlinkSync("loop.yaml", path.join(root, "apps/shop/loop.yaml"));
symlinkSync("missing.yaml", path.join(root, "apps/shop/dangling.yaml"));

async function run(argv: string[], cwd: string) {
  let stdout = "";
  let stderr = "";
  const code = await runCheck(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd });
  return { code, stdout, stderr };
}

describe("gitops-bot check follows symbolic links as the App does", () => {
  it("judges a link inside the repository as its file, and makes every other link a finding", async () => {
    const result = await run(["apps"], root);
    expect(result.code).toBe(1);
    const lines = result.stdout.split("\n");
    expect(lines).toContain(
      'apps/shop/inside.yaml:8:25: error: Pod "p": Privileged mode is not allowed: remove securityContext.privileged or set it to false on every container. [disallow-privileged-containers/privileged-containers]',
    );
    expect(
      lines
        .filter((l) => /^apps\/shop\/(outside|chain|loop|dangling)\.yaml:1:1/.test(l))
        .map((l) => l.replace(/: This.*\[/, " ["))
        .sort(),
    ).toEqual([
      "apps/shop/chain.yaml:1:1: error [gitops-bot/manifest.symlink-chain]",
      "apps/shop/dangling.yaml:1:1: warning [gitops-bot/manifest.symlink-dangling]",
      "apps/shop/loop.yaml:1:1: error [gitops-bot/manifest.symlink-chain]",
      "apps/shop/outside.yaml:1:1: error [gitops-bot/manifest.symlink-outside]",
    ]);
    // The file outside the repository was never read: its privileged Pod is reported nowhere else.
    expect(result.stdout).not.toMatch(/outside\.yaml:8/);
  });
});

describe("LocalRepo reads committed blobs and resolves links the same way", () => {
  it("reads a link inside the repository as its file, refuses the others, and ignores checkout filters", () => {
    const repo = makeRepo({
      ".gitattributes": "crlf.yaml text eol=crlf\nident.yaml ident\n",
      "hidden/pod.txt": PRIVILEGED,
      "crlf.yaml": "a: 1\nb: 2\n",
      "ident.yaml": "# $Id$\na: 1\n",
    });
    try {
      symlinkSync("../../hidden/pod.txt", path.join(repo.dir, "apps-inside.yaml"));
      mkdirSync(path.join(repo.dir, "apps/shop"), { recursive: true });
      symlinkSync("../../hidden/pod.txt", path.join(repo.dir, "apps/shop/inside.yaml"));
      symlinkSync("../../../../etc/passwd", path.join(repo.dir, "apps/shop/outside.yaml"));
      git(repo.dir, "add", "-A");
      git(repo.dir, "commit", "-q", "-m", "links");
      const local = new LocalRepo(repo.dir, "main");
      return (async () => {
        expect(await local.readFile("apps/shop/inside.yaml")).toBe(PRIVILEGED);
        expect(await local.readFile("apps/shop/outside.yaml")).toBeNull();
        expect(await local.linkProblem("apps/shop/outside.yaml")).toMatchObject({ code: "manifest.symlink-outside", severity: "error" });
        expect(await local.linkProblem("apps/shop/inside.yaml")).toBeNull();
        expect(await local.readFile("crlf.yaml")).toBe("a: 1\nb: 2\n");
        expect(await local.readFile("ident.yaml")).toBe("# $Id$\na: 1\n");
      })().finally(() => (local.close(), repo.cleanup()));
    } catch (error) {
      repo.cleanup();
      throw error;
    }
  });
});
