import { describe, expect, it } from "vitest";
import { LruCache } from "../../src/core/lru-cache.js";

describe("LruCache", () => {
  const cache = () => new LruCache<string>(10, (value) => value.length);

  it("evicts the least recently used entries until the new one fits", () => {
    const lru = cache();
    lru.set("a", "aaaa");
    lru.set("b", "bbbb");
    expect(lru.get("a")).toBe("aaaa");
    lru.set("c", "cccc");
    expect([lru.get("a"), lru.get("b"), lru.get("c")]).toEqual(["aaaa", undefined, "cccc"]);
    expect(lru.weight).toBe(8);
  });

  it("keeps nothing heavier than its bound, and replaces a key's value", () => {
    const lru = cache();
    lru.set("a", "aaaa");
    lru.set("big", "x".repeat(11));
    expect(lru.get("big")).toBeUndefined();
    lru.set("a", "aa");
    expect([lru.get("a"), lru.size, lru.weight]).toEqual(["aa", 1, 2]);
  });

  it("keeps nothing with a bound of 0", () => {
    const lru = new LruCache<string>(0, (value) => value.length);
    lru.set("a", "a");
    expect(lru.size).toBe(0);
  });
});
