import { describe, expect, it } from "vitest";
import { deriveRequest, type RequestTrigger } from "../../../src/core/request/derive-request.js";
import type { IssueFormRequest } from "../../../src/core/request/parse-issue-form.js";
import { parseStoredRequest, renderStoredRequest, type StoredRequest } from "../../../src/core/request/stored-request.js";

const issue = { repository: "acme/requests", number: 12, url: "https://github.com/acme/requests/issues/12" };
const form: IssueFormRequest = {
  template: "web-service",
  size: "small",
  values: { name: "api", team: "payments", environment: "dev", image: "ghcr.io/acme/api:1.0.0" },
};
const stored: StoredRequest = {
  v: 1,
  request: {
    action: "provision",
    template: "worker",
    size: "medium",
    values: { name: "jobs", team: "payments", environment: "dev", image: "ghcr.io/acme/jobs:2.0.0" },
    requester: "alice",
  },
};

function derive(trigger: RequestTrigger, options: { form?: IssueFormRequest | null; stored?: StoredRequest | null } = {}) {
  return deriveRequest({ trigger, form: options.form ?? null, stored: options.stored ?? null, requester: "bob", issue });
}

describe("deriveRequest", () => {
  it("turns the issue form into a provision request", () => {
    expect(derive({ name: "form" }, { form })).toEqual({
      request: { action: "provision", template: "web-service", size: "small", values: form.values, requester: "bob", issue },
      problems: [],
    });
  });

  it("takes everything from /provision on a plain issue", () => {
    const { request } = derive({
      name: "provision",
      size: "large",
      values: { template: "team-namespace", name: "payments", team: "payments", environment: "prod" },
    });
    expect(request).toMatchObject({
      action: "provision",
      template: "team-namespace",
      size: "large",
      values: { name: "payments", team: "payments", environment: "prod" },
    });
  });

  it("overrides the form with /provision values and size", () => {
    const { request } = derive({ name: "provision", size: "medium", values: { image: "ghcr.io/acme/api:1.1.0" } }, { form });
    expect(request).toMatchObject({ size: "medium", values: { ...form.values, image: "ghcr.io/acme/api:1.1.0" }, template: "web-service" });
  });

  it("prefers the last published request over the form", () => {
    expect(derive({ name: "resize", size: "large" }, { form, stored }).request).toMatchObject({
      action: "resize",
      template: "worker",
      size: "large",
      values: stored.request.values,
    });
  });

  it("deprovisions the issue's request with its identity", () => {
    expect(derive({ name: "deprovision" }, { form }).request).toMatchObject({
      action: "deprovision",
      template: "web-service",
      values: form.values,
    });
  });

  it("previews with the current size unless one is given", () => {
    expect(derive({ name: "preview", size: null, values: {} }, { stored }).request).toMatchObject({ action: "preview", size: "medium" });
    expect(derive({ name: "preview", size: "small", values: { name: "jobs2" } }, { stored }).request).toMatchObject({
      size: "small",
      values: { name: "jobs2" },
    });
  });

  it.each([
    [{ name: "resize", size: "large" } satisfies RequestTrigger, "request.none-yet", "There is no request on this issue to resize yet."],
    [{ name: "deprovision" } satisfies RequestTrigger, "request.none-yet", "There is no request on this issue to deprovision yet."],
    [
      { name: "provision", size: "small", values: { name: "x" } } satisfies RequestTrigger,
      "request.missing-template",
      "The request does not say which template to use.",
    ],
    [
      { name: "preview", size: null, values: { template: "worker" } } satisfies RequestTrigger,
      "request.missing-size",
      "The request does not say which size to use.",
    ],
    [
      { name: "provision", size: "small", values: { template: "worker", size: "large" } } satisfies RequestTrigger,
      "request.size-as-value",
      "The size is the first word after the command, not `size=`.",
    ],
  ])("refuses %j without a request: %s", (trigger, code, message) => {
    const result = derive(trigger);
    expect(result.request).toBeNull();
    expect(result.problems[0]).toMatchObject({ code, message });
  });

  it("asks the form for a template when the form left it empty", () => {
    expect(derive({ name: "form" }, { form: { ...form, template: null } }).problems[0]?.hint).toBe("Choose a template in the issue form.");
  });
});

describe("stored request marker", () => {
  it("round-trips, and no value can close the HTML comment", () => {
    const hostile: StoredRequest = {
      ...stored,
      request: { ...stored.request, values: { ...stored.request.values, note: "--> <script>&" } },
    };
    const line = renderStoredRequest(hostile);
    expect(line.indexOf("-->")).toBe(line.length - 3);
    expect(parseStoredRequest(`status\n${line}\n`)).toEqual(hostile);
  });

  it.each([
    ["no marker", "just text"],
    ["broken JSON", "<!-- gitops-bot:request {nope} -->"],
    ["wrong shape", '<!-- gitops-bot:request {"v":1,"request":{"action":"provision"}} -->'],
    [
      "a path in the template",
      '<!-- gitops-bot:request {"v":1,"request":{"action":"provision","template":"../x","size":"small","values":{},"requester":"a"}} -->',
    ],
  ])("ignores %s", (_, body) => {
    expect(parseStoredRequest(body)).toBeNull();
  });
});
