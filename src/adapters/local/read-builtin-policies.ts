import { BUILTIN_POLICIES_DIR, readTextTree } from "./read-builtin-catalog.js";
import type { FileSource } from "../../ports.js";

/**
 * The policies shipped in the project's policies/ folder as a file source, read from disk once:
 * paths are relative to that folder, so the folder to give `checkFiles` is "".
 */
export async function readBuiltinPolicies(dir: string = BUILTIN_POLICIES_DIR): Promise<FileSource> {
  // Hidden folders (the policies' own `.kyverno-test/` cases) hold no policies: they are not read.
  const files = await readTextTree(dir, { skipHidden: true });
  return { listFiles: async () => [...files.keys()], readFile: async (path) => files.get(path) ?? null };
}
