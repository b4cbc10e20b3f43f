/**
 * Minimal globs for repository paths and namespace names: `**` crosses folders, `*` and `?` stay
 * inside one path segment. Kept small on purpose: users write these in the platform config, and a
 * full glob dialect (braces, classes) would be one more language to document.
 */
export function globToRegExp(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern.charAt(i);
    if (char === "*" && pattern.charAt(i + 1) === "*") {
      // `dir/**` also matches `dir` itself, and `**/x` matches `x` at the top.
      if (pattern.charAt(i + 2) === "/") {
        source += "(?:.*/)?";
        i += 2;
      } else {
        source += ".*";
        i += 1;
      }
    } else if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else source += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/** True when any of the compiled globs matches the text. */
export function matchesAny(globs: readonly RegExp[], text: string): boolean {
  return globs.some((glob) => glob.test(text));
}
