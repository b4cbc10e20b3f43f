/**
 * Kyverno's wildcard matching (github.com/IGLOU-EU/go-wildcard v1): `*` matches any run of
 * characters (including none), `?` matches exactly one character, everything else is literal.
 * An empty pattern only matches an empty name. Matching works on code points, as Go works on runes.
 */
export function matchWildcard(pattern: string, name: string): boolean {
  // Every pattern matches its own text (`*` and `?` match themselves too).
  if (pattern === name) return true;
  if (pattern === "") return false;
  if (pattern === "*") return true;
  if (!pattern.includes("*") && !pattern.includes("?")) return pattern === name;
  // Without surrogate pairs, UTF-16 units are code points: no arrays needed.
  if (!SURROGATE.test(pattern) && !SURROGATE.test(name)) return matchUnits(pattern, name);
  const p = Array.from(pattern);
  const s = Array.from(name);
  // Iterative matcher with single backtrack point: linear in practice, never exponential.
  let pi = 0;
  let si = 0;
  let starPi = -1;
  let starSi = 0;
  while (si < s.length) {
    const pc = p[pi];
    if (pc === "*") {
      starPi = pi;
      starSi = si;
      pi++;
    } else if (pc !== undefined && (pc === "?" || pc === s[si])) {
      pi++;
      si++;
    } else if (starPi >= 0) {
      pi = starPi + 1;
      starSi++;
      si = starSi;
    } else {
      return false;
    }
  }
  while (p[pi] === "*") pi++;
  return pi === p.length;
}

const SURROGATE = /[\uD800-\uDFFF]/;
const STAR = 42;
const QUESTION = 63;

/** {@link matchWildcard} over UTF-16 units, for text without surrogates. */
function matchUnits(pattern: string, name: string): boolean {
  let pi = 0;
  let si = 0;
  let starPi = -1;
  let starSi = 0;
  while (si < name.length) {
    const pc = pi < pattern.length ? pattern.charCodeAt(pi) : -1;
    if (pc === STAR) {
      starPi = pi;
      starSi = si;
      pi++;
    } else if (pc !== -1 && (pc === QUESTION || pc === name.charCodeAt(si))) {
      pi++;
      si++;
    } else if (starPi >= 0) {
      pi = starPi + 1;
      starSi++;
      si = starSi;
    } else {
      return false;
    }
  }
  while (pattern.charCodeAt(pi) === STAR) pi++;
  return pi === pattern.length;
}

/** True when the text holds a `*` or `?` wildcard. */
export function containsWildcard(text: string): boolean {
  return text.includes("*") || text.includes("?");
}

/**
 * {@link matchWildcard} with the pattern read once, for a pattern that judges many names. Shapes
 * that need no scan get a direct test: stars and `?` only (`?*`: not empty), one star between a
 * prefix and a suffix (`!*:latest`), parts found in order between stars (`*PASSWORD*`); other patterns
 * with `?` scan. Patterns without `?` work on UTF-16 units, which match as code points do when the
 * pattern holds no surrogate (a literal character never meets half a pair).
 */
export function wildcardMatcher(pattern: string): (name: string) => boolean {
  if (pattern === "") return (name) => name === "";
  if (pattern === "*") return () => true;
  if (!containsWildcard(pattern)) return (name) => name === pattern;
  if (SURROGATE.test(pattern)) return (name) => matchWildcard(pattern, name);
  if (/^[*?]+$/.test(pattern) && pattern.includes("*")) {
    // At least as many code points as `?`s.
    let questions = 0;
    for (const char of pattern) if (char === "?") questions++;
    if (questions <= 1) return (name) => name.length >= questions;
    return (name) => name.length >= questions && (!SURROGATE.test(name) || Array.from(name).length >= questions);
  }
  if (pattern.includes("?")) return (name) => matchWildcard(pattern, name);
  const parts = pattern.split("*");
  const first = parts[0] ?? "";
  const last = parts[parts.length - 1] ?? "";
  if (parts.length === 2) return (name) => name.length >= first.length + last.length && name.startsWith(first) && name.endsWith(last);
  return starsMatcher(first, parts.slice(1, -1), last);
}

/**
 * Stars between literal parts (`*PASSWORD*`, `a*b*c`): the prefix and suffix in place, and each
 * part between found leftmost after the one before. With `*` alone (no `?`), the leftmost place of
 * each part leaves the most room for the rest, so this is the scan's answer without backtracking.
 */
function starsMatcher(first: string, between: readonly string[], last: string): (name: string) => boolean {
  const parts = between.filter((part) => part !== "");
  let least = first.length + last.length;
  for (const part of parts) least += part.length;
  return (name) => {
    if (name.length < least || !name.startsWith(first) || !name.endsWith(last)) return false;
    const end = name.length - last.length;
    let at = first.length;
    for (let index = 0; index < parts.length; index++) {
      const part = parts[index] as string;
      const found = name.indexOf(part, at);
      if (found < 0 || found + part.length > end) return false;
      at = found + part.length;
    }
    return true;
  };
}
