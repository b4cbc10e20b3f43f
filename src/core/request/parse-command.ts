import { problem, type Problem } from "../problems.js";
import { codeSpan } from "../report/markdown.js";
import { parseKeyValues } from "./parse-key-values.js";

/** A slash command as typed in an issue comment, before it is checked against the catalog. */
export type Command =
  | { name: "provision"; size: string; values: Record<string, string> }
  | { name: "resize"; size: string }
  | { name: "deprovision" }
  | { name: "preview"; size: string | null; values: Record<string, string> }
  | { name: "help" };

export type CommandName = Command["name"];

/** Every command with its usage line, in the order /help lists them. */
export const COMMANDS: readonly { name: CommandName; usage: string; summary: string }[] = [
  { name: "provision", usage: "/provision <size> [key=value ...]", summary: "render the request and open (or update) its pull request" },
  { name: "resize", usage: "/resize <size>", summary: "change the size of this issue's request" },
  { name: "deprovision", usage: "/deprovision", summary: "open a pull request that deletes this issue's request" },
  { name: "preview", usage: "/preview [<size>] [key=value ...]", summary: "show the diff here without opening a pull request" },
  { name: "help", usage: "/help", summary: "list commands, templates, sizes and environments" },
];

export interface ParsedCommand {
  /** The command to run; null when the comment holds none (or only a broken one, see problems). */
  command: Command | null;
  /** Errors stop the command; a warning (several commands) lets the first one run. */
  problems: Problem[];
}

const SIZE = /^[a-z0-9][a-z0-9-]{0,30}$/;
/** Longest comment we look at; GitHub allows 65,536 characters. */
const MAX_BODY = 65_536;
const MAX_ARGUMENTS = 50;

/**
 * Lines that may hold a command: outside fenced code blocks, block quotes, indented code and HTML
 * comments (one line or several), so quoting, documenting or hiding a command never runs it. A
 * line that starts inside a comment holds no command, even after the comment closes.
 */
