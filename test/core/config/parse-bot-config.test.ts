import { readFileSync, writeFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import {
  botConfigJsonSchema,
  botConfigLoadProblem,
  parseBotConfig,
  parseBotConfigText,
} from "../../../src/core/config/parse-bot-config.js";
import { parseYamlDocuments } from "../../../src/core/yaml/parse-yaml-documents.js";

const EXAMPLES = ["../../../examples/request-repo/.github/gitops-bot.yml", "../../../examples/gitops-repo/.github/gitops-bot.yml"].map(
  (p) => new URL(p, import.meta.url),
);

function parseText(text: string) {
  const [document] = parseYamlDocuments({ file: ".github/gitops-bot.yml", text }).documents;
  return parseBotConfig({ raw: document?.value ?? null, ...(document ? { positionOf: (path) => document.positionOf(path) } : {}) });
}

describe("parseBotConfig", () => {
  it.each(EXAMPLES.map((u) => [u.pathname.split("/examples/")[1], u]))("accepts the shipped example %s", (_, url) => {
    const result = parseBotConfig({ raw: load(readFileSync(url, "utf8")) });
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it("fills every default for an empty file", () => {
    const result = parseBotConfig({ raw: {} });
    expect(result.ok && result.value?.gitops.baseBranch).toBe("main");
    expect(result.ok && result.value?.issueForm.label).toBe("gitops-request");
  });

  it("treats a missing file as not configured, and ignores Probot's _extends", () => {
    expect(parseBotConfig({ raw: null })).toEqual({ ok: true, value: null, problems: [] });
    expect(parseBotConfig({ raw: { _extends: ".github" } }).ok).toBe(true);
  });

  it("reports every problem with file, field, expected, found and line", () => {
    const result = parseText(
      [
        "gitops:",
        "  repository: nope",
        "  baseBranch: 3",
        "acess:",
        "  minPermission: write",
        "access:",
        "  minPermission: writer",
        "labels: infra",
        "",
      ].join("\n"),
    );
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => [p.message, p.line, p.hint])).toEqual([
      [
        ".github/gitops-bot.yml: `gitops.repository`: expected `owner/name`; found the text `nope`.",
        2,
        "See docs/github-app.md#configuration.",
      ],
      [".github/gitops-bot.yml: `gitops.baseBranch` must be text, found number `3`.", 3, "See docs/github-app.md#configuration."],
      [
        ".github/gitops-bot.yml: `access.minPermission` must be one of `read`, `triage`, `write`, `maintain`, `admin`; found the text `writer`.",
        7,
        "Use one of the listed values.",
      ],
      [".github/gitops-bot.yml: `labels` must be a list, found the text `infra`.", 8, "See docs/github-app.md#configuration."],
      [".github/gitops-bot.yml: unknown key `acess`.", 4, "Did you mean `access`?"],
    ]);
    expect(result.problems.every((p) => p.file === ".github/gitops-bot.yml" && p.severity === "error")).toBe(true);
  });

  it("names a bad environment name and escapes what it quotes", () => {
    const result = parseBotConfig({ raw: { environments: { "Prod`<b>": { cluster: "x" } } } });
    expect(result.problems[0]?.message).toBe(
      ".github/gitops-bot.yml: ``Prod`<b>`` is not a valid name in `environments`: environment names must be DNS labels.",
    );
  });

  describe("fails closed: every name the config refers to must exist", () => {
    it.each([
      [
        "reviewers for an environment that does not exist",
        ["environments:", "  prod: { cluster: x }", "approvals:", "  environments:", "    prd: [acme/sre]"],
        "approvals.environments.prd",
        5,
        "there is no environment `prd` in `environments` (prod), so these reviewers would never be asked",
      ],
      [
        "a size name that is no size",
        ["environments:", "  prod: { cluster: x, maxSize: Huge! }"],
        "environments.prod.maxSize",
        2,
        "expected a size name such as `medium`",
      ],
      [
        "an approval group without reviewers",
        ["approvals:", "  groups:", "    platform: []"],
        "approvals.groups.platform",
        3,
        "a group needs at least one reviewer",
      ],
      ["a team without GitHub teams", ["teams:", "  payments: []"], "teams.payments", 2, "Too small"],
      [
        "a team name that cannot be a namespace prefix",
        ["teams:", "  Payments_Team: [acme/payments]"],
        "teams.Payments_Team",
        2,
        "team names are lowercase words",
      ],
      [
        "teams that would share a namespace",
        [
          "environments:",
          "  prod: { cluster: x, namespace: '{team}-{environment}' }",
          "  platform-prod: { cluster: x, namespace: '{team}-{environment}' }",
          "teams:",
          "  web: [acme/web]",
          "  web-platform: [acme/web-platform]",
        ],
        "teams.web-platform",
        6,
        "teams `web` and `web-platform` would share namespace `web-platform-prod` (environment `platform-prod` and `prod`)",
      ],
    ])("refuses %s, at its line", (_name, lines, path, line, message) => {
      const result = parseText([...lines, ""].join("\n"));
      expect(result.ok).toBe(false);
      const found = result.problems.find((p) => p.path === path);
      expect(found?.line).toBe(line);
      expect(found?.message).toContain(message);
    });

    it("accepts neighbouring teams whose namespaces stay apart", () => {
      const result = parseText(
        [
          "environments:",
          "  prod: { cluster: x, namespace: '{team}-prod' }",
          "teams:",
          "  web: [acme/web]",
          "  web-platform: [acme/web-platform]",
          "",
        ].join("\n"),
      );
      expect(result.problems).toEqual([]);
    });
  });

  it("describes an unreadable file", () => {
    expect(botConfigLoadProblem({ reason: "bad indentation of a mapping entry", line: 3, column: 5 })).toMatchObject({
      message: ".github/gitops-bot.yml could not be read: bad indentation of a mapping entry",
      line: 3,
      column: 5,
    });
  });
});

describe("paths in the config are normalised once, by the schema", () => {
  it.each([
    ["./platform/policies/", "platform/policies"],
    ["/guardrails//", "guardrails"],
    ["policies", "policies"],
  ])("policiesPath %j reads as %j", (given, expected) => {
    const result = parseBotConfig({ raw: { gitops: { policiesPath: given, catalogPath: given } } });
    expect(result.ok && result.value?.gitops.policiesPath).toBe(expected);
    expect(result.ok && result.value?.gitops.catalogPath).toBe(expected);
  });

  it("drops a branch prefix's trailing slash", () => {
    const result = parseBotConfig({ raw: { gitops: { branchPrefix: "bots/gitops/" } } });
    expect(result.ok && result.value?.gitops.branchPrefix).toBe("bots/gitops");
  });

  it("autoMerge is off by default, merges with GitHub's default method, and refuses what it does not know at its line", () => {
    const defaults = parseBotConfig({ raw: {} });
    expect(defaults.ok && defaults.value?.autoMerge).toEqual({ enabled: false, method: "merge" });
    const result = parseText(["autoMerge:", "  enabled: yes please", "  method: fast-forward", "  when: approved", ""].join("\n"));
    expect(result.problems.map((p) => [p.message, p.line])).toEqual([
      [".github/gitops-bot.yml: `autoMerge.enabled` must be true or false, found the text `yes please`.", 2],
      [".github/gitops-bot.yml: `autoMerge.method` must be one of `merge`, `squash`, `rebase`; found the text `fast-forward`.", 3],
      [".github/gitops-bot.yml: unknown key `when` in `autoMerge`.", 4],
    ]);
    expect(parseText("automerge:\n  enabled: true\n").problems[0]?.hint).toBe("Did you mean `autoMerge`?");
  });

  it.each(["", ".", "./", "/", "../policies", "a/../../b"])(
    "refuses the folder %j, which would hold the whole repository or lie outside it",
    (given) => {
      const result = parseBotConfig({ raw: { gitops: { policiesPath: given } } });
      expect(result.ok).toBe(false);
      expect(result.problems[0]?.message).toContain("gitops.policiesPath");
    },
  );
});

describe("parseBotConfigText (the CLI's loader)", () => {
  it("gives the App's problems with lines and hints, naming the file it read", () => {
    const result = parseBotConfigText({ file: "ci/bot.yml", text: "gitops:\n  catalogPth: x\n" });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      expect.objectContaining({
        file: "ci/bot.yml",
        line: 2,
        column: 3,
        message: "ci/bot.yml: unknown key `catalogPth` in `gitops`.",
        hint: "Did you mean `catalogPath`?",
      }),
    ]);
  });

  it("reads an empty file as the defaults, and warns that _extends is not followed", () => {
    const empty = parseBotConfigText({ file: "x.yml", text: "# nothing\n" });
    expect(empty.ok && empty.value.gitops.policiesPath).toBe("platform/policies");
    const extended = parseBotConfigText({ file: "x.yml", text: "_extends: .github\nlabels: [a]\n" });
    expect(extended.ok).toBe(true);
    expect(extended.problems).toEqual([expect.objectContaining({ code: "config.extends-not-followed", severity: "warning", line: 1 })]);
  });

  it("reports YAML syntax at its line", () => {
    const result = parseBotConfigText({ file: "x.yml", text: "gitops: [\n" });
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toMatchObject({ file: "x.yml", code: "yaml.syntax" });
  });
});

describe("docs/gitops-bot.schema.json", () => {
  const file = new URL("../../../docs/gitops-bot.schema.json", import.meta.url);
  const generated = `${JSON.stringify(botConfigJsonSchema(), null, 2)}\n`;

  it("matches the zod schema (regenerate: UPDATE_SCHEMA=1 npx vitest run test/core/config)", () => {
    if (process.env.UPDATE_SCHEMA === "1") writeFileSync(file, generated);
    expect(readFileSync(file, "utf8")).toBe(generated);
  });

  it("lets editors validate the shipped examples, and catches a typo", () => {
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(generated) as object);
    for (const url of EXAMPLES) expect(validate(load(readFileSync(url, "utf8"))), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ acess: {} })).toBe(false);
  });
});
