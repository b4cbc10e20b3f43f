/**
 * Kyverno's wildcard matching (github.com/IGLOU-EU/go-wildcard v1): `*` matches any run of
 * characters (including none), `?` matches exactly one character, everything else is literal.
 * An empty pattern only matches an empty name. Matching works on code points, as Go works on runes.
 */
export function matchWildcard(pattern: string, name: string): boolean {
  if (pattern === "") return name === "";
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
