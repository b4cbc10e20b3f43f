/**
 * Failures inside the pattern walk (match-pattern.ts). Kyverno tells skips (conditional and global
 * anchors not met) from failures partly by error type and partly by searching the message text;
 * both are kept so the same inputs give the same verdict. A message is written only when read:
 * most failures inside a walk are skips that a list or map swallows, and nobody reads their text.
 */

export type AnchorErrorCode = "conditional" | "global" | "negation";

const ANCHOR_MESSAGES: Record<AnchorErrorCode, string> = {
  negation: "negation anchor matched in resource",
  conditional: "conditional anchor mismatch",
  global: "global anchor mismatch",
};

const MENTION_BITS: Record<AnchorErrorCode, number> = { negation: 1, conditional: 2, global: 4 };
const SKIP_BITS = MENTION_BITS.conditional | MENTION_BITS.global;
// Listed once: a failure's text is searched for each of them.
const MENTIONS = Object.entries(MENTION_BITS).map(([code, bit]) => [ANCHOR_MESSAGES[code as AnchorErrorCode], bit] as const);

/** One failure: an anchor's (typed), a skip of a whole map or list ("pattern"), or any other ("plain"). */
export class Failure {
  private text: string | undefined;
  private write: (() => string) | undefined;
  /** For plain failures: which anchor messages the text mentions, once searched. */
  private mentions = -1;

  constructor(
    readonly kind: "anchor" | "pattern" | "plain",
    readonly code: AnchorErrorCode | undefined,
    message: string | (() => string),
  ) {
    if (typeof message === "string") this.text = message;
    else this.write = message;
  }

  get message(): string {
    if (this.text === undefined) {
      this.text = (this.write as () => string)();
      this.write = undefined;
    }
    return this.text;
  }

  /** Whether this failure counts as Kyverno's error of the anchor `code`. */
  is(code: AnchorErrorCode): boolean {
    if (this.kind === "anchor") return this.code === code;
    return (this.searched() & MENTION_BITS[code]) !== 0;
  }

  /** A skip: a conditional or global anchor not met (by type, or by text as Kyverno searches it). */
  isSkip(): boolean {
    if (this.kind === "anchor") return this.code === "conditional" || this.code === "global";
    // A map's or list's skip combines skips only, each of which mentions one of the two.
    if (this.kind === "pattern") return true;
    return (this.searched() & SKIP_BITS) !== 0;
  }

  private searched(): number {
    // A failure is asked again at every level it passes on its way up: its text is searched once.
    if (this.mentions < 0) {
      let mentions = 0;
      for (const [text, bit] of MENTIONS) if (this.message.includes(text)) mentions |= bit;
      this.mentions = mentions;
    }
    return this.mentions;
  }
}

export function anchorFailure(code: AnchorErrorCode, detail: () => string): Failure {
  return new Failure("anchor", code, () => `${ANCHOR_MESSAGES[code]}: ${detail()}`);
}

export function plain(message: string | (() => string)): Failure {
  return new Failure("plain", undefined, message);
}

/** `multierr.Combine`: one error stays itself, several become one message joined by "; ". */
function combined(failures: readonly Failure[]): string {
  if (failures.length === 1 && failures[0]) return failures[0].message;
  return failures.map((f) => f.message).join("; ");
}

/** The skip of a whole map or list whose keys or items were all skipped. */
export function skipPatternFailure(failures: readonly Failure[]): Failure {
  return new Failure("pattern", undefined, () => combined(failures));
}

export function hasNonPatternSkip(skipped: readonly Failure[]): boolean {
  return skipped.some((f) => f.kind !== "pattern");
}

/** Kyverno's path text for the keys and indexes walked: `/` at the root, `/spec/containers/0/` below. */
export function pathText(segments: readonly (string | number)[]): string {
  let text = "/";
  for (const segment of segments) text += `${segment}/`;
  return text;
}

/**
 * Where a walk failed and why: the keys and indexes walked (exact even for keys holding '/'),
 * and Kyverno's path text for them, written when read ("" where Kyverno reports no path).
 */
export class Miss {
  private text: string | undefined;
  readonly failure: Failure;

  /** `failure` may be made from the miss, to write its path into its message when read. */
  constructor(
    readonly segments: (string | number)[],
    failure: Failure | ((miss: Miss) => Failure),
    noPath = false,
  ) {
    if (noPath) this.text = "";
    this.failure = typeof failure === "function" ? failure(this) : failure;
  }

  get path(): string {
    return (this.text ??= pathText(this.segments));
  }

  /** The same place with another failure (an anchor's, around the failure below it). */
  as(failure: Failure): Miss {
    const miss = new Miss(this.segments, failure);
    miss.text = this.text;
    return miss;
  }
}
