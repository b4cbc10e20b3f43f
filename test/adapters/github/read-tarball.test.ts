import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ArchiveTooLargeError, readTarball } from "../../../src/adapters/github/read-tarball.js";
import { makeTarball } from "../../helpers/tarball.js";
import { makeRepo } from "../../helpers/temp-git-repo.js";

const long = `apps/${"very-long-folder-name/".repeat(6)}deployment.yaml`;
const files = [
  { path: "README.md", content: "# GitOps\n" },
  { path: "apps/shop/web.yaml", content: "kind: Deployment\nmetadata: { name: wéb }\n" },
  { path: long, content: "kind: Service\n" },
  { path: "apps/shop/empty.yaml", content: "" },
];

describe("readTarball", () => {
  it.each([
    ["pax path records (git archive)", false],
    ["ustar prefixes", true],
  ])("reads files with %s, without the top folder, keeping only the wanted ones", (_, usePrefix) => {
    const read = readTarball(makeTarball(files, { usePrefix }), (path) => path.endsWith(".yaml"));
    expect(Object.fromEntries([...read].map(([path, bytes]) => [path, bytes.toString("utf8")]))).toEqual({
      "apps/shop/web.yaml": files[1]?.content,
      [long]: "kind: Service\n",
      "apps/shop/empty.yaml": "",
    });
  });
});

describe("readTarball limits", () => {
  it("refuses an archive that unpacks to more than the limit, so the caller can read blobs instead", () => {
    expect(() => readTarball(makeTarball([{ path: "big.yaml", content: "x".repeat(10_000) }]), () => true, 4096)).toThrow(
      ArchiveTooLargeError,
    );
  });
});

describe("readTarball on a real git archive", () => {
  it("reads what `git archive` writes, as GitHub's tarball download serves it", () => {
    const repo = makeRepo(Object.fromEntries(files.map((f) => [f.path, f.content])));
    try {
      const archive = execFileSync("git", ["archive", "--format=tar.gz", "--prefix=acme-gitops-0123abc/", "HEAD"], { cwd: repo.dir });
      expect(Object.fromEntries([...readTarball(archive, () => true)].map(([path, bytes]) => [path, bytes.toString("utf8")]))).toEqual(
        Object.fromEntries(files.map((f) => [f.path, f.content])),
      );
    } finally {
      repo.cleanup();
    }
  });
});
