import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The installed package's root folder: the nearest folder above this module whose package.json is
 * gitops-bot's. Found by looking, not by counting `..`, so it holds for src/ (tests), dist/ and a
 * bundled dist/ alike, wherever npm put the package (a global prefix, an npx cache, node_modules).
 */
function findPackageRoot(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name === "gitops-bot") return dir;
    if (dirname(dir) === dir) return join(start, "..", "..", "..");
  }
}

export const PACKAGE_ROOT = findPackageRoot();
