import type * as Jmespath from "@jmespath-community/jmespath";
import { lazyRequire } from "../../lazy-require.js";
import { isPlainObject } from "./go-format.js";
import { JmesPathError, JmesPathNotFoundError } from "./jmespath-errors.js";
import { KYVERNO_FUNCTIONS } from "./jmespath-functions.js";
import { SubstitutionError } from "./variables.js";
import { lastMissingKey, MISSING } from "./jmespath-fields.js";
import { jmespathProgram, type AnyNode, type ExpressionNode, type JmesPathProgram } from "./jmespath-program.js";

/** The JMESPath library, required the first time a policy's expression is compiled. */
const jmespath = lazyRequire<typeof Jmespath>("@jmespath-community/jmespath");

export { JmesPathError, JmesPathNotFoundError };

const compiled = new Map<string, ExpressionNode>();
const MAX_CACHED = 2000;

/** Compiles (and caches) an expression; throws {@link JmesPathError} on syntax errors. */
export function compileJmesPath(expression: string): ExpressionNode {
  const cached = compiled.get(expression);
  if (cached) return cached;
  let node: ExpressionNode;
  try {
    node = jmespath().compile(expression);
  } catch (error) {
    throw new JmesPathError(`incorrect query ${expression}: ${(error as Error).message}`);
  }
  if (compiled.size >= MAX_CACHED) compiled.clear();
  compiled.set(expression, node);
  return node;
}

function pairs(node: AnyNode): { name: string; value: ExpressionNode }[] {
  return (node.children ?? []) as unknown as { name: string; value: ExpressionNode }[];
}

const programs = new Map<string, JmesPathProgram>();

/** The expression's closures, made once per distinct expression (conditions ask the same few of every resource). */
function programFor(expression: string): JmesPathProgram {
  let program = programs.get(expression);
  if (!program) {
    program = jmespathProgram(compileJmesPath(expression));
    if (programs.size >= MAX_CACHED) programs.clear();
    programs.set(expression, program);
  }
  return program;
}

/** Evaluates a Kyverno JMESPath expression against data; throws on errors, as Kyverno's query. */
export function searchJmesPath(expression: string, data: unknown): unknown {
  const value = programFor(expression)(data, data);
  if (value === MISSING) throw new JmesPathNotFoundError(lastMissingKey());
  return value;
}

function substitutionError(query: string, error: unknown): unknown {
  if (error instanceof JmesPathNotFoundError || error instanceof JmesPathError) {
    return new SubstitutionError(`failed to resolve ${query}: ${error.message}`);
  }
  return error;
}

/**
 * One `{{ }}` expression asked of a rule's evaluation context, as Kyverno resolves a variable: a
 * query that fails (syntax, a missing key, a function's arguments) is a {@link SubstitutionError}
 * that names it; anything else thrown (a stack exhausted by hostile nesting) passes as it is.
 */
export function resolveQuery(expression: string, context: unknown): unknown {
  const query = expression.trim();
  if (query === "") throw new SubstitutionError("invalid query (nil)");
  try {
    return searchJmesPath(query, context);
  } catch (error) {
    throw substitutionError(query, error);
  }
}

/**
 * A `{{ }}` variable's value, as a condition asks it of every resource: through `resolve` where
 * no context is given, else {@link resolveQuery} of the context with the program found once, not
 * looked up by the expression's text each time (same answers and errors).
 */
export function contextQuery(expression: string): (resolve: (expression: string) => unknown, context: unknown) => unknown {
  const query = expression.trim();
  if (query === "") return (resolve, context) => (context === undefined ? resolve(expression) : resolveQuery(query, context));
  let program: JmesPathProgram | undefined;
  return (resolve, context) => {
    if (context === undefined) return resolve(expression);
    try {
      program ??= programFor(query);
      const value = program(context, context);
      if (value === MISSING) throw new JmesPathNotFoundError(lastMissingKey());
      return value;
    } catch (error) {
      throw substitutionError(query, error);
    }
  };
}

/** Function names Kyverno policies may call: the JMESPath built-ins plus Kyverno's extensions. */
export function isKnownFunction(name: string): boolean {
  return Object.hasOwn(KYVERNO_FUNCTIONS, name) || (!(name in Object.prototype) && jmespath().TreeInterpreter.runtime.isRegistered(name));
}

/** Names of the functions an expression calls (for reporting unsupported ones before running). */
export function functionsCalled(node: ExpressionNode): string[] {
  const names: string[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) {
      n.forEach(walk);
      return;
    }
    if (!isPlainObject(n)) return;
    if (n["type"] === "Function" && typeof n["name"] === "string") names.push(n["name"]);
    for (const child of Object.values(n)) walk(child);
  };
  walk(node);
  return names;
}

/**
 * Root variable paths an expression reads, such as `request.object` or `request.userInfo`:
 * the first two fields of each chain evaluated against the context root.
 */
export function rootPaths(node: ExpressionNode): string[] {
  const found = new Set<string>();
  const chain = (n: AnyNode): string[] | undefined => {
    if (n.type === "Field") return [n.name ?? ""];
    if (n.type === "Subexpression" || n.type === "IndexExpression") {
      const left = chain(n.left as AnyNode);
      if (!left) return undefined;
      const right = n.right as AnyNode;
      return left.length < 2 && right.type === "Field" ? [...left, right.name ?? ""] : left;
    }
    if (n.type === "Projection" || n.type === "Flatten" || n.type === "FilterProjection" || n.type === "ValueProjection") {
      return chain((n.left ?? n.child) as AnyNode);
    }
    return undefined;
  };
  const walk = (n: AnyNode | undefined): void => {
    if (!n) return;
    const c = chain(n);
    if (c) {
      found.add(c.join("."));
      return;
    }
    switch (n.type) {
      case "Subexpression":
      case "IndexExpression":
      case "Projection":
      case "ValueProjection":
      case "FilterProjection":
      case "Pipe":
        // Only the left side sees the root; the right side is evaluated against its result.
        walk(n.left as AnyNode);
        return;
      case "Flatten":
      case "NotExpression":
        walk(n.child as AnyNode);
        return;
      case "Comparator":
      case "OrExpression":
      case "AndExpression":
      case "Arithmetic":
        walk(n.left as AnyNode);
        walk(n.right as AnyNode);
        return;
      case "Ternary":
        walk(n.condition as AnyNode);
        walk(n.trueExpr as AnyNode);
        walk(n.falseExpr as AnyNode);
        return;
      case "MultiSelectList":
      case "Function":
        for (const child of n.children ?? []) if (child.type !== "ExpressionReference") walk(child);
        return;
      case "MultiSelectHash":
        for (const child of pairs(n)) walk(child.value as AnyNode);
        return;
      default:
        return;
    }
  };
  walk(node as AnyNode);
  return [...found];
}
