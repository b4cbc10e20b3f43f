import { problem, type Problem } from "../problems.js";
import { codeSpan } from "../report/markdown.js";
import type { Command } from "./parse-command.js";
import type { IssueFormRequest } from "./parse-issue-form.js";
import type { ProvisionRequest } from "./request.js";
import type { StoredRequest } from "./stored-request.js";

/** Where a request comes from: a slash command, or the issue form itself (opened or edited). */
export type RequestTrigger = Exclude<Command, { name: "help" }> | { name: "form" };

/**
 * What an event of a request issue asks for, read from its payload with the repository's config:
 * the trigger (`/help` included; null when parsing found only problems), the problems of parsing,
 * the issue form's answers, or why the event is no request at all (`skip`).
 */
export type ParsedTrigger =
  { trigger: RequestTrigger | { name: "help" } | null; problems: readonly Problem[]; form: IssueFormRequest | null } | { skip: string };

interface Draft {
  template: string | null;
  size: string | null;
  values: Record<string, string>;
}

function fromStored(stored: StoredRequest | null): Draft | null {
  return stored ? { template: stored.request.template, size: stored.request.size, values: { ...stored.request.values } } : null;
}

function fromForm(form: IssueFormRequest | null): Draft | null {
  return form ? { template: form.template, size: form.size, values: { ...form.values } } : null;
}

/**
 * Builds the request a trigger asks for. `/provision` and `/preview` start from what the issue
 * already asked (the last published request, else the issue form) and override it with the
 * command's values; `/resize` and `/deprovision` need such a request to exist. `template=` in the
 * values names the template. Values stay untrusted text: the template validates them later.
 */
export function deriveRequest(params: {
  trigger: RequestTrigger;
  form: IssueFormRequest | null;
  stored: StoredRequest | null;
  requester: string;
  issue: { repository: string; number: number; url: string };
}): { request: ProvisionRequest | null; problems: Problem[] } {
  const { trigger } = params;
  const previous = fromStored(params.stored) ?? fromForm(params.form);
  const base: Draft | null = trigger.name === "form" ? fromForm(params.form) : previous;

  if ((trigger.name === "resize" || trigger.name === "deprovision") && base === null) {
    return {
      request: null,
      problems: [
        problem("request.none-yet", `There is no request on this issue to ${trigger.name === "resize" ? "resize" : "deprovision"} yet.`, {
          hint: "Provision first, for example `/provision small template=web-service name=api team=payments environment=dev`.",
        }),
      ],
    };
  }

  const draft: Draft = { template: base?.template ?? null, size: base?.size ?? null, values: { ...(base?.values ?? {}) } };
  const problems: Problem[] = [];
  if (trigger.name === "provision" || trigger.name === "preview") {
    const { template, size, ...values } = trigger.values;
    if (size !== undefined)
      problems.push(
        problem("request.size-as-value", "The size is the first word after the command, not `size=`.", {
          hint: `Write ${codeSpan(`/${trigger.name} ${size} ...`, 60)}.`,
        }),
      );
    if (template !== undefined) draft.template = template;
    Object.assign(draft.values, values);
    if (trigger.name === "provision" || trigger.size !== null) draft.size = trigger.size;
  } else if (trigger.name === "resize") {
    draft.size = trigger.size;
  }

  if (draft.template === null) {
    problems.push(
      problem("request.missing-template", "The request does not say which template to use.", {
        hint:
          trigger.name === "form"
            ? "Choose a template in the issue form."
            : "Add `template=<name>` to the command; `/help` lists the templates.",
      }),
    );
  }
  if (draft.size === null) {
    problems.push(
      problem("request.missing-size", "The request does not say which size to use.", {
        hint: trigger.name === "form" ? "Choose a size in the issue form." : "Give a size, for example `/preview small`.",
      }),
    );
  }
  if (problems.length > 0 || draft.template === null || draft.size === null) return { request: null, problems };

  const action: ProvisionRequest["action"] = trigger.name === "form" ? "provision" : trigger.name;
  return {
    request: { action, template: draft.template, size: draft.size, values: draft.values, requester: params.requester, issue: params.issue },
    problems: [],
  };
}
