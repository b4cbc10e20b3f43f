import type * as Jmespath from "@jmespath-community/jmespath";
import type { JSONValue } from "@jmespath-community/jmespath";
import { lazyRequire } from "../../lazy-require.js";
import { own } from "../../own.js";
import { isPlainObject } from "./go-format.js";
import { JmesPathError } from "./jmespath-errors.js";
import type { JmesPathProgram } from "./jmespath-program.js";

/** The JMESPath library's built-in functions (`length`, `keys`, `merge`...), called from compiled expressions. */

const jmespath = lazyRequire<typeof Jmespath>("@jmespath-community/jmespath");

/** Asks for the library's own call: the argument is one its checks may refuse, or one only it answers. */
const LIBRARY: unique symbol = Symbol("library");

/** A plain object as the library types it: an object with a truthy `expref` is an expression reference. */
const isLibraryObject = (value: unknown): value is Record<string, unknown> => isPlainObject(value) && !value["expref"];

/**
 * The library's commonest one-argument functions, answered directly where the argument is one its
 * checks accept (their results are the library's own); anything else goes to the library, for its
 * answer or its error. The checks cost more than these functions' work.
 */
const DIRECT: Readonly<Record<string, (argument: unknown) => unknown>> = {
  length: (v) => (Array.isArray(v) ? v.length : isLibraryObject(v) ? Object.keys(v).length : LIBRARY),
  keys: (v) => (isLibraryObject(v) ? Object.keys(v) : LIBRARY),
  values: (v) => (isLibraryObject(v) ? Object.values(v) : LIBRARY),
  to_array: (v) => (Array.isArray(v) ? (v as unknown[]) : [v]),
};

/**
 * A call of one of the library's built-in functions (which check their arguments' number and
 * types), `args` evaluated in order as the call's arguments.
 */
export function libraryCall(name: string, args: JmesPathProgram[]): JmesPathProgram {
  const single = args.length === 1 ? args[0] : undefined;
  const direct = single ? own(DIRECT, name) : undefined;
  if (single && direct) {
    return (value, root) => {
      const argument = single(value, root);
      const answer = direct(argument);
      return answer === LIBRARY ? invokeLibrary(name, [argument]) : answer;
    };
  }
  return (value, root) => {
    const values: unknown[] = [];
    for (const arg of args) values.push(arg(value, root));
    return invokeLibrary(name, values);
  };
}

function invokeLibrary(name: string, values: unknown[]): unknown {
  // The library's function table is a plain object: `constructor()` would reach Object's own.
  if (name in Object.prototype) throw new JmesPathError(`unknown JMESPath function '${name}'`);
  try {
    return jmespath().TreeInterpreter.runtime.callFunction(name, values as JSONValue[]);
  } catch (error) {
    throw new JmesPathError(`JMESPath function '${name}': ${(error as Error).message}`);
  }
}
