/**
 * Bundles the CLI (dist/cli.js) after `tsc` has built dist/: one ES module for the dispatcher and
 * one chunk per lazily imported command, with the pure-JavaScript libraries they import inlined.
 *
 * Why: `gitops-bot check` on one file spent about a third of its start-up resolving, reading and
 * compiling ~350 small modules one by one (README, "Design"). A bundle is read and compiled in a
 * few files. The commands stay lazy (code splitting): `check` never loads the request commands.
 * Left outside the bundle, and loaded from node_modules as before: js-yaml (taken through
 * `createRequire` for its fast CommonJS build) and the Kubernetes schema validators, which are
 * imported per kind by file path when a manifest of that kind is checked.
 */
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
rmSync(`${root}dist/cli-chunks`, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { cli: "src/cli.ts" },
  outdir: "dist",
  chunkNames: "cli-chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: true,
  legalComments: "eof",
  logLevel: "warning",
});
