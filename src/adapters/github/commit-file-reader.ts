import type { CommitFileReader } from "../../ports.js";
import type { BlobTextCache } from "./commit-reader.js";

/**
 * The CommitFileReader port over one repository: a file of a commit by its path, one contents request
 * (`ref` = the commit, raw media type). A commit's files never change, so texts are remembered in
 * the process's blob cache under `<owner/repo>@<commit>:<path>` (a key no blob SHA can take), and a
 * second status on the same commit (pending, then success) reads nothing.
 */
export function createCommitFileReader(params: {
  repository: string;
  readTextFile: (path: string, ref: string) => Promise<string | null>;
  cache: BlobTextCache;
}): CommitFileReader {
  return {
    readFile: async ({ commit, path }) => {
      const key = `${params.repository}@${commit}:${path}`;
      const cached = params.cache.get(key);
      if (cached !== undefined) return cached;
      const text = await params.readTextFile(path, commit);
      if (text !== null) params.cache.set(key, text);
      return text;
    },
  };
}
