import { placeOf, rootPlace, type FailurePlace } from "./failure-places.js";
import { goSprint, goTypeName } from "./go-format.js";

/**
 * Failures inside the pattern walk (match-pattern.ts). Kyverno tells skips (conditional and global
 * anchors not met) from failures partly by error type and partly by searching the message text;
 * both are kept so the same inputs give the same verdict. A message is written only when read:
 * most failures inside a walk are skips that a list or map swallows, and nobody reads their text;
 * a failure holds what its message quotes, not the message.
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

/** Which of the anchor messages a text mentions, as bits. */
function mentionsIn(text: string): number {
  // Each of them says "anchor m…": most texts are ruled out by one search.
  if (!text.includes(" anchor m")) return 0;
  let mentions = 0;
  for (const [phrase, bit] of MENTIONS) if (text.includes(phrase)) mentions |= bit;
  return mentions;
}

/** A scalar's text as goSprint writes it, where it can mention an anchor message: a string's. */
const quoted = (value: unknown): number => (typeof value === "string" ? mentionsIn(value) : 0);

/**
 * The place of the keys and indexes `keys[0..depth)`, and `key` below them if given (shared by
 * every failure there: see failure-places.ts). A place knows what its keys mention: the messages
 * write paths as keys between '/'.
 */
export function failurePlace(keys: readonly (string | number)[], depth: number, key?: string): FailurePlace {
  return placeOf(keys, depth, key, mentionsIn);
}

/** The message a failure writes, with what it quotes in its first and second values. */
export const Form = {
  /** A message written in full (first). */
  Text: 0,
  /** A scalar value (first) that does not match the pattern's (second). */
  Mismatch: 1,
  /** A map pattern (first) over something else (second). */
  Structure: 2,
  /** A list pattern over something else. */
  Overlay: 3,
  /** A pattern of no JSON type. */
  Unknown: 4,
  /** A key (first) a `"*"` pattern asks for. */
  NotFound: 5,
  /** No item of a list holds what an existence anchor asks for. */
  Existence: 6,
  /** An anchor's failure with a detail written in full (first). */
  Anchor: 7,
  /** A negation anchor's key, present at this path. */
  Negation: 8,
  /** An anchor's failure around the failure (first) below it. */
  Around: 9,
  /** The skip of a whole map or list whose keys or items were all skipped (first: their failures). */
  Skip: 10,
} as const;

type Form = (typeof Form)[keyof typeof Form];

/**
 * Where a walk failed and why: the keys and indexes walked (exact even for keys holding '/'), the
 * kind of failure (an anchor's, typed; a whole map's or list's skip, "pattern"; any other,
 * "plain") and Kyverno's path text and message, written when read.
 *
 * What a plain failure's text would mention is told without writing it: the anchor messages hold
 * no quote, '/', ',' or '.', so they can only appear inside the values and keys a message quotes,
 * never across its fixed words.
 */
export class Miss {
  private text: string | undefined = undefined;
  /** A failure Kyverno reports with no path (""). */
  private unplaced = false;
  /** For plain failures: which anchor messages the text mentions, once searched. */
  private mentions = -1;

  private constructor(
    readonly kind: "anchor" | "pattern" | "plain",
    readonly code: AnchorErrorCode | undefined,
    /** Where it failed (the root for a skip, which is never reported by its place). */
    readonly place: FailurePlace,
    private readonly form: Form,
    private readonly first: unknown,
    private readonly second: unknown,
  ) {}

  /** A plain failure at `segments`. */
  static plain(place: FailurePlace, form: Form, first?: unknown, second?: unknown): Miss {
    return new Miss("plain", undefined, place, form, first, second);
  }

  /** A plain failure Kyverno reports with no path (""). */
  static unplaced(message: string): Miss {
    const miss = new Miss("plain", undefined, rootPlace(), Form.Text, message, undefined);
    miss.unplaced = true;
    return miss;
  }

