import type { BlobTextCache } from "./commit-reader.js";

/**
 * Blob texts by SHA. Blobs are immutable, so entries never go stale. Bounded by count and by size
 * (characters, oldest out first): the policy check reads every manifest of the GitOps repository,
 * and a warm cache is what makes its next run cost a few requests instead of one per manifest.
 * Argo CD statuses also keep a commit's file here, under `<owner/repo>@<commit>:<path>`
 * (commit-file-reader.ts): just as immutable, and no blob SHA looks like it.
 */
export class BlobCache implements BlobTextCache {
  readonly #entries = new Map<string, string>();
  #size = 0;
  constructor(
    readonly maxEntries = 20_000,
    readonly maxChars = 64 * 1024 * 1024,
  ) {}
  get(sha: string): string | undefined {
    return this.#entries.get(sha);
  }
  set(sha: string, text: string): void {
    if (this.#entries.has(sha) || text.length > this.maxChars) return;
    while (this.#entries.size >= this.maxEntries || (this.#size + text.length > this.maxChars && this.#entries.size > 0)) {
      const oldest = this.#entries.entries().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest[0]);
      this.#size -= oldest[1].length;
    }
    this.#entries.set(sha, text);
    this.#size += text.length;
  }
}
