/**
 * The one place core loads a library through `require` (and the one `node:*` import core has).
 *
 * Why: a check loads only the engines its inputs need. PromQL's grammar (lezer), RE2 and JMESPath
 * together are about a quarter of the check's code, and a check of a plain Deployment needs none of
 * them: `gitops-bot check` on one file paid for building the PromQL parser's tables at every start
 * (issue 16). Core is synchronous, so a library it may need is required on its first use instead
 * of imported, and kept for the process. Each such library is taken from here only, as its
 * CommonJS build, so its classes and registries are never two copies (a test keeps it so).
 * `require` reads no data, clock or environment: it loads a pure library as `import` would.
 */
import { createRequire } from "node:module";

const requireFromHere = createRequire(import.meta.url);

/** `load()` returns the library, required on the first call and the same object ever after. */
export function lazyRequire<Library>(specifier: string): () => Library {
  let library: Library | undefined;
  return () => (library ??= requireFromHere(specifier) as Library);
}
