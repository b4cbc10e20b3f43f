import { bothWays } from "./condition-operators.js";
import { goSprint } from "./go-format.js";
import { matchWildcard } from "./wildcard.js";

/**
 * Membership conditions (`AnyIn`, `AnyNotIn`, `AllIn`, `AllNotIn`, `In`, `NotIn`) whose value is
 * a constant list, the commonest form (`{{ request.operation }} AnyIn [CREATE, UPDATE]`, a list
 * of allowed capabilities): the list's texts and their lookup are made once per condition, not
 * for every resource. Same answers as condition-operators.ts's handlers given that list.
 */
/**
 * Whether `key` is found in a list of texts, as {@link bothWays} against each: prepared once for a
 * constant list. A key without `*` or `?` matches a text only where they are equal or the text is
 * a pattern that matches it, so one set lookup and the list's few patterns answer.
 */
function listFinder(texts: readonly string[]): (key: string) => boolean {
  const exact = new Set(texts);
  const patterns = texts.filter(hasWildcard);
  return (key) => {
    if (hasWildcard(key)) return texts.some((text) => bothWays(key, text));
    if (exact.has(key)) return true;
    for (const pattern of patterns) if (matchWildcard(pattern, key)) return true;
    return false;
  };
}

const hasWildcard = (text: string): boolean => text.includes("*") || text.includes("?");

/** A condition's comparison with its value fixed: one side left. */
export type KeyHandler = (key: unknown) => boolean;

/** Scalars as their `fmt.Sprint` text, lists as their elements' texts; undefined for anything else (a map, null). */
function keyTexts(key: unknown): string | string[] | undefined {
  if (typeof key === "string") return key;
  if (typeof key === "number" || typeof key === "boolean") return goSprint(key);
  return Array.isArray(key) ? key.map(goSprint) : undefined;
}

/**
 * The AnyIn/AnyNotIn/AllIn/AllNotIn handler (and In/NotIn's) with its value a constant list:
 * the list's texts and their lookup are made once, not for every resource. Answers as
 * {@link operatorHandler}'s handler given that list; undefined for other operators.
 */
export function listHandler(operator: string, list: readonly unknown[]): KeyHandler | undefined {
  const name = operator.toLowerCase();
  const found = listFinder(list.map(goSprint));
  const some = (keys: string[], wanted: boolean): boolean => keys.some((k) => found(k) === wanted);
  switch (name) {
    case "anyin":
    case "anynotin":
    case "allin":
    case "allnotin": {
      const notIn = name.endsWith("notin");
      const any = name.startsWith("any");
      return (key) => {
        const texts = keyTexts(key);
        if (texts === undefined) return false;
        if (typeof texts === "string") return found(texts) !== notIn;
        // No key is found in (or missing from) any list; every one of no keys is in (and none is in) any list.
        if (texts.length === 0) return !any;
        if (any) return some(texts, !notIn);
        return notIn ? !some(texts, true) : !some(texts, false);
      };
    }
    case "in":
    case "notin": {
      const notIn = name === "notin";
      // A list with a non-string makes In/NotIn of a list of keys invalid (false).
      const strings = list.every((v) => typeof v === "string") ? new Set(list as string[]) : undefined;
      return (key) => {
        const texts = keyTexts(key);
        if (texts === undefined) return false;
        if (typeof texts === "string") return found(texts) !== notIn;
        if (!strings || !(key as unknown[]).every((k) => typeof k === "string")) return false;
        return notIn ? texts.some((k) => !strings.has(k)) : texts.every((k) => strings.has(k));
      };
    }
    default:
      return undefined;
  }
}
