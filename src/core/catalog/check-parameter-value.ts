import { problem, type Problem } from "../problems.js";
import { codeSpan } from "../report/markdown.js";
import type { Parameter } from "./template.schema.js";

export type TypedValue = string | number | boolean;

/**
 * Checks one raw value against a parameter's type, range, enum and pattern and converts it to the
 * parameter's type. Used for request values and for the catalog's own defaults.
 */
export function checkParameterValue(key: string, raw: string, param: Parameter): { value?: TypedValue; problem?: Problem } {
  const bad = (message: string, hint: string) => ({ problem: problem("request.invalid-value", message, { path: key, hint }) });
  if (raw.length > param.maxLength) return bad(`\`${key}\` is longer than ${param.maxLength} characters.`, `Shorten ${key}.`);
  let value: TypedValue;
  switch (param.type) {
    case "integer":
    case "number": {
      const n = Number(raw);
      const ok = raw.trim() !== "" && Number.isFinite(n) && (param.type === "number" || Number.isInteger(n));
      if (!ok)
        return bad(
          `\`${key}\` must be ${param.type === "integer" ? "a whole number" : "a number"}, not ${codeSpan(raw)}.`,
          `Write ${key}=${param.default ?? 1}.`,
        );
      if (param.minimum !== undefined && n < param.minimum)
        return bad(`\`${key}\` must be at least ${param.minimum}.`, `Use a value from ${param.minimum}.`);
      if (param.maximum !== undefined && n > param.maximum)
        return bad(`\`${key}\` must be at most ${param.maximum}.`, `Use a value up to ${param.maximum}.`);
      value = n;
      break;
    }
    case "boolean":
      if (raw !== "true" && raw !== "false")
        return bad(`\`${key}\` must be true or false, not ${codeSpan(raw)}.`, `Write ${key}=true or ${key}=false.`);
      value = raw === "true";
      break;
    default:
      value = raw;
  }
  if (param.enum && !param.enum.map(String).includes(raw)) {
    return bad(
      `\`${key}\` must be one of ${param.enum.map((e) => `\`${e}\``).join(", ")}, not ${codeSpan(raw)}.`,
      `Pick one of the listed values.`,
    );
  }
  if (param.pattern !== undefined) {
    const anchored = new RegExp(`^(?:${param.pattern})$`);
    if (!anchored.test(raw)) {
      // A long pattern reads badly in a comment: say what is expected in words when the template does.
      return param.description
        ? bad(
            `\`${key}\` ${codeSpan(raw)} is not valid: expected ${param.description.replace(/\.$/, "")}.`,
            param.pattern.length <= 80 ? `It must match \`${param.pattern}\`.` : `Correct ${key} and ask again.`,
          )
        : bad(
            `\`${key}\` ${codeSpan(raw)} does not match the pattern \`${param.pattern}\`.`,
            "Check the template's parameter description.",
          );
    }
  }
  return { value };
}
