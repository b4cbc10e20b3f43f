import type { Template } from "../catalog/load-catalog.js";
import { own } from "../own.js";
import { checkParameterValue, type TypedValue } from "../catalog/check-parameter-value.js";
import { problem, type Problem } from "../problems.js";
import { codeSpan } from "../report/markdown.js";

/** Kubernetes object names built from these must stay valid DNS-1035 labels (63 characters) with suffixes. */
const NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const MAX_NAME = 40;
const MAX_TEAM = 30;

export type { TypedValue };

const BUILT_IN: Record<string, { describe: string; max: number }> = {
  name: { describe: "the service name", max: MAX_NAME },
  team: { describe: "the owning team", max: MAX_TEAM },
};

/**
 * Validates the values that identify a request's target, `name` and `team`: names that every
 * Kubernetes object and path of the request is built from. Deprovision needs nothing more.
 */
export function validateIdentity(values: Readonly<Record<string, string>>): { values: Record<string, string>; problems: Problem[] } {
  const problems: Problem[] = [];
  const out: Record<string, string> = {};
  for (const [key, rule] of Object.entries(BUILT_IN)) {
    const raw = own(values, key);
    if (raw === undefined || raw === "") {
      problems.push(
        problem("request.missing-value", `\`${key}\` (${rule.describe}) is required.`, { path: key, hint: `Add ${key}=<value>.` }),
      );
    } else if (raw.length > rule.max || !NAME.test(raw)) {
      problems.push(
        problem("request.invalid-value", `\`${key}\` ${codeSpan(raw)} is not a valid name.`, {
          path: key,
          hint: `Use lowercase letters, digits and '-', starting with a letter, at most ${rule.max} characters.`,
        }),
      );
    } else out[key] = raw;
  }
  return { values: out, problems };
}

/**
 * Validates a request's values against a template: built-in name and team, the template's declared
 * parameters (type, pattern, enum, range, required, default). Unknown keys are problems, never
 * silently dropped. Returns typed values for rendering.
 */
export function validateValues(params: { template: Template; values: Readonly<Record<string, string>> }): {
  values: Record<string, TypedValue>;
  problems: Problem[];
} {
  const { template, values } = params;
  const problems: Problem[] = [];
  const out: Record<string, TypedValue> = {};

  const identity = validateIdentity(values);
  problems.push(...identity.problems);
  Object.assign(out, identity.values);

  for (const [key, param] of Object.entries(template.parameters)) {
    const raw = own(values, key);
    if (raw === undefined || raw === "") {
      if (param.default !== undefined) out[key] = param.default;
      else if (param.required)
        problems.push(
          problem("request.missing-value", `\`${key}\` is required by template \`${template.name}\`.`, {
            path: key,
            hint: `Add ${key}=<value>${param.description ? ` (${param.description})` : ""}.`,
          }),
        );
      continue;
    }
    const result = checkParameterValue(key, raw, param);
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
