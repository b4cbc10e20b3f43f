const POSIX_CLASSES: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7F",
  blank: "\\t ",
  cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-/:-@[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

function escapeLiteral(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
}

/**
 * Translates a Go (RE2) regular expression into an equivalent JavaScript RegExp for the syntax
 * policies use: leading flag groups, `(?P<name>`, `\A`, `\z`, `\Q…\E` and POSIX classes.
 * Throws on constructs JavaScript cannot express the same way.
 */
export function toJsRegExp(source: string, global = false): RegExp {
  let pattern = source;
  let flags = global ? "g" : "";
  const leading = /^\(\?([imsU]+)\)/.exec(pattern);
  if (leading) {
    const letters = leading[1] ?? "";
    if (letters.includes("U")) throw new Error("ungreedy flag (?U) is not supported");
    for (const letter of letters) if (!flags.includes(letter)) flags += letter;
    pattern = pattern.slice(leading[0].length);
  }
  let out = "";
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] ?? "";
    if (ch === "\\") {
      const next = pattern[i + 1] ?? "";
      if (next === "Q") {
        const end = pattern.indexOf("\\E", i + 2);
        const literal = end < 0 ? pattern.slice(i + 2) : pattern.slice(i + 2, end);
        out += escapeLiteral(literal);
        i = end < 0 ? pattern.length : end + 1;
        continue;
      }
      if (!inClass && next === "A") out += "^";
      else if (!inClass && next === "z") out += "$(?![\\s\\S])";
      else if (next === "p" || next === "P") throw new Error("unicode classes are not supported");
      else out += ch + next;
      i++;
      continue;
    }
    if (inClass) {
      if (ch === "[" && pattern[i + 1] === ":") {
        const end = pattern.indexOf(":]", i + 2);
        const name = end < 0 ? "" : pattern.slice(i + 2, end);
        const negated = name.startsWith("^");
        const range = POSIX_CLASSES[negated ? name.slice(1) : name];
        if (range === undefined || negated) throw new Error(`unsupported character class [:${name}:]`);
        out += range;
        i = end + 1;
        continue;
      }
      if (ch === "]") inClass = false;
      out += ch === "[" ? "\\[" : ch;
      continue;
    }
    if (ch === "[") {
      inClass = true;
      out += ch;
      if (pattern[i + 1] === "^") {
        out += "^";
        i++;
      }
      // A `]` right after the opening bracket is a literal in RE2.
      if (pattern[i + 1] === "]") {
        out += "\\]";
        i++;
      }
      continue;
    }
    if (ch === "(" && pattern.startsWith("(?P<", i)) {
      out += "(?<";
      i += 3;
      continue;
    }
    if (ch === "(" && pattern[i + 1] === "?" && /^\(\?[imsU-]+[:)]/.test(pattern.slice(i))) {
      throw new Error("inline flag groups are not supported");
    }
    out += ch;
  }
  return new RegExp(out, flags);
}
