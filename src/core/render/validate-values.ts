import type { Template } from "../catalog/load-catalog.js";
import type { Parameter } from "../catalog/template.schema.js";
import { problem, type Problem } from "../problems.js";
import { codeSpan } from "../yaml/code-span.js";

/** Kubernetes object names built from these must stay valid DNS-1035 labels (63 characters) with suffixes. */
const NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const MAX_NAME = 40;
const MAX_TEAM = 30;

export type TypedValue = string | number | boolean;

const BUILT_IN: Record<string, { describe: string; max: number }> = {
  name: { describe: "the service name", max: MAX_NAME },
  team: { describe: "the owning team", max: MAX_TEAM },
};

function convert(key: string, raw: string, param: Parameter): { value?: TypedValue; problem?: Problem } {
  const bad = (message: string, hint: string) => ({ problem: problem("request.invalid-value", message, { path: key, hint }) });
  if (raw.length > param.maxLength) return bad(`\`${key}\` is longer than ${param.maxLength} characters.`, `Shorten ${key}.`);
  let value: TypedValue;
  switch (param.type) {
    case "integer":
    case "number": {
      const n = Number(raw);
      const ok = raw.trim() !== "" && Number.isFinite(n) && (param.type === "number" || Number.isInteger(n));
      if (!ok) return bad(`\`${key}\` must be ${param.type === "integer" ? "a whole number" : "a number"}, not ${codeSpan(raw)}.`, `Write ${key}=${param.default ?? 1}.`);
      if (param.minimum !== undefined && n < param.minimum) return bad(`\`${key}\` must be at least ${param.minimum}.`, `Use a value from ${param.minimum}.`);
      if (param.maximum !== undefined && n > param.maximum) return bad(`\`${key}\` must be at most ${param.maximum}.`, `Use a value up to ${param.maximum}.`);
      value = n;
      break;
    }
    case "boolean":
      if (raw !== "true" && raw !== "false") return bad(`\`${key}\` must be true or false, not ${codeSpan(raw)}.`, `Write ${key}=true or ${key}=false.`);
      value = raw === "true";
      break;
    default:
      value = raw;
  }
  if (param.enum && !param.enum.map(String).includes(raw)) {
    return bad(`\`${key}\` must be one of ${param.enum.map((e) => `\`${e}\``).join(", ")}, not ${codeSpan(raw)}.`, `Pick one of the listed values.`);
  }
  if (param.pattern !== undefined) {
    const anchored = new RegExp(`^(?:${param.pattern})$`);
    if (!anchored.test(raw)) {
      // A long pattern reads badly in a comment: say what is expected in words when the template does.
      return param.description
        ? bad(`\`${key}\` ${codeSpan(raw)} is not valid: expected ${param.description.replace(/\.$/, "")}.`, param.pattern.length <= 80 ? `It must match \`${param.pattern}\`.` : `Correct ${key} and ask again.`)
        : bad(`\`${key}\` ${codeSpan(raw)} does not match the pattern \`${param.pattern}\`.`, "Check the template's parameter description.");
    }
  }
  return { value };
}

/**
 * Validates a request's values against a template: built-in name and team, the template's declared
 * parameters (type, pattern, enum, range, required, default). Unknown keys are problems, never
 * silently dropped. Returns typed values for rendering.
 */
export function validateValues(params: { template: Template; values: Readonly<Record<string, string>> }): { values: Record<string, TypedValue>; problems: Problem[] } {
  const { template, values } = params;
  const problems: Problem[] = [];
  const out: Record<string, TypedValue> = {};

  for (const [key, rule] of Object.entries(BUILT_IN)) {
    const raw = values[key];
    if (raw === undefined || raw === "") {
      problems.push(problem("request.missing-value", `\`${key}\` (${rule.describe}) is required.`, { path: key, hint: `Add ${key}=<value>.` }));
    } else if (raw.length > rule.max || !NAME.test(raw)) {
      problems.push(
        problem("request.invalid-value", `\`${key}\` ${codeSpan(raw)} is not a valid name.`, {
          path: key,
          hint: `Use lowercase letters, digits and '-', starting with a letter, at most ${rule.max} characters.`,
        }),
      );
    } else out[key] = raw;
  }

  for (const [key, param] of Object.entries(template.parameters)) {
    const raw = values[key];
    if (raw === undefined || raw === "") {
      if (param.default !== undefined) out[key] = param.default;
      else if (param.required) problems.push(problem("request.missing-value", `\`${key}\` is required by template \`${template.name}\`.`, { path: key, hint: `Add ${key}=<value>${param.description ? ` (${param.description})` : ""}.` }));
      continue;
    }
    const result = convert(key, raw, param);
    if (result.problem) problems.push(result.problem);
    else if (result.value !== undefined) out[key] = result.value;
  }

  const known = new Set(["name", "team", "environment", ...Object.keys(template.parameters)]);
  for (const key of Object.keys(values).sort()) {
    if (!known.has(key)) {
      problems.push(
        problem("request.unknown-parameter", `Template \`${template.name}\` has no parameter ${codeSpan(key, 40)}.`, {
          path: key,
          hint: `Known parameters: ${[...known].join(", ")}.`,
        }),
      );
    }
  }
  return { values: out, problems };
}
