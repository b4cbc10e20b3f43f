import type * as LezerPromql from "@prometheus-io/lezer-promql";
import type { SyntaxNode, SyntaxNodeRef } from "@lezer/common";
import { lazyRequire } from "../../lazy-require.js";

/** Prometheus' PromQL grammar, required the first time an expression is checked: building its parser costs a start-up. */
const promql = lazyRequire<typeof LezerPromql>("@prometheus-io/lezer-promql");

/**
 * Longest expression parsed. Real expressions are a few hundred characters; the grammar's parser
 * slows to seconds on a megabyte of garbage, so anything longer is one finding, not a hang.
 */
export const MAX_PROMQL_LENGTH = 16 * 1024;
/** Deepest nesting of brackets parsed; deeper is one finding (real queries nest a handful deep). */
export const MAX_PROMQL_NESTING = 64;

/** A problem in an expression, at a character offset into it. */
export interface PromqlIssue {
  /** `promql`: Prometheus rejects it; `range-function`: a range function without a range vector. */
  kind: "promql" | "range-function";
  offset: number;
  message: string;
}

// Functions whose argument at this index must be a range vector (a matrix selector or subquery).
const RANGE_ARGUMENT: Readonly<Record<string, number>> = {
  rate: 0,
  irate: 0,
  increase: 0,
  delta: 0,
  idelta: 0,
  deriv: 0,
  changes: 0,
  resets: 0,
  predict_linear: 0,
  holt_winters: 0,
  double_exponential_smoothing: 0,
  quantile_over_time: 1,
  avg_over_time: 0,
  min_over_time: 0,
  max_over_time: 0,
  sum_over_time: 0,
  count_over_time: 0,
  stddev_over_time: 0,
  stdvar_over_time: 0,
  last_over_time: 0,
  present_over_time: 0,
  absent_over_time: 0,
  mad_over_time: 0,
  ts_of_max_over_time: 0,
  ts_of_min_over_time: 0,
  ts_of_last_over_time: 0,
};
const RANGE_NODES = new Set(["MatrixSelector", "SubqueryExpr"]);

/**
 * Checks one PromQL expression with the Prometheus project's own grammar
 * (`@prometheus-io/lezer-promql`, the parser behind the Prometheus UI's editor): the first syntax
 * error, at its offset, and range functions (`rate`, `increase`, `*_over_time`, …) given something
 * other than a range vector, which Prometheus rejects when it loads the rule.
 *
 * Bounded: an expression longer than {@link MAX_PROMQL_LENGTH} or nested deeper than
 * {@link MAX_PROMQL_NESTING} is one issue and is not parsed.
 */
export function checkPromql(expression: string): PromqlIssue[] {
  if (expression.length > MAX_PROMQL_LENGTH) {
    return [
      {
        kind: "promql",
        offset: 0,
        message: `The expression is ${expression.length} characters long, more than the ${MAX_PROMQL_LENGTH} this check parses; split it into recording rules.`,
      },
    ];
  }
  const tooDeep = nestingBeyond(expression, MAX_PROMQL_NESTING);
  if (tooDeep !== -1) {
    return [
      {
        kind: "promql",
        offset: tooDeep,
        message: `The expression nests brackets more than ${MAX_PROMQL_NESTING} deep, more than this check parses; simplify it.`,
      },
    ];
  }
  if (expression.trim() === "") return [{ kind: "promql", offset: 0, message: "The expression is empty." }];
  const tree = promql().parser.parse(expression);
  let syntax: PromqlIssue | undefined;
  const ranges: PromqlIssue[] = [];
  tree.iterate({
    enter(node) {
      if (syntax) return false;
      if (node.type.isError) {
        syntax = { kind: "promql", offset: node.from, message: syntaxMessage(expression, node.from) };
        return false;
      }
      if (node.name === "FunctionCall") {
        const issue = rangeIssue(expression, node);
        if (issue) ranges.push(issue);
      }
      return undefined;
    },
  });
  return syntax ? [syntax] : ranges;
}

function syntaxMessage(expression: string, offset: number): string {
  const rest = expression.slice(offset).trimStart();
  if (rest === "") return "The PromQL expression ends too early: an operand or a closing bracket is missing.";
  const token = /^(\w+|"[^"]{0,40}"?|\S)/.exec(rest)?.[0] ?? rest.charAt(0);
  return `The PromQL expression cannot be parsed at \`${token.replaceAll("`", "'")}\`.`;
}

function rangeIssue(expression: string, call: SyntaxNodeRef): PromqlIssue | undefined {
  const node = call.node;
  const name = node.getChild("FunctionIdentifier");
  const body = node.getChild("FunctionCallBody");
  if (!name || !body) return undefined;
  const functionName = expression.slice(name.from, name.to);
  const index = RANGE_ARGUMENT[functionName];
  if (index === undefined) return undefined;
  const args: { name: string; from: number; to: number }[] = [];
  for (let child = body.firstChild; child; child = child.nextSibling) {
    if (child.type.isError || child.name === "(" || child.name === ")" || child.name === ",") continue;
    args.push({ name: unwrapParens(child).name, from: child.from, to: child.to });
  }
  const argument = args[index];
  if (!argument || RANGE_NODES.has(argument.name)) return undefined;
  return {
    kind: "range-function",
    offset: argument.from,
    message: `\`${functionName}()\` needs a range vector such as \`metric[5m]\`, but gets \`${shorten(expression.slice(argument.from, argument.to))}\`.`,
  };
}

function unwrapParens(node: SyntaxNode): SyntaxNode {
  let current = node;
  while (current.name === "ParenExpr") {
    let inner: SyntaxNode | null = current.firstChild;
    while (inner && (inner.name === "(" || inner.name === ")")) inner = inner.nextSibling;
    if (!inner) break;
    current = inner;
  }
  return current;
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, " ").replaceAll("`", "'");
  return flat.length > 40 ? `${flat.slice(0, 39)}…` : flat;
}

/** Offset of the bracket that nests deeper than `limit` (outside string literals), or -1. */
function nestingBeyond(expression: string, limit: number): number {
  let depth = 0;
  let quote = "";
  for (let index = 0; index < expression.length; index++) {
    const char = expression[index];
    if (quote !== "") {
      if (char === "\\" && quote !== "`") index++;
      else if (char === quote) quote = "";
      continue;
    }
    if (char === '"' || char === "'" || char === "`") quote = char;
    else if (char === "(" || char === "[" || char === "{") {
      if (++depth > limit) return index;
    } else if (char === ")" || char === "]" || char === "}") depth = Math.max(0, depth - 1);
  }
  return -1;
}
