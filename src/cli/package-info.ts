import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../adapters/local/package-root.js";

export { PACKAGE_ROOT };

let version: string | undefined;

/** The package's version from its package.json, read once. */
export function packageVersion(): string {
  if (version === undefined) {
    const parsed = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version?: unknown };
    version = typeof parsed.version === "string" ? parsed.version : "unknown";
  }
  return version;
}
