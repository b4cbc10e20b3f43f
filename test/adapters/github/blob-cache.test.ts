import { describe, expect, it } from "vitest";
import { BlobCache } from "../../../src/adapters/github/blob-cache.js";

describe("BlobCache", () => {
  it("bounds the blob cache by entries and by characters, dropping the oldest first", () => {
    const byCount = new BlobCache(2);
    for (const sha of ["a", "b", "c"]) byCount.set(sha, sha);
    expect([byCount.get("a"), byCount.get("b"), byCount.get("c")]).toEqual([undefined, "b", "c"]);
    const bySize = new BlobCache(100, 10);
    bySize.set("a", "12345");
    bySize.set("b", "12345");
    bySize.set("c", "123");
    bySize.set("huge", "x".repeat(11));
    expect([bySize.get("a"), bySize.get("b"), bySize.get("c"), bySize.get("huge")]).toEqual([undefined, "12345", "123", undefined]);
  });
});
