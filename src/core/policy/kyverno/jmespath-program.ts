import { own } from "../../own.js";
import type * as Jmespath from "@jmespath-community/jmespath";
import { isPlainObject } from "./go-format.js";
import { JmesPathError } from "./jmespath-errors.js";
import { KYVERNO_FUNCTIONS } from "./jmespath-functions.js";
import { libraryCall } from "./jmespath-library.js";
import { arithmetic, compareValues, sliceValue, type SliceBounds } from "./jmespath-operators.js";
import { fieldChain, fieldProgram, MISSING, readChain, softChainProgram } from "./jmespath-fields.js";

/**
 * A parsed JMESPath expression turned once into nested closures, evaluated as Kyverno's fork
 * evaluates it. A tree-walking interpreter reads every node's fields through one switch whose
 * property loads meet a dozen node shapes (slow, megamorphic); the closures each know their node,
 * and conditions ask the same few expressions of every resource (issue 16).
 */

/** A parsed expression as the library returns it, and a node of it with the fields its node types carry. */
export type ExpressionNode = ReturnType<typeof Jmespath.compile>;
export type AnyNode = ExpressionNode & {
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

/** Evaluates against the current value; `root` is what `$` reads. May return {@link MISSING}. */
export type JmesPathProgram = (value: unknown, root: unknown) => unknown;

function isFalse(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) return Object.keys(value).length === 0;
  return false;
}

const returnNull: JmesPathProgram = () => null;

/** A child evaluated as is (a missing key passes up); a node the parser left out fails when reached, as reading its type would. */
function strict(node: ExpressionNode | undefined): JmesPathProgram {
  if (!node) {
    return () => {
      throw new TypeError("Cannot read properties of undefined (reading 'type')");
    };
  }
  return jmespathProgram(node);
}

// Only these forms pass a missing key up; every other form's program never returns MISSING.
const PASSES_MISSING = new Set(["Field", "Subexpression", "IndexExpression", "AndExpression", "Ternary"]);

/** A child whose missing key becomes null; an absent child is null. */
function soft(node: ExpressionNode | undefined): JmesPathProgram {
  if (!node) return returnNull;
  const chain = fieldChain(node as AnyNode);
  if (chain) return softChainProgram(chain);
  const program = jmespathProgram(node);
  if (!PASSES_MISSING.has((node as AnyNode).type)) return program;
  return (value, root) => {
    const result = program(value, root);
    return result === MISSING ? null : result;
  };
}

/** A child whose errors become null too (filter, flatten and value projections). */
function lenient(node: ExpressionNode | undefined): JmesPathProgram {
  if (!node) return returnNull;
  const program = jmespathProgram(node);
  return (value, root) => {
    try {
      const result = program(value, root);
      return result === MISSING ? null : result;
    } catch {
      return null;
    }
  };
}

/** {@link lenient}, without the error guard where the child is a chain of fields (which cannot fail). */
function quiet(node: ExpressionNode | undefined): JmesPathProgram {
  return node && fieldChain(node as AnyNode) ? soft(node) : lenient(node);
}

/**
 * How a projection reads each element: not at all (`a[]`, the element itself), a chain of fields
 * read in the projection's own loop (`a[].b.c`), or a program.
 */
type ProjectionRight = { chain: string[]; inherited: boolean[] } | JmesPathProgram | undefined;

function projectionRight(node: ExpressionNode | undefined): ProjectionRight {
  if ((node as AnyNode | undefined)?.type === "Identity") return undefined;
  const chain = node ? fieldChain(node as AnyNode) : undefined;
  if (chain) return { chain, inherited: chain.map((name) => name in Object.prototype) };
  return soft(node);
}