  /** An anchor's failure at `segments` (Form.Anchor with its detail, or Form.Negation). */
  static anchor(place: FailurePlace, code: AnchorErrorCode, form: typeof Form.Anchor | typeof Form.Negation, detail?: string): Miss {
    return new Miss("anchor", code, place, form, detail, undefined);
  }

  /**
   * The skip of a whole map or list whose keys or items were all skipped. A skip is never reported
   * by its path (a verdict that is a skip has none; an anchor around it is a skip too), so it keeps none.
   */
  static skip(skipped: readonly Miss[]): Miss {
    return new Miss("pattern", undefined, rootPlace(), Form.Skip, skipped, undefined);
  }

  /** An anchor's failure around this one, at the same place. */
  around(code: AnchorErrorCode): Miss {
    const miss = new Miss("anchor", code, this.place, Form.Around, this, undefined);
    miss.unplaced = this.unplaced;
    return miss;
  }

  get path(): string {
    return this.unplaced ? "" : this.place.text;
  }

  get segments(): readonly (string | number)[] {
    return this.place.segments;
  }

  get message(): string {
    return (this.text ??= this.write());
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
    if (this.mentions < 0) this.mentions = this.quotes() ?? mentionsIn(this.message);
    return this.mentions;
  }

  /** What the message would mention, told from what it quotes; undefined where only its text tells. */
  private quotes(): number | undefined {
    switch (this.form) {
      case Form.Mismatch:
        // A list or map is written with its items side by side: only its text tells.
        if (typeof this.first === "object" && this.first !== null) return undefined;
        return quoted(this.first) | quoted(this.second) | this.place.mentions;
      case Form.NotFound:
        return this.place.mentions | quoted(this.first);
      case Form.Structure:
      case Form.Overlay:
      case Form.Unknown:
      case Form.Existence:
        return this.place.mentions;
      default:
        return undefined;
    }
  }

  private write(): string {
    switch (this.form) {
      case Form.Text:
        return this.first as string;
      case Form.Mismatch:
        return `resource value '${goSprint(this.first)}' does not match '${goSprint(this.second)}' at path ${this.path}`;
      case Form.Structure:
        return `pattern and resource have different structures. Path: ${this.path}. Expected ${goTypeName(this.first)}, found ${goTypeName(this.second)}`;
      case Form.Overlay:
        return `validation rule failed at path ${this.path}, resource does not satisfy the expected overlay pattern`;
      case Form.Unknown:
        return `failed at '${this.path}', pattern contains unknown type`;
      case Form.NotFound:
        return `${this.path}/${this.first as string} not found`;
      case Form.Existence:
        return `existence anchor validation failed at path ${this.path}`;
      case Form.Anchor:
        return `${ANCHOR_MESSAGES[this.code as AnchorErrorCode]}: ${this.first as string}`;
      case Form.Negation:
        return `${ANCHOR_MESSAGES[this.code as AnchorErrorCode]}: ${this.path} is not allowed`;
      case Form.Around:
        return `${ANCHOR_MESSAGES[this.code as AnchorErrorCode]}: ${(this.first as Miss).message}`;
      default:
        return combined(this.first as readonly Miss[]);
    }
  }
}

/** `multierr.Combine`: one error stays itself, several become one message joined by "; ". */
function combined(failures: readonly Miss[]): string {
  let text = "";
  for (let index = 0; index < failures.length; index++) text += index === 0 ? failures[index]?.message : `; ${failures[index]?.message}`;
  return text;
}

export function hasNonPatternSkip(skipped: readonly Miss[]): boolean {
  return skipped.some((f) => f.kind !== "pattern");
}

/** A failure at a path: Kyverno reports it by its path, so its message is written only when read. */
export class Failed {
  readonly status = "fail";

  constructor(
    readonly path: string,
    readonly segments: readonly (string | number)[],
    private readonly failure: Miss,
  ) {}

  get message(): string {
    return this.failure.message;
  }
}

/** A skip or an error, told by its message, which is written only when read (an anyPattern alternative's may never be). */
export class Told {
  constructor(
    readonly status: "skip" | "error",
    private readonly failure: Miss,
  ) {}

  get message(): string {
    return this.failure.message;
  }
}
