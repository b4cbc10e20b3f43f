/**
 * Kyverno's JMESPath fork reports a missing object key as an error ("Unknown key") instead of
 * null; several expression forms swallow it, the rest let it reach the caller, which makes the
 * whole variable fail. Reproducing that decides whether a rule errors or passes.
 */
export class JmesPathNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`Unknown key "${key}" in path`);
    this.name = "JmesPathNotFoundError";
  }
}

/** Any other JMESPath failure: syntax, unknown function, wrong argument types. */
export class JmesPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JmesPathError";
  }
}
