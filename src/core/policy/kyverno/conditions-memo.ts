import { compileJmesPath } from "./jmespath.js";
import { fieldProgram, MISSING } from "./jmespath-fields.js";
import type { JmesPathProgram } from "./jmespath-program.js";
import { rootReads } from "./jmespath-reads.js";
import { simpleSubstitution } from "./variables.js";

/**
 * Conditions decided by a few scalars of the context (`request.operation`, the object's
 * `apiVersion`, one label) give the same answer for every resource whose scalars are the same:
 * most preconditions (`{{ request.operation || 'BACKGROUND' }} AnyIn [CREATE, UPDATE]`) are asked
 * of every resource of a check with one answer. Such a block is answered once per distinct set of
 * values, read from the context each time; anything else is evaluated as it is.
 */

/** What a memoized block answers: an evaluation with its resolver and context (see conditions.ts). */
interface Evaluate<T> {
  (resolve: (expression: string) => unknown, context?: unknown): T;
}

/** A condition's sides as a compiled rule or exception holds them. */
interface ConditionSides {
  key?: unknown;
  operator?: unknown;
  value?: unknown;
}

/**
 * The chains of fields a list of conditions reads from the context, as programs, when every
 * side is a constant or one `{{ }}` variable whose expression reads only such chains (see
 * jmespath-reads.ts); undefined otherwise.
 */
export function conditionReads(conditions: readonly unknown[]): JmesPathProgram[] | undefined {
  const chains = new Map<string, string[]>();
  for (const condition of conditions) {
    if (typeof condition !== "object" || condition === null) return undefined;
    const { key, operator, value } = condition as ConditionSides;
    if (typeof operator !== "string") return undefined;
    for (const side of [key, value]) {
      const simple = simpleSubstitution(side);
      if (!simple) return undefined;
      if (simple.kind === "constant") continue;
      let reads: string[][] | undefined;
      try {
        reads = rootReads(compileJmesPath(simple.expression));
      } catch {
        // A query that does not parse fails each time it is asked: nothing to keep.
        return undefined;
      }
      if (!reads) return undefined;
      for (const chain of reads) chains.set(JSON.stringify(chain), chain);
    }
  }
  return [...chains.values()].map(fieldProgram);
}

// Resource values key the answers: long texts are never kept, and a block keeps a bounded number.
const MAX_KEY_LENGTH = 256;
const MAX_ANSWERS = 512;

/** A value that may key an answer: a scalar (never -0, which a map would take for 0) or a missing key. */
function keyable(value: unknown): boolean {
  switch (typeof value) {
    case "string":
      return value.length <= MAX_KEY_LENGTH;
    case "number":
      return !Object.is(value, -0);
    case "boolean":
      return true;
    case "symbol":
      return value === MISSING;
    default:
      return value === null;
  }
}

// A block whose reads keep ending in maps or lists (`request.object.spec`) is evaluated plainly from then on.
const MAX_UNKEYED = 16;

/**
 * `evaluate`, with its answers kept by the values `reads` give on the context: an answer is
 * kept only when evaluated without error, so errors stay each evaluation's own. Without a context
 * (another resolver), or with a value that keys nothing (a map, a list, a long text), it evaluates;
 * when that is most of what it sees, it hands `evaluate` to `giveUp`, for the caller to call instead.
 */
export function memoizeByReads<T extends object>(params: {
  reads: readonly JmesPathProgram[];
  evaluate: Evaluate<T>;
  giveUp: (plain: Evaluate<T>) => void;
}): Evaluate<T> {
  const { reads, evaluate, giveUp } = params;
  const only = reads.length === 1 ? reads[0] : undefined;
  if (only) return memoizeByRead(only, params);
  let answers = new Map<unknown, unknown>();
  // Entries kept, maps of the levels included.
  let count = 0;
  let unkeyed = 0;
  let hits = 0;
  return (resolve, context) => {
    if (context === undefined) return evaluate(resolve, context);
    let level = answers;
    let key: unknown = undefined;
    for (let index = 0; index < reads.length; index++) {
      key = (reads[index] as JmesPathProgram)(context, context);
      if (!keyable(key)) {
        if (++unkeyed > MAX_UNKEYED && unkeyed > hits) giveUp(evaluate);
        return evaluate(resolve, context);
      }
      if (index === reads.length - 1) break;
      let next = level.get(key) as Map<unknown, unknown> | undefined;
      if (!next) {
        // Counted, so that levels never completed still bound what is kept.
        level.set(key, (next = new Map()));
        count++;
      }
      level = next;
    }
    // No read at all (constant conditions): one answer, under the key `undefined`.
    // Answers are outcome objects, never undefined.
    const known = level.get(key) as T | undefined;
    if (known !== undefined) {
      hits++;
      return known;
    }
    const answer = evaluate(resolve, context);
    if (count >= MAX_ANSWERS) {
      // Too many distinct values: start again.
      answers = new Map();
      count = 0;
      return answer;
    }
    level.set(key, answer);
    count++;
    return answer;
  };
}

/**
 * {@link memoizeByReads} of one read, the commonest (`request.operation`): the answer for the
 * value read last is found without a lookup, as a check's resources nearly all give the same one.
 */
function memoizeByRead<T extends object>(
  read: JmesPathProgram,
  params: { evaluate: Evaluate<T>; giveUp: (plain: Evaluate<T>) => void },
): Evaluate<T> {
  const { evaluate, giveUp } = params;
  let answers = new Map<unknown, T>();
  let lastKey: unknown = undefined;
  let lastAnswer: T | undefined;
  let unkeyed = 0;
  let hits = 0;
  return (resolve, context) => {
    if (context === undefined) return evaluate(resolve, context);
    const key = read(context, context);
    if (!keyable(key)) {
      if (++unkeyed > MAX_UNKEYED && unkeyed > hits) giveUp(evaluate);
      return evaluate(resolve, context);
    }
    // Keyable values are never -0, so `===` here is the map's own equality (NaN aside, which the map answers).
    if (key === lastKey && lastAnswer !== undefined) {
      hits++;
      return lastAnswer;
    }
    let answer = answers.get(key);
    if (answer !== undefined) hits++;
    else {
      answer = evaluate(resolve, context);
      // Too many distinct values: start again.
      if (answers.size >= MAX_ANSWERS) answers = new Map();
      answers.set(key, answer);
    }
    lastKey = key;
    lastAnswer = answer;
    return answer;
  };
}
