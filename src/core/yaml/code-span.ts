/**
 * Quotes untrusted text for a message shown in markdown: capped in length, on one line, and fenced
 * with more backticks than it contains so it cannot break out of the code span.
 */
export function codeSpan(text: string, maxLength = 60): string {
  let flat = text.replace(/[\u0000-\u001f\u007f]+/g, " ");
  if (flat.length > maxLength) flat = `${flat.slice(0, maxLength - 1)}…`;
  const longestRun = Math.max(0, ...Array.from(flat.matchAll(/`+/g), (m) => m[0].length));
  const fence = "`".repeat(longestRun + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") || flat === "" ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}
