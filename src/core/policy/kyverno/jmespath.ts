import { own } from "../../own.js";
import type * as Jmespath from "@jmespath-community/jmespath";
import type { JSONValue } from "@jmespath-community/jmespath";
import { lazyRequire } from "../../lazy-require.js";
import { deepEqualJson, isPlainObject } from "./go-format.js";
import { JmesPathError, JmesPathNotFoundError } from "./jmespath-errors.js";
import { KYVERNO_FUNCTIONS } from "./jmespath-functions.js";

/** The JMESPath library, required the first time a policy's expression is compiled. */
const jmespath = lazyRequire<typeof Jmespath>("@jmespath-community/jmespath");

type ExpressionNode = ReturnType<typeof Jmespath.compile>;
type AnyNode = ExpressionNode & {
  type: string;
  name?: string;
  value?: unknown;
  left?: ExpressionNode;
  right?: ExpressionNode;
  child?: ExpressionNode;
  condition?: ExpressionNode;
  children?: AnyNode[];
  operator?: string;
  trueExpr?: ExpressionNode;
  falseExpr?: ExpressionNode;
};

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

function isFalse(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) return Object.keys(value).length === 0;
  return false;
}

/** Evaluates a Kyverno JMESPath expression against data; throws on errors, as Kyverno's query. */
export function searchJmesPath(expression: string, data: unknown): unknown {
  const node = compileJmesPath(expression);
  const interpreter = new Interpreter(data);
  const value = interpreter.visit(node as AnyNode, data);
  if (value === MISSING) throw new JmesPathNotFoundError(interpreter.missingKey);
  return value;
}

/**
 * What a missing key evaluates to inside the interpreter, instead of a thrown error: it passes up
 * through field chains, `&&` right sides and ternary branches unchanged, every other form turns it
 * into null, and at the top it becomes Kyverno's "Unknown key" error. A policy set asks for absent
 * keys thousands of times per check (`a.b || 'x'`); a value costs nothing to pass up, a throw does.
 */
const MISSING: unique symbol = Symbol("missing key");

class Interpreter {
  /** The key whose absence the last {@link MISSING} reports: it is set just before one is returned. */
  missingKey = "";

  constructor(private readonly root: unknown) {}

  /** Evaluates a child, turning a missing key into null. */
  private soft(node: ExpressionNode | undefined, value: unknown): unknown {
    if (!node) return null;
    const result = this.visit(node as AnyNode, value);
    return result === MISSING ? null : result;
  }

  /** Evaluates a child, turning any error into null (filter, flatten and value projections do). */
  private lenient(node: ExpressionNode | undefined, value: unknown): unknown {
    if (!node) return null;
    try {
      const result = this.visit(node as AnyNode, value);
      return result === MISSING ? null : result;
    } catch {
      return null;
    }
  }

  /** Evaluates a node; a missing key gives {@link MISSING}, which only the forms that pass it up return. */
  // eslint-disable-next-line max-lines-per-function -- one switch over JMESPath's node types, the shape of go-jmespath's interpreter (README, design)
  visit(node: AnyNode, value: unknown): unknown {
    switch (node.type) {
      case "Field": {
        if (!isPlainObject(value)) return null;
        const name = node.name ?? "";
        if (!Object.hasOwn(value, name)) {
          this.missingKey = name;
          return MISSING;
        }
        return value[name] ?? null;
      }
      case "Subexpression":
      case "IndexExpression": {
        const left = this.visit(node.left as AnyNode, value);
        return left === MISSING ? MISSING : this.visit(node.right as AnyNode, left);
      }
      case "Index": {
        if (!Array.isArray(value)) return null;
        const raw = Number(node.value);
        const index = raw < 0 ? value.length + raw : raw;
        return index >= 0 && index < value.length ? (value[index] ?? null) : null;
      }
      case "Slice":
        return sliceValue(node, value);
      case "Projection": {
        const left = this.soft(node.left, value);
        if (!Array.isArray(left)) return null;
        const collected: unknown[] = [];
        for (const element of left) {
          const current = this.soft(node.right, element);
          if (current !== null && current !== undefined) collected.push(current);
        }
        return collected;
      }
      case "ValueProjection": {
        const left = this.lenient(node.left, value);
        if (!isPlainObject(left)) return null;
        const collected: unknown[] = [];
        for (const element of Object.values(left)) {
          const current = this.soft(node.right, element);
          if (current !== null && current !== undefined) collected.push(current);
        }
        return collected;
      }
      case "FilterProjection": {
        const left = this.lenient(node.left, value);
        if (!Array.isArray(left)) return null;
        const collected: unknown[] = [];
        for (const element of left) {
          if (isFalse(this.soft(node.condition, element))) continue;
          const current = this.soft(node.right, element);
          if (current !== null && current !== undefined) collected.push(current);
        }
        return collected;
      }
      case "Flatten": {
        const left = this.lenient(node.child, value);
        if (!Array.isArray(left)) return null;
        return (left as unknown[]).flatMap((item) => (Array.isArray(item) ? (item as unknown[]) : [item]));
      }
      case "Comparator":
        return compare(node.name ?? "", this.soft(node.left, value), this.soft(node.right, value));
      case "OrExpression": {
        const left = this.soft(node.left, value);
        return isFalse(left) ? this.soft(node.right, value) : left;
      }
      case "AndExpression": {
        const left = this.soft(node.left, value);
        return isFalse(left) ? left : this.visit(node.right as AnyNode, value);
      }
      case "NotExpression":
        return isFalse(this.soft(node.child, value));
      case "Pipe":
        return this.soft(node.right, this.soft(node.left, value));
      case "MultiSelectList":
        if (value === null || value === undefined) return null;
        return (node.children ?? []).map((child) => this.soft(child, value));
      case "MultiSelectHash": {
        if (value === null || value === undefined) return null;
        const collected: Record<string, unknown> = {};
        for (const child of pairs(node)) collected[child.name] = this.soft(child.value, value);
        return collected;
      }
      case "Literal":
        return node.value ?? null;
      case "Current":
      case "Identity":
        return value;
      case "Root":
        return this.root;
      case "ExpressionReference":
        return { expref: true, ...(node.child as object) };
      case "Function":
        return this.call(node, value);
      case "Ternary":
        return isFalse(this.soft(node.condition, value))
          ? this.visit(node.falseExpr as AnyNode, value)
          : this.visit(node.trueExpr as AnyNode, value);
      case "Arithmetic":
        return arithmetic(node.operator ?? "", this.soft(node.left, value), this.soft(node.right, value));
      case "Unary": {
        const operand = this.soft((node as unknown as { operand: ExpressionNode }).operand, value);
        if (typeof operand !== "number") throw new JmesPathError("invalid operand for unary arithmetic");
        return node.operator === "Minus" ? -operand : operand;
      }
      default:
        throw new JmesPathError(`unsupported JMESPath expression: ${node.type}`);
    }
  }