/** Appends what the projection's right side gives for one element, unless null. */
function project(collected: unknown[], right: ProjectionRight, element: unknown, root: unknown): void {
  let current: unknown;
  if (right === undefined) current = element;
  else if (typeof right === "function") current = right(element, root);
  else {
    current = readChain(element, right.chain, right.inherited);
    if (current === MISSING) return;
  }
  if (current !== null && current !== undefined) collected.push(current);
}

function collect(right: ProjectionRight, items: Iterable<unknown>, root: unknown): unknown[] {
  const collected: unknown[] = [];
  for (const element of items) project(collected, right, element, root);
  return collected;
}

/** `a[]...`: a projection over a flatten, in one loop with no flattened list in between. */
function flattenProjection(child: ExpressionNode | undefined, right: ProjectionRight): JmesPathProgram {
  const items = quiet(child);
  return (value, root) => {
    const list = items(value, root);
    if (!Array.isArray(list)) return null;
    const collected: unknown[] = [];
    for (const item of list as unknown[]) {
      if (Array.isArray(item)) for (const inner of item as unknown[]) project(collected, right, inner, root);
      else project(collected, right, item, root);
    }
    return collected;
  };
}

function projectionProgram(node: AnyNode): JmesPathProgram {
  const right = projectionRight(node.right);
  switch (node.type) {
    case "Projection": {
      const leftNode = node.left as AnyNode | undefined;
      if (leftNode?.type === "Flatten") return flattenProjection(leftNode.child, right);
      const left = soft(node.left);
      return (value, root) => {
        const items = left(value, root);
        return Array.isArray(items) ? collect(right, items, root) : null;
      };
    }
    case "ValueProjection": {
      const left = quiet(node.left);
      return (value, root) => {
        const items = left(value, root);
        return isPlainObject(items) ? collect(right, Object.values(items), root) : null;
      };
    }
    default: {
      const left = quiet(node.left);
      const condition = soft(node.condition);
      return (value, root) => {
        const items = left(value, root);
        if (!Array.isArray(items)) return null;
        const collected: unknown[] = [];
        for (const element of items as unknown[]) {
          if (!isFalse(condition(element, root))) project(collected, right, element, root);
        }
        return collected;
      };
    }
  }
}

function flattenProgram(node: AnyNode): JmesPathProgram {
  const child = quiet(node.child);
  return (value, root) => {
    const items = child(value, root);
    if (!Array.isArray(items)) return null;
    const out: unknown[] = [];
    for (const item of items as unknown[]) {
      if (Array.isArray(item)) for (const inner of item as unknown[]) out.push(inner);
      else out.push(item);
    }
    return out;
  };
}

function sliceProgram(node: AnyNode): JmesPathProgram {
  const slice = node as unknown as SliceBounds;
  return (value) => sliceValue(slice, value);
}

function functionProgram(node: AnyNode): JmesPathProgram {
  const name = node.name ?? "";
  const children = node.children ?? [];
  // Expression references go to the function as nodes; every other argument as a value, missing keys as null.
  const args = children.map((child) => (child.type === "ExpressionReference" ? jmespathProgram(child) : soft(child)));
  const kyverno = own(KYVERNO_FUNCTIONS, name);
  if (!kyverno) return libraryCall(name, args);
  return (value, root) => {
    const values: unknown[] = [];
    for (const arg of args) values.push(arg(value, root));
    return kyverno(values);
  };
}

function multiSelectProgram(node: AnyNode): JmesPathProgram {
  if (node.type === "MultiSelectList") {
    const children = (node.children ?? []).map((child) => soft(child));
    return (value, root) => {
      if (value === null || value === undefined) return null;
      return children.map((child) => child(value, root));
    };
  }
  const pairs = ((node.children ?? []) as unknown as { name: string; value: ExpressionNode }[]).map((pair) => ({
    name: pair.name,
    value: soft(pair.value),
  }));
  return (value, root) => {
    if (value === null || value === undefined) return null;
    const collected: Record<string, unknown> = {};
    for (const pair of pairs) collected[pair.name] = pair.value(value, root);
    return collected;
  };
}

