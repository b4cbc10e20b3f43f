import { problem, type Problem } from "../problems.js";

/** `${{ values.name }}`: the placeholder syntax. `{{ }}` alone is left to Prometheus and Grafana. */
const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*\}\}/g;
const WHOLE_PLACEHOLDER = /^\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*\}\}$/;

export type RenderContext = Readonly<Record<string, unknown>>;

/** True when `text` is exactly one placeholder (which keeps its value's type unless quoted). */
export function isWholePlaceholder(text: string): boolean {
  return WHOLE_PLACEHOLDER.test(text);
}

function lookup(context: RenderContext, dotted: string): { found: boolean; value: unknown } {
  let current: unknown = context;
  for (const key of dotted.split(".")) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, key)) return { found: false, value: undefined };
    current = (current as Record<string, unknown>)[key];
  }
  return { found: current !== undefined, value: current };
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

/**
 * Substitutes placeholders in a parsed YAML tree, never in text: a value is inserted as one scalar,
 * so `a\nkind: Secret` or `{{x}}` in a value stays a plain string and cannot add YAML structure.
 * A placeholder that is the whole plain scalar keeps the type of its value (`replicas: ${{ size.replicas }}`
 * renders a number); in a quoted scalar (its path in `quoted`, from the template's source) or inside
 * a longer string it is converted to text, as YAML's quotes ask. Values are never re-scanned, so a
 * value that looks like a placeholder is not expanded.
 */
export function renderTemplate(params: { tree: unknown; context: RenderContext; file: string; quoted?: ReadonlySet<string> }): {
  value: unknown;
  problems: Problem[];
} {
  const problems: Problem[] = [];
  const unknown = new Set<string>();

  const substitute = (text: string, quoted = false): unknown => {
    const whole = quoted ? null : WHOLE_PLACEHOLDER.exec(text);
    if (whole) {
      const name = whole[1] ?? "";
      const { found, value } = lookup(params.context, name);
      if (!found) {
        unknown.add(name);
        return text;
      }
      return value;
    }
    return text.replace(PLACEHOLDER, (match, name: string) => {
      const { found, value } = lookup(params.context, name);
      if (!found) {
        unknown.add(name);
        return match;
      }
      if (!isScalar(value)) {
        unknown.add(name);
        return match;
      }
      return String(value);
    });
  };

  const quoted = params.quoted ?? new Set<string>();
  const walk = (node: unknown, path: readonly (string | number)[]): unknown => {
    if (typeof node === "string") return substitute(node, quoted.size > 0 && quoted.has(JSON.stringify(path)));
    if (Array.isArray(node)) return node.map((item, index) => walk(item, [...path, index]));
    if (node !== null && typeof node === "object") {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(node)) {
        const renderedKey = substitute(key);
        // defineProperty: a `__proto__` key stays a key instead of replacing the prototype.
        Object.defineProperty(out, String(renderedKey), {
          value: walk(value, [...path, key]),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    return node;
  };

  const value = walk(params.tree, []);
  for (const name of unknown) {
    problems.push(
      problem("render.unknown-placeholder", `${params.file} uses \`\${{ ${name} }}\`, which has no value.`, {
        file: params.file,
        hint: "Use values.<parameter>, size.<field>, environment.<field>, request.<field> or argocd.<field>.",
      }),
    );
  }
  return { value, problems };
}
