import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The installed package's root: two levels above this file, in src/cli/ and dist/cli/ alike, and
 * wherever npm put the package (a global prefix, an npx cache, node_modules).
 */
export const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));

let version: string | undefined;

/** The package's version from its package.json, read once. */
export function packageVersion(): string {
  if (version === undefined) {
    const parsed = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: unknown };
    version = typeof parsed.version === "string" ? parsed.version : "unknown";
  }
  return version;
}