export function commandLines(body: string): { text: string; line: number }[] {
  const lines = body.slice(0, MAX_BODY).split(/\r?\n/);
  const found: { text: string; line: number }[] = [];
  let fence: string | null = null;
  let inComment = false;
  lines.forEach((raw, index) => {
    if (inComment) {
      inComment = !raw.includes("-->");
      return;
    }
    const fenceMatch = /^ {0,3}(`{3,}|~{3,})/.exec(raw);
    if (fence !== null) {
      // A fence closes with the same character, at least as long, and nothing after it.
      if (fenceMatch && fenceMatch[1]![0] === fence[0] && fenceMatch[1]!.length >= fence.length && raw.trim() === fenceMatch[1])
        fence = null;
      return;
    }
    if (fenceMatch) {
      fence = fenceMatch[1]!;
      return;
    }
    if (/^ {0,3}>/.test(raw) || /^( {4}|\t)/.test(raw)) return;
    // Comments closed on this line are dropped; one left open hides the rest of the line and what follows.
    let visible = raw.replace(/<!--[\s\S]*?-->/g, " ");
    const open = visible.indexOf("<!--");
    if (open >= 0) {
      visible = visible.slice(0, open);
      inComment = true;
    }
    const text = visible.trim();
    // `/word` then a space or the end: `/etc/hosts` in prose is not a command.
    if (/^\/[A-Za-z][\w-]*(\s|$)/.test(text)) found.push({ text, line: index + 1 });
  });
  return found;
}

/** Splits arguments on spaces; "double" or 'single' quotes keep spaces, `\"` escapes a quote. */
function tokenize(text: string): { tokens: string[]; problems: Problem[] } {
  const tokens: string[] = [];
  let current = "";
  let quote: '"' | "'" | null = null;
  let inToken = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === "\\" && (text[i + 1] === quote || text[i + 1] === "\\")) current += text[++i];
      else if (c === quote) quote = null;
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inToken = true;
    } else if (/\s/.test(c)) {
      if (inToken) tokens.push(current);
      current = "";
      inToken = false;
    } else {
      current += c;
      inToken = true;
    }
  }
  if (quote)
    return {
      tokens: [],
      problems: [
        problem("command.unclosed-quote", `A quote (${quote}) is never closed.`, { hint: `Close it: key=${quote}a value${quote}.` }),
      ],
    };
  if (inToken) tokens.push(current);
  return { tokens, problems: [] };
}

function usageOf(name: CommandName): string {
  return COMMANDS.find((c) => c.name === name)?.usage ?? "";
}

function parseOne(text: string): ParsedCommand {
  const { tokens, problems } = tokenize(text);
  if (problems.length > 0) return { command: null, problems };
  const [head = "", ...args] = tokens;
  const name = head.slice(1).toLowerCase();
  const known = COMMANDS.find((c) => c.name === name);
  if (!known) {
    const meant = didYouMean(name);
    return {
      command: null,
      problems: meant
        ? [
            problem("command.unknown", `${codeSpan(head, 30)} is not a command.`, {
              hint: `Did you mean ${codeSpan(meant.usage, 60)}? Commands: ${COMMANDS.map((c) => codeSpan(c.usage, 60)).join(", ")}.`,
            }),
          ]
        : [],
    };
  }
  if (args.length > MAX_ARGUMENTS) {
    return { command: null, problems: [problem("command.too-many-arguments", `\`/${name}\` takes at most ${MAX_ARGUMENTS} values.`)] };
  }
  const needsNothing = (command: Command): ParsedCommand =>
    args.length === 0
      ? { command, problems: [] }
      : {
          command: null,
          problems: [
            problem("command.unexpected-argument", `\`/${name}\` takes no arguments.`, { hint: `Usage: \`${usageOf(known.name)}\`.` }),
          ],
        };
  const sizeProblem = (size: string | undefined): Problem | null =>
    size === undefined || size.includes("=")
      ? problem("command.missing-size", `\`/${name}\` needs a size.`, {
          hint: `Usage: \`${usageOf(known.name)}\`, for example \`/${name} small\`.`,
        })
      : SIZE.test(size)
        ? null
        : problem("command.bad-size", `${codeSpan(size, 30)} is not a size.`, {
            hint: "Sizes are lowercase words such as small, medium or large.",
          });

  switch (known.name) {
    case "help":
      return needsNothing({ name: "help" });
    case "deprovision":
      return needsNothing({ name: "deprovision" });
    case "resize": {
      const bad = sizeProblem(args[0]);
      if (bad) return { command: null, problems: [bad] };
      if (args.length > 1)
        return {
          command: null,
          problems: [
            problem("command.unexpected-argument", "`/resize` takes only a size.", { hint: "Use /provision to change other values." }),
          ],
        };
      return { command: { name: "resize", size: args[0]! }, problems: [] };
    }
    case "provision": {
      const bad = sizeProblem(args[0]);
      const parsed = parseKeyValues(args.slice(bad ? 0 : 1));
      const all = [...(bad ? [bad] : []), ...parsed.problems];
      return all.length > 0
        ? { command: null, problems: all }
        : { command: { name: "provision", size: args[0]!, values: parsed.values }, problems: [] };
    }
    case "preview": {
      const first = args[0];
      const hasSize = first !== undefined && !first.includes("=");
      const bad = hasSize ? sizeProblem(first) : null;
      const parsed = parseKeyValues(args.slice(hasSize ? 1 : 0));
      const all = [...(bad ? [bad] : []), ...parsed.problems];
      return all.length > 0
        ? { command: null, problems: all }
        : { command: { name: "preview", size: hasSize ? first : null, values: parsed.values }, problems: [] };
    }
  }
}

/** Edit distance (insertions, deletions, substitutions, adjacent swaps) between two short words. */
function distance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * The command a near miss was meant to be: a typo (`/provison`, `/reszie`) or a command run into
 * its argument (`/provisionsmall`). Other slash commands (`/lgtm`, `/assign`, `/cc`) belong to
 * people or other bots and get no answer, so the bot stays quiet on them.
 */
function didYouMean(name: string): (typeof COMMANDS)[number] | undefined {
  if (name.length > 40) return undefined;
  return (
    COMMANDS.find((c) => c.name.length >= 6 && name.startsWith(c.name)) ??
    // Same first letter: `/review` is someone else's command, not a typo of `/preview`.
    COMMANDS.find((c) => c.name.length >= 6 && name[0] === c.name[0] && distance(name, c.name) <= (c.name.length >= 9 ? 2 : 1))
  );
}

/**
 * Finds the slash command in a comment. Commands count only at the start of a line, outside
 * fenced code, indented code and `>` quotes. When a comment holds several, the first one runs and
 * a warning says the others were ignored (one comment, one status, one pull request). A near
 * miss such as `/provison` gets a "did you mean" answer when the comment holds no known command;
 * any other slash command (`/cc`, `/lgtm`) is not the bot's and gets none.
 */
export function parseCommand(body: string): ParsedCommand {
  const lines = commandLines(body);
  const isKnown = (text: string) => {
    const name = (text.split(/\s/)[0] ?? "").slice(1).toLowerCase();
    return COMMANDS.some((c) => c.name === name);
  };
  const known = lines.filter((l) => isKnown(l.text));
  const nearMiss = lines.find((l) => didYouMean((l.text.split(/\s/)[0] ?? "").slice(1).toLowerCase()) !== undefined);
  const first = known[0] ?? nearMiss;
  if (!first) return { command: null, problems: [] };
  const parsed = parseOne(first.text);
  if (known.length > 1) {
    parsed.problems.push({
      ...problem("command.several", `This comment holds ${known.length} commands; only the first (line ${first.line}) was considered.`, {
        hint: "Send one command per comment.",
      }),
      severity: "warning",
    });
  }
  return parsed;
}
