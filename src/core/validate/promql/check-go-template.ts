/** Longest template parsed; longer is one finding (annotations are sentences, not programs). */
export const MAX_TEMPLATE_LENGTH = 64 * 1024;

const OPENERS = new Set(["if", "range", "with", "define", "block"]);

/**
 * Checks the structure of a Go `text/template`, as Prometheus parses alert labels and annotations:
 * every `{{` is closed, string literals and comments inside actions are closed, no action is
 * empty, and `if`/`range`/`with`/`define`/`block` are balanced by `end` (with `else` only inside
 * them). Function names and arguments are not checked. Linear time; returns the first problem with
 * its offset, or undefined.
 */
export function checkGoTemplate(text: string): { offset: number; message: string } | undefined {
  if (text.length > MAX_TEMPLATE_LENGTH)
    return { offset: 0, message: `The template is longer than the ${MAX_TEMPLATE_LENGTH} characters this check reads.` };
  const open: { keyword: string; offset: number }[] = [];
  let at = text.indexOf("{{");
  while (at !== -1) {
    const start = at;
    let index = at + 2;
    if (text[index] === "-" && /\s/.test(text[index + 1] ?? "")) index += 2;
    if (text.startsWith("/*", skipSpaces(text, index))) {
      const close = text.indexOf("*/", skipSpaces(text, index) + 2);
      if (close === -1) return { offset: start, message: "A template comment `{{/*` is never closed with `*/}}`." };
      const end = text.indexOf("}}", close + 2);
      if (
        end === -1 ||
        text
          .slice(close + 2, end)
          .replace("-", "")
          .trim() !== ""
      )
        return { offset: start, message: "A template comment must end with `*/}}`." };
      at = text.indexOf("{{", end + 2);
      continue;
    }
    const action = readAction(text, index);
    if ("error" in action) return { offset: action.offset, message: action.error };
    const body = action.body.replace(/\s*-$/, "").trim();
    if (body === "") return { offset: start, message: "An empty action `{{ }}` is not allowed in a template." };
    const keyword = /^[a-z]+/.exec(body)?.[0] ?? "";
    if (OPENERS.has(keyword)) open.push({ keyword, offset: start });
    else if (keyword === "else" && open.length === 0)
      return { offset: start, message: "`{{ else }}` appears outside `if`, `range` or `with`." };
    else if (keyword === "end" && body === "end" && open.pop() === undefined)
      return { offset: start, message: "`{{ end }}` has no `if`, `range`, `with`, `define` or `block` to close." };
    at = text.indexOf("{{", action.end);
  }
  const unclosed = open.pop();
  if (unclosed) return { offset: unclosed.offset, message: `\`{{ ${unclosed.keyword} }}\` is never closed with \`{{ end }}\`.` };
  return undefined;
}

function skipSpaces(text: string, index: number): number {
  let at = index;
  while (at < text.length && /\s/.test(text[at] ?? "")) at++;
  return at;
}

/** Reads an action's body up to its `}}`, skipping string literals (which may contain `}}`). */
function readAction(text: string, from: number): { body: string; end: number } | { error: string; offset: number } {
  let index = from;
  while (index < text.length) {
    const char = text[index];
    if (char === '"' || char === "'" || char === "`") {
      const close = closingQuote(text, index);
      if (close === -1) return { error: `A string in a template action is never closed (${char}).`, offset: index };
      index = close + 1;
      continue;
    }
    if (char === "}" && text[index + 1] === "}") return { body: text.slice(from, index), end: index + 2 };
    if (char === "{" && text[index + 1] === "{")
      return { error: "A template action `{{` is not closed with `}}` before the next `{{`.", offset: from - 2 };
    index++;
  }
  return { error: "A template action `{{` is never closed with `}}`.", offset: from - 2 };
}

function closingQuote(text: string, open: number): number {
  const quote = text[open];
  for (let index = open + 1; index < text.length; index++) {
    const char = text[index];
    if (char === "\\" && quote !== "`") index++;
    else if (char === quote) return index;
    else if (char === "\n" && quote !== "`") return -1;
  }
  return -1;
}
