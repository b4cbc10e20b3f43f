import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { TestFileReader } from "../../ports.js";

/** Files of Kyverno test folders, read from disk. */
export const DISK_TEST_READER: TestFileReader = {
  readFile: (file) => readFile(file, "utf8"),
  exists: async (file) => (await stat(file).catch(() => undefined)) !== undefined,
};

/**
 * Every Kyverno CLI test folder under `root`, sorted: folders holding `kyverno-test.yaml` or
 * `.kyverno-test/kyverno-test.yaml`. Hidden folders and node_modules are not entered (the
 * `.kyverno-test/` of a folder is read through that folder).
 */
export async function findKyvernoTestDirs(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    const nested =
      entries.some((e) => e.isDirectory() && e.name === ".kyverno-test") &&
      (await DISK_TEST_READER.exists(path.join(dir, ".kyverno-test", "kyverno-test.yaml")));
    if (nested || entries.some((e) => e.isFile() && e.name === "kyverno-test.yaml")) found.push(dir);
    for (const entry of entries) {
      if (entry.isDirectory() && !entry.name.startsWith(".") && entry.name !== "node_modules") await walk(path.join(dir, entry.name));
    }
  };
  await walk(root);
  return found.sort();
}
