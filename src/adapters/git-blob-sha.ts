import { createHash } from "node:crypto";
import type { BlobHasher } from "../ports.js";

/**
 * Git's blob id of a text (`git hash-object`): SHA-1 over `blob <byte length>\0<bytes>`.
 * Comparing it with the tree's SHA tells whether a file changed without downloading it.
 */
export const gitBlobSha: BlobHasher = (content: string): string => {
  const bytes = Buffer.from(content, "utf8");
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
};
