import { isPlainObject } from "./go-format.js";
import type { AnyNode, JmesPathProgram } from "./jmespath-program.js";

/** JMESPath's field chains (`a.b.c`), the commonest form in Kyverno's conditions, read as Kyverno's fork reads them. */

/**
 * What a missing key evaluates to, instead of a thrown error: it passes up through field chains,
 * `&&` right sides and ternary branches unchanged, every other form turns it into null, and at the
 * top it becomes Kyverno's "Unknown key" error. A policy set asks for absent keys thousands of
 * times per check (`a.b || 'x'`); a value costs nothing to pass up, a throw does.
 */
export const MISSING: unique symbol = Symbol("missing key");

let missingKey = "";

/** The key whose absence the last {@link MISSING} reports (set just before one is returned; evaluation is synchronous). */
export function lastMissingKey(): string {
  return missingKey;
}

/** `a.b.c`: the names of a chain of plain fields, or undefined when the node is something else. */
export function fieldChain(node: AnyNode): string[] | undefined {
  if (node.type === "Field") return [node.name ?? ""];
  if (node.type !== "Subexpression" || !node.left || !node.right) return undefined;
  const right = node.right as AnyNode;
  if (right.type !== "Field") return undefined;
  const left = fieldChain(node.left as AnyNode);
  return left ? [...left, right.name ?? ""] : undefined;
}

/**
 * Reads one field: null from a non-object, {@link MISSING} when the key is not the object's own.
 * JSON objects inherit only Object.prototype's names, so for any other name a defined value is an
 * own one and the own-key test is only needed when the value reads undefined.
 */
function readField(value: unknown, name: string, inherited: boolean): unknown {
  if (!isPlainObject(value)) return null;
  if (!inherited) {
    const found = value[name];
    if (found !== undefined) return found;
  }
  if (!Object.hasOwn(value, name)) {
    missingKey = name;
    return MISSING;
  }
  return value[name] ?? null;
}

/** Reads a chain of fields from a value: {@link MISSING} at the first key that is not there. */
export function readChain(value: unknown, names: readonly string[], inherited: readonly boolean[]): unknown {
  let current = value;
  for (let index = 0; index < names.length; index++) {
    current = readField(current, names[index] as string, inherited[index] as boolean);
    if (current === MISSING) return MISSING;
  }
  return current;
}

/** Reads a chain of fields (`a.b.c`) as the expression `a.b.c` does: {@link MISSING} at the first absent key. */
export function fieldProgram(names: string[]): JmesPathProgram {
  const inherited = names.map((name) => name in Object.prototype);
  if (names.length === 1) {
    const name = names[0] as string;
    const own = inherited[0] as boolean;
    return (value) => readField(value, name, own);
  }
  return (value) => readChain(value, names, inherited);
}

/** A chain of fields whose missing key reads null, as {@link soft} makes it: one call, not two. */
export function softChainProgram(names: string[]): JmesPathProgram {
  const inherited = names.map((name) => name in Object.prototype);
  return (value) => {
    const result = readChain(value, names, inherited);
    return result === MISSING ? null : result;
  };
}
