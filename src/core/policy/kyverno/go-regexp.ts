import type * as Re2js from "re2js";
import { lazyRequire } from "../../lazy-require.js";

/** RE2, required the first time a policy runs a regular expression. */
const re2js = lazyRequire<typeof Re2js>("re2js");

/** A compiled Go regular expression: RE2 syntax and semantics, matching in time linear in the input. */
export interface GoRegExp {
  /** True when the expression matches anywhere in the text, as Go's `MatchString`. */
  test(text: string): boolean;
  /**
   * Go's `ReplaceAllString` (`literal: false`: `$1`, `${1}`, `$name`, `${name}`, `$$` are expanded)
   * or `ReplaceAllLiteralString` (`literal: true`).
   */
  replaceAll(params: { text: string; replacement: string; literal: boolean }): string;
}

/**
 * Compiled expressions by source. Policies repeat the same few expressions over many resources,
 * and RE2 compilation costs more than a match; the bound keeps hostile input from growing it.
 */
const CACHE = new Map<string, GoRegExp>();
const CACHE_LIMIT = 500;

/**
 * Compiles a Go regular expression with RE2 (re2js, a port of Go's `regexp`), the engine Kyverno
 * itself runs. Backtracking JavaScript RegExps would let a policy, or manifest text substituted into
 * one, hang the check (`(a+)+$` on forty `a`s and a `!` takes minutes); RE2 takes time linear in the
 * input whatever the expression. Throws an Error with RE2's message on a syntax Go rejects
 * (lookaround, backreferences), as Kyverno fails such a rule.
 */
export function compileGoRegExp(source: string): GoRegExp {
  const cached = CACHE.get(source);
  if (cached) return cached;
  let compiled: Re2js.RE2JS;
  try {
    compiled = re2js().RE2JS.compile(source);
  } catch (error) {
    throw new Error(error instanceof Error ? error.message : String(error), { cause: error });
  }
  const regexp: GoRegExp = {
    test: (text) => compiled.test(text),
    replaceAll: ({ text, replacement, literal }) => {
      let out = "";
      let last = 0;
      let lastMatchEnd = 0;
      for (const match of compiled.matchAll(text)) {
        const start = match.index ?? 0;
        const end = start + match[0].length;
        // Go skips an empty match right after another match, or patterns that match both the empty
        // and a non-empty string would be replaced twice (regexp.replaceAll).
        if (end > lastMatchEnd || start === 0) {
          out += text.slice(last, start) + (literal ? replacement : expandTemplate(replacement, match));
          last = end;
        }
        lastMatchEnd = end;
      }
      return out + text.slice(last);
    },
  };
  if (CACHE.size >= CACHE_LIMIT) CACHE.delete(CACHE.keys().next().value ?? "");
  CACHE.set(source, regexp);
  return regexp;
}

/** Go's `Regexp.Expand`: `$1`, `${1}`, `$name`, `${name}`, `$$`; an unknown group expands to nothing. */
function expandTemplate(template: string, match: RegExpMatchArray): string {
  return template.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (_all, token: string, braced?: string, bare?: string) => {
    if (token === "$") return "$";
    const ref = braced ?? bare ?? "";
    if (/^[0-9]+$/.test(ref)) return match[Number(ref)] ?? "";
    return match.groups?.[ref] ?? "";
  });
}
