import { problem, type Problem } from "../core/problems.js";

/**
 * Parses `key=value` words the way the `/provision` command does, so the CLI and the App accept
 * the same requests. A word without `=` or with an empty key is a problem, never ignored.
 */
export function parseKeyValues(words: readonly string[]): { values: Record<string, string>; problems: Problem[] } {
  const values: Record<string, string> = {};
  const problems: Problem[] = [];
  for (const word of words) {
    const eq = word.indexOf("=");
    if (eq <= 0) {
      problems.push(problem("cli.bad-value", `Expected key=value, got \`${word}\`.`, { hint: "Write values as name=checkout team=payments environment=dev." }));
      continue;
    }
    const key = word.slice(0, eq);
    if (Object.hasOwn(values, key)) problems.push(problem("cli.duplicate-value", `\`${key}\` is given twice.`, { hint: `Keep one ${key}=… .` }));
    values[key] = word.slice(eq + 1);
  }
  return { values, problems };
}