  private call(node: AnyNode, value: unknown): unknown {
    const name = node.name ?? "";
    const args = (node.children ?? []).map((child) =>
      child.type === "ExpressionReference" ? this.visit(child, value) : this.soft(child, value),
    );
    const kyverno = own(KYVERNO_FUNCTIONS, name);
    if (kyverno) return kyverno(args);
    // The library's function table is a plain object: `constructor()` would reach Object's own.
    if (name in Object.prototype) throw new JmesPathError(`unknown JMESPath function '${name}'`);
    try {
      return jmespath().TreeInterpreter.runtime.callFunction(name, args as JSONValue[]);
    } catch (error) {
      throw new JmesPathError(`JMESPath function '${name}': ${(error as Error).message}`);
    }
  }
}

function compare(op: string, left: unknown, right: unknown): unknown {
  if (op === "EQ") return deepEqualJson(left, right);
  if (op === "NE") return !deepEqualJson(left, right);
  if (typeof left !== "number" || typeof right !== "number") return null;
  switch (op) {
    case "GT":
      return left > right;
    case "GTE":
      return left >= right;
    case "LT":
      return left < right;
    case "LTE":
      return left <= right;
    default:
      return null;
  }
}

function arithmetic(op: string, left: unknown, right: unknown): number {
  if (typeof left !== "number" || typeof right !== "number") throw new JmesPathError("invalid operands for arithmetic");
  switch (op) {
    case "Plus":
      return left + right;
    case "Minus":
      return left - right;
    case "Multiply":
    case "Star":
      return left * right;
    case "Divide":
      return left / right;
    case "Modulo":
      return left % right;
    case "Div":
      return Math.floor(left / right);
    default:
      throw new JmesPathError(`unknown arithmetic operator ${op}`);
  }
}

function sliceValue(node: AnyNode, value: unknown): unknown {
  const slice = node as unknown as { start: number | null; stop: number | null; step: number | null };
  const isText = typeof value === "string";
  if (!Array.isArray(value) && !isText) return null;
  const items: unknown[] = isText ? Array.from(value) : value;
  const step = slice.step ?? 1;
  if (step === 0) throw new JmesPathError("slice step cannot be 0");
  const cap = (n: number): number => {
    if (n < 0) {
      const shifted = n + items.length;
      return shifted < 0 ? (step < 0 ? -1 : 0) : shifted;
    }
    return n >= items.length ? (step < 0 ? items.length - 1 : items.length) : n;
  };
  const start = slice.start === null ? (step < 0 ? items.length - 1 : 0) : cap(slice.start);
  const stop = slice.stop === null ? (step < 0 ? -1 : items.length) : cap(slice.stop);
  const out: unknown[] = [];
  if (step > 0) for (let i = start; i < stop; i += step) out.push(items[i]);
  else for (let i = start; i > stop; i += step) out.push(items[i]);
  return isText ? out.join("") : out;
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
