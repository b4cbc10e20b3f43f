import { LruCache } from "../core/lru-cache.js";
import type { ManifestFileLoad } from "../core/manifests/load-manifests.js";
import type { PolicyFileCache, PolicyFileLoad } from "../core/policy/load-policies.js";
import type { ManifestFileCache } from "../ports.js";

/** What the App keeps across pull request checks: loaded policies and parsed manifests, by content. */
export interface CheckCaches {
  policies: PolicyFileCache;
  manifests: ManifestFileCache;
}

/**
 * Memory a parsed file takes per character of its text: the text itself, the plain objects, the
 * packed event index kept for positions (outside the JavaScript heap, in typed arrays) and the line
 * index once positions are asked. Measured on the benchmark's manifests: 6.25 bytes, heap and typed
 * arrays, text included (it was about 11 before the one-pass parse; the pull request bench prints
 * the cache's estimate beside the process's heap).
 */
export const PARSED_BYTES_PER_CHAR = 7;
/** Policies also keep their compiled rules (autogen, conditions, plans per kind): a generous estimate. */
const POLICY_BYTES_PER_CHAR = 32;
/** Policy folders are small (100 policies are about 1 MB of YAML); this is never the App's memory problem. */
const POLICY_CACHE_BYTES = 32 * 1024 * 1024;

/** The caches of one App process, the manifests' bounded at `manifestBytes` (MANIFEST_CACHE_MB). */
export function createCheckCaches(params: { manifestBytes: number }): CheckCaches {
  return {
    policies: new LruCache<PolicyFileLoad>(POLICY_CACHE_BYTES, (load) => load.chars * POLICY_BYTES_PER_CHAR),
    manifests: new LruCache<ManifestFileLoad>(params.manifestBytes, (load) => load.chars * PARSED_BYTES_PER_CHAR),
  };
}
