import { isPlainObject } from "./go-format.js";
import { fieldChain } from "./jmespath-fields.js";
import type { AnyNode, ExpressionNode } from "./jmespath-program.js";

/**
 * What of the context a parsed expression reads: the chains of fields it follows from the root
 * (`request.operation`, `request.object.apiVersion`), when nothing else of the root is read.
 * Every function an expression can call is a pure one (jmespath-functions.ts admits no clock,
 * cluster or randomness), so the expression's value is then decided by the values at the end of
 * those chains. Conditions use this to answer once per distinct set of values (conditions-memo.ts).
 */

/** Whether no node below reads the root (`$`): such a part only reads the value it is given. */
function readsNoRoot(node: unknown): boolean {
  if (Array.isArray(node)) return node.every(readsNoRoot);
  if (!isPlainObject(node)) return true;
  // Conservative: a literal holding `{"type": "Root"}` counts as a read too.
  if (node["type"] === "Root") return false;
  return Object.values(node).every(readsNoRoot);
}

/** A part evaluated against what its left side gave: it reads what the left side reads, if it reads no root itself. */
function through(left: ExpressionNode | undefined, ...rest: (ExpressionNode | undefined)[]): string[][] | undefined {
  return rest.every(readsNoRoot) ? readsOf(left) : undefined;
}

function all(nodes: (ExpressionNode | undefined)[]): string[][] | undefined {
  const chains: string[][] = [];
  for (const node of nodes) {
    const found = readsOf(node);
    if (!found) return undefined;
    chains.push(...found);
  }
  return chains;
}

function functionReads(node: AnyNode): string[][] | undefined {
  const chains: string[][] = [];
  for (const child of node.children ?? []) {
    // An expression reference is applied to the other arguments' elements, not to the root.
    const found = child.type === "ExpressionReference" ? (readsNoRoot(child) ? [] : undefined) : readsOf(child);
    if (!found) return undefined;
    chains.push(...found);
  }
  return chains;
}

function readsOf(node: ExpressionNode | undefined): string[][] | undefined {
  // A part the parser left out fails when evaluated: nothing to say of it.
  if (!node) return undefined;
  const n = node as AnyNode;
  switch (n.type) {
    case "Field":
    case "Subexpression": {
      const chain = fieldChain(n);
      return chain ? [chain] : through(n.left, n.right);
    }
    case "IndexExpression":
    case "Pipe":
    case "Projection":
    case "ValueProjection":
      return through(n.left, n.right);
    case "FilterProjection":
      return through(n.left, n.right, n.condition);
    case "Flatten":
      return readsOf(n.child);
    case "Literal":
      return [];
    case "Comparator":
    case "Arithmetic":
    case "OrExpression":
    case "AndExpression":
      return all([n.left, n.right]);
    case "Unary":
      return all([(n as unknown as { operand?: ExpressionNode }).operand]);
    case "NotExpression":
      return readsOf(n.child);
    case "Ternary":
      return all([n.condition, n.trueExpr, n.falseExpr]);
    case "MultiSelectList":
      return all(n.children ?? []);
    case "MultiSelectHash":
      return all(((n.children ?? []) as unknown as { value?: ExpressionNode }[]).map((pair) => pair.value));
    case "Function":
      return functionReads(n);
    default:
      // `@`, `$`, an index or slice of the root itself, anything new: the whole root may matter.
      return undefined;
  }
}

/**
 * The chains of fields an expression evaluated against the context root reads (each once), or
 * undefined when it may read more of the root than its chains' end values.
 */
export function rootReads(node: ExpressionNode): string[][] | undefined {
  const chains = readsOf(node);
  if (!chains) return undefined;
  const seen = new Map<string, string[]>();
  for (const chain of chains) seen.set(JSON.stringify(chain), chain);
  return [...seen.values()];
}
