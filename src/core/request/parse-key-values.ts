import { problem, type Problem } from "../problems.js";
import { codeSpan } from "../report/markdown.js";

/** A parameter name, in a slash command's `key=value` and as an issue form's field id. */
export const PARAMETER_KEY = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

/**
 * Parses `key=value` words, shared by the `/provision` command and the CLI so both accept the same
 * requests. A word without `=`, with a bad key or a key given twice is a problem, never ignored.
 */
export function parseKeyValues(args: readonly string[]): { values: Record<string, string>; problems: Problem[] } {
  const values: Record<string, string> = {};
  const problems: Problem[] = [];
  for (const arg of args) {
    const eq = arg.indexOf("=");
    const key = eq > 0 ? arg.slice(0, eq) : "";
    if (eq <= 0 || !PARAMETER_KEY.test(key)) {
      problems.push(
        problem("command.bad-argument", `${codeSpan(arg)} is not a \`key=value\` pair.`, {
          hint: 'Write values as key=value, for example team=payments or note="two words".',
        }),
      );
    } else if (Object.hasOwn(values, key)) {
      problems.push(problem("command.duplicate-key", `\`${key}\` is given twice.`, { hint: "Give each value once." }));
    } else {
      values[key] = arg.slice(eq + 1);
    }
  }
  return { values, problems };
}
