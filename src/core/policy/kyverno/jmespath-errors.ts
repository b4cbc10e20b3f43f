/**
 * Kyverno's JMESPath fork reports a missing object key as an error ("Unknown key") instead of
 * null; several expression forms swallow it, the rest let it reach the caller, which makes the
 * whole variable fail. Reproducing that decides whether a rule errors or passes.
 *
 * Why not an `Error`: a missing key is an ordinary outcome on the hot path (`a.b || 'x'`, projections,
 * filters swallow it), and building an `Error` captures a stack trace each time, which was 12.7% of a
 * 94-policy check's profile (issue 16). This is a cheap thrown value with the same `key` and
 * `message`; whoever lets it escape a query turns it into a real error with that message.
 */
export class JmesPathNotFoundError {
  readonly name = "JmesPathNotFoundError";
  constructor(readonly key: string) {}

  get message(): string {
    return `Unknown key "${this.key}" in path`;
  }

  toString(): string {
    return `${this.name}: ${this.message}`;
  }
}

/** Any other JMESPath failure: syntax, unknown function, wrong argument types. */
export class JmesPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JmesPathError";
  }
}