function logicProgram(node: AnyNode): JmesPathProgram {
  switch (node.type) {
    case "OrExpression": {
      const left = soft(node.left);
      const right = soft(node.right);
      return (value, root) => {
        const result = left(value, root);
        return isFalse(result) ? right(value, root) : result;
      };
    }
    case "AndExpression": {
      const left = soft(node.left);
      const right = strict(node.right);
      return (value, root) => {
        const result = left(value, root);
        return isFalse(result) ? result : right(value, root);
      };
    }
    case "NotExpression": {
      const child = soft(node.child);
      return (value, root) => isFalse(child(value, root));
    }
    default: {
      const condition = soft(node.condition);
      const whenTrue = strict(node.trueExpr);
      const whenFalse = strict(node.falseExpr);
      return (value, root) => (isFalse(condition(value, root)) ? whenFalse(value, root) : whenTrue(value, root));
    }
  }
}

function operatorProgram(node: AnyNode): JmesPathProgram {
  const op = node.operator ?? "";
  if (node.type === "Unary") {
    const operand = soft((node as unknown as { operand?: ExpressionNode }).operand);
    return (value, root) => {
      const result = operand(value, root);
      if (typeof result !== "number") throw new JmesPathError("invalid operand for unary arithmetic");
      return op === "Minus" ? -result : result;
    };
  }
  const left = soft(node.left);
  const right = soft(node.right);
  if (node.type === "Arithmetic") return (value, root) => arithmetic(op, left(value, root), right(value, root));
  const name = node.name ?? "";
  return (value, root) => compareValues(name, left(value, root), right(value, root));
}

/** `left.right` or `left[index]`: the right side reads what the left gives, and a missing key passes up unchanged. */
function chainProgram(n: AnyNode): JmesPathProgram {
  const left = strict(n.left);
  const right = strict(n.right);
  return (value, root) => {
    const result = left(value, root);
    return result === MISSING ? MISSING : right(result, root);
  };
}

/** Compiles a parsed expression into closures; unsupported forms fail when evaluated, as Kyverno's query would. */
export function jmespathProgram(node: ExpressionNode): JmesPathProgram {
  const n = node as AnyNode;
  switch (n.type) {
    case "Field":
    case "Subexpression": {
      const names = fieldChain(n);
      return names ? fieldProgram(names) : chainProgram(n);
    }
    case "IndexExpression":
      return chainProgram(n);
    case "Index": {
      const raw = Number(n.value);
      return (value) => {
        if (!Array.isArray(value)) return null;
        const index = raw < 0 ? value.length + raw : raw;
        return index >= 0 && index < value.length ? ((value[index] as unknown) ?? null) : null;
      };
    }
    case "Slice":
      return sliceProgram(n);
    case "Projection":
    case "ValueProjection":
    case "FilterProjection":
      return projectionProgram(n);
    case "Flatten":
      return flattenProgram(n);
    case "Comparator":
    case "Arithmetic":
    case "Unary":
      return operatorProgram(n);
    case "OrExpression":
    case "AndExpression":
    case "NotExpression":
    case "Ternary":
      return logicProgram(n);
    case "Pipe": {
      const left = soft(n.left);
      const right = soft(n.right);
      return (value, root) => right(left(value, root), root);
    }
    case "MultiSelectList":
    case "MultiSelectHash":
      return multiSelectProgram(n);
    case "Literal": {
      const literal = n.value ?? null;
      return () => literal;
    }
    case "Current":
    case "Identity":
      return (value) => value;
    case "Root":
      return (_value, root) => root;
    case "ExpressionReference": {
      const child = n.child as object;
      return () => ({ expref: true, ...child });
    }
    case "Function":
      return functionProgram(n);
    default: {
      const type = n.type;
      return () => {
        throw new JmesPathError(`unsupported JMESPath expression: ${type}`);
      };
    }
  }
}
