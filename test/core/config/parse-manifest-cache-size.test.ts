import { describe, expect, it } from "vitest";
import { parseManifestCacheSize } from "../../../src/core/config/parse-manifest-cache-size.js";

describe("parseManifestCacheSize (MANIFEST_CACHE_MB)", () => {
  it.each([
    [undefined, 128 * 1024 * 1024],
    [" ", 128 * 1024 * 1024],
    ["0", 0],
    ["512", 512 * 1024 * 1024],
  ])("reads %j as %d bytes", (value, bytes) => {
    expect(parseManifestCacheSize(value)).toEqual({ ok: true, bytes });
  });

  it.each(["-1", "1.5", "64MB", "9999999"])("refuses %j, naming the variable", (value) => {
    const parsed = parseManifestCacheSize(value);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/^MANIFEST_CACHE_MB must be a whole number of MiB \(0 switches the cache off\), not "/);
  });
});
