import { describe, expect, it } from "vitest";
import { resolveSymlink, type PathKind } from "../../../src/core/manifests/resolve-symlink.js";

/** A repository: files, folders and links by path. */
const TREE: Record<string, PathKind> = {
  apps: "folder",
  "apps/shop": "folder",
  "apps/shop/web.yaml": "file",
  "apps/shop/link.yaml": "link",
  "apps/shop/dirlink": "link",
  "apps/shop/sub": "folder",
  hidden: "folder",
  "hidden/pod.txt": "file",
};
const resolve = (path: string, target: string) => resolveSymlink({ path, target, kindOf: (p) => TREE[p] });

describe("resolveSymlink: links inside the repository are read as their file, every other link is a finding", () => {
  it.each([
    ["apps/shop/a.yaml", "web.yaml", "apps/shop/web.yaml"],
    ["apps/shop/a.yaml", "./web.yaml", "apps/shop/web.yaml"],
    ["apps/shop/a.yaml", "../../hidden/pod.txt", "hidden/pod.txt"],
    ["apps/shop/a.yaml", "sub/../web.yaml", "apps/shop/web.yaml"],
    ["a.yaml", "apps//shop/web.yaml", "apps/shop/web.yaml"],
  ])("%s -> %s reads %s", (path, target, expected) => {
    expect(resolve(path, target)).toEqual({ ok: true, path: expected });
  });

  it.each([
    ["an absolute link", "apps/shop/a.yaml", "/etc/passwd", "manifest.symlink-outside", "error"],
    ["a Windows absolute link", "apps/shop/a.yaml", "C:/x.yaml", "manifest.symlink-outside", "error"],
    ["a link climbing out", "apps/shop/a.yaml", "../../../outside.yaml", "manifest.symlink-outside", "error"],
    ["a link climbing out and back in", "apps/shop/a.yaml", "../../../repo/apps/shop/web.yaml", "manifest.symlink-outside", "error"],
    ["an empty link", "apps/shop/a.yaml", "", "manifest.symlink-outside", "error"],
    ["a chain", "apps/shop/a.yaml", "link.yaml", "manifest.symlink-chain", "error"],
    ["a loop (a link to itself)", "apps/shop/link.yaml", "link.yaml", "manifest.symlink-chain", "error"],
    ["a link through a linked folder", "apps/shop/a.yaml", "dirlink/../web.yaml", "manifest.symlink-chain", "error"],
    ["a link whose text starts with #", "apps/shop/a.yaml", "#/../../../hidden/pod.txt", "manifest.symlink-dangling", "warning"],
    ["a dangling link", "apps/shop/a.yaml", "missing.yaml", "manifest.symlink-dangling", "warning"],
    ["a link to a folder", "apps/shop/a.yaml", "sub", "manifest.symlink-dangling", "warning"],
    ["a link to the root", "apps/shop/a.yaml", "../..", "manifest.symlink-dangling", "warning"],
  ])("%s is a %s %s on the link", (_what, path, target, code, severity) => {
    const result = resolve(path, target);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toMatchObject({ code, severity, file: path, line: 1, column: 1 });
  });
});
