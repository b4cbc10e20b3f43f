/** Parsed manifests kept across pull request checks, in MiB, unless MANIFEST_CACHE_MB says otherwise. */
export const DEFAULT_MANIFEST_CACHE_MB = 128;

/**
 * Reads MANIFEST_CACHE_MB: the memory, in MiB, the App spends on parsed manifests kept across
 * checks (by blob SHA); empty means the default, 0 switches the cache off. Anything else is refused
 * with a message naming the variable.
 */
export function parseManifestCacheSize(value: string | undefined): { ok: true; bytes: number } | { ok: false; message: string } {
  const text = (value ?? "").trim();
  if (text === "") return { ok: true, bytes: DEFAULT_MANIFEST_CACHE_MB * 1024 * 1024 };
  if (!/^\d{1,6}$/.test(text))
    return {
      ok: false,
      message: `MANIFEST_CACHE_MB must be a whole number of MiB (0 switches the cache off), not ${JSON.stringify(text.slice(0, 40))}.`,
    };
  return { ok: true, bytes: Number(text) * 1024 * 1024 };
}
