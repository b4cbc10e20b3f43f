import { formatCount } from "../format-count.js";

/**
 * The one way untrusted text enters the bot's Markdown (status comments, pull request bodies, Check
 * Run summaries). Values from requests, manifests, policies and templates are untrusted: they must
 * not break out of a code span or a table cell, forge links, images or HTML, or mention people.
 */

/** Control characters and line breaks: one line keeps a value from starting a block (a list, a heading, a fence). */
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]+/g;

/** Punctuation that CommonMark, GFM or GitHub give a meaning to in running text. */
const SPECIAL = /[\\`*_[\]<>!#|~&$]/g;

/** Word joiner: invisible, and it stops GitHub from reading `@name` or `#123` as a mention or a link. */
const JOINER = "\u2060";

/** Text on one line, at most `maxLength` characters (an ellipsis marks the cut). */
export function truncate(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  // Never cut a surrogate pair in half: the half would be an invalid character.
  let end = Math.max(0, maxLength - 1);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

function flatten(text: string): string {
  return text.replace(CONTROL, " ");
}

/**
 * Quotes untrusted text as an inline code span: one line, capped in length, fenced with more
 * backticks than it contains so it cannot close the span early (CommonMark), and padded when it
 * starts or ends with a backtick. Inside a code span nothing is Markdown, HTML or a mention.
 */
export function codeSpan(text: string, maxLength = 60): string {
  const flat = truncate(flatten(text), maxLength);
  const longestRun = Math.max(0, ...Array.from(flat.matchAll(/`+/g), (m) => m[0].length));
  const fence = "`".repeat(longestRun + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") || flat.trim() === "" ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/**
 * Untrusted text as literal running text: Markdown punctuation escaped with a backslash, so no
 * emphasis, link, image, HTML or code span can start, and a word joiner after `@` and `#` where GitHub would
 * read a mention or an issue reference, so no one is notified and nothing is linked. One line, capped in length.
 */
export function escapeText(text: string, maxLength = 1_000): string {
  return truncate(flatten(text), maxLength)
    .replace(SPECIAL, (char) => `\\${char}`)
    .replace(/@(?=[A-Za-z0-9])|#(?=\d)/g, (char) => `${char}${JOINER}`);
}

/**
 * Untrusted text that may hold `code spans` (policy and problem messages do): the code spans are
 * kept, re-fenced by {@link codeSpan} so they cannot swallow what follows, and everything between
 * them is escaped like {@link escapeText}. A backtick run without its closing run is literal text.
 */
export function escapeInline(text: string, maxLength = 1_000): string {
  const flat = truncate(flatten(text), maxLength);
  const out: string[] = [];
  let rest = flat;
  while (rest.length > 0) {
    const open = /`+/.exec(rest);
    if (!open) break;
    const fence = open[0];
    // The span closes at the next run of exactly the same length (CommonMark).
    const close = new RegExp(`(?<!\`)${fence}(?!\`)`, "g");
    close.lastIndex = open.index + fence.length;
    const end = close.exec(rest);
    if (!end) {
      out.push(escapeText(rest.slice(0, open.index + fence.length), Infinity));
      rest = rest.slice(open.index + fence.length);
      continue;
    }
    out.push(escapeText(rest.slice(0, open.index), Infinity));
    const inner = rest.slice(open.index + fence.length, end.index);
    out.push(codeSpan(inner.length > 2 && inner.startsWith(" ") && inner.endsWith(" ") ? inner.slice(1, -1) : inner, Infinity));
    rest = rest.slice(end.index + fence.length);
  }
  out.push(escapeText(rest, Infinity));
  return out.join("");
}

/** Characters that would end or break a link's destination; they are percent-encoded. */
const URL_BREAKING = /[\s()<>\\`"'[\]|]/g;

/**
 * A link: `label` is safe Markdown made by the functions above (a code span, escaped text), `url`
 * is where it goes. Only an http(s) URL becomes a link, with the characters that could end its
 * destination or start Markdown percent-encoded; anything else leaves the label alone, unlinked.
 */
export function link(label: string, url: string | null | undefined): string {
  if (!url || !/^https?:\/\/[^\s/]/i.test(url) || url.length > 2_000) return label;
  const safe = url.replace(URL_BREAKING, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
  return `[${label}](${safe})`;
}

/**
 * Text for a link's label (a repository and a number, `acme/requests#12`): escaped as
 * {@link escapeText}, except that `#123` stays as it is, since a label cannot hold a second link.
 */
export function linkText(text: string, maxLength = 200): string {
  return truncate(flatten(text), maxLength)
    .replace(/[\\`*_[\]<>!|~&$]/g, (char) => `\\${char}`)
    .replace(/@(?=[A-Za-z0-9])/g, `@${JOINER}`);
}

/**
 * Safe Markdown (from the functions above) made fit for a GFM table cell: a pipe ends a cell even
 * inside a code span, so every pipe is escaped, and the row stays on one line.
 */
export function tableCell(markdown: string): string {
  return flatten(markdown).replace(/\|/g, "\\|");
}

/**
 * A GitHub mention of a login or `org/team` read from GitHub or a validated configuration. Anything
 * else (a local user name from the CLI) is quoted instead, so it cannot mention someone else.
 */
export function mention(login: string): string {
  return /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?(?:\/[A-Za-z0-9_.-]{1,100})?$/.test(login) ? `@${login}` : codeSpan(login, 100);
}

/** A fenced code block whose fence is longer than any backtick run inside, so the text cannot close it. */
export function fencedBlock(language: string, text: string): string {
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${language}\n${text.endsWith("\n") ? text : `${text}\n`}${fence}`;
}

/** `1 file`, `2 files`; `plural(2, "policy", "policies")`. */
export function plural(count: number, singular: string, many = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : many}`;
}

/**
 * Length of `text` in UTF-8 bytes, which is never less than the characters GitHub counts, so text
 * measured this way fits whichever way GitHub counts it. With `limit`, counting stops as soon as the
 * answer is known to exceed it (large files are measured against a cap).
 */
export function utf8Length(text: string, limit = Infinity): number {
  // Every UTF-16 unit is 1 to 3 bytes, and a surrogate pair (2 units) is 4.
  if (text.length > limit) return text.length;
  if (text.length * 3 <= limit && limit !== Infinity) return text.length;
  let bytes = 0;
  for (let index = 0; index < text.length && bytes <= limit; index++) {
    const unit = text.charCodeAt(index);
    bytes += unit < 0x80 ? 1 : unit < 0x800 || (unit >= 0xd800 && unit <= 0xdfff) ? 2 : 3;
  }
  return bytes;
}

/**
 * The leading lines of `lines` whose joined length (with newlines, in UTF-8 bytes) fits `budget`,
 * whole lines only, and how many were left out.
 */
export function keepLinesWithin(params: { lines: readonly string[]; budget: number }): { kept: string[]; dropped: number } {
  const kept: string[] = [];
  let size = 0;
  for (const line of params.lines) {
    const next = utf8Length(line) + (kept.length > 0 ? 1 : 0);
    if (size + next > params.budget) break;
    kept.push(line);
    size += next;
  }
  return { kept, dropped: params.lines.length - kept.length };
}
