import { describe, expect, it } from "vitest";
import { parseCommand } from "../../../src/core/request/parse-command.js";

describe("parseCommand", () => {
  it.each([
    ["/provision small", { name: "provision", size: "small", values: {} }],
    [
      "/provision medium template=web-service name=api team=payments environment=dev",
      { name: "provision", size: "medium", values: { template: "web-service", name: "api", team: "payments", environment: "dev" } },
    ],
    [
      '/provision small note="two words" path=\'a b\' q="say \\"hi\\""',
      { name: "provision", size: "small", values: { note: "two words", path: "a b", q: 'say "hi"' } },
    ],
    [
      "/provision small image=ghcr.io/acme/api:1.2.3 empty=",
      { name: "provision", size: "small", values: { image: "ghcr.io/acme/api:1.2.3", empty: "" } },
    ],
    ["/resize large", { name: "resize", size: "large" }],
    ["/deprovision", { name: "deprovision" }],
    ["/preview", { name: "preview", size: null, values: {} }],
    ["/preview medium", { name: "preview", size: "medium", values: {} }],
    ["/preview name=api2", { name: "preview", size: null, values: { name: "api2" } }],
    ["/help", { name: "help" }],
    ["/HELP", { name: "help" }],
    ["Thanks!\n\n  /resize medium  \nplease", { name: "resize", size: "medium" }],
    ["/provision\tsmall\tteam=a", { name: "provision", size: "small", values: { team: "a" } }],
  ])("reads %j", (body, command) => {
    expect(parseCommand(body)).toEqual({ command, problems: [] });
  });

  it.each([
    ["plain text"],
    ["I ran /provision small yesterday"],
    ["> /provision small"],
    ["```\n/provision small\n```"],
    ["~~~~\n/deprovision\n~~~\n/still-fenced\n~~~~"],
    ["    /provision small"],
    ["/etc/hosts is a file"],
    [""],
  ])("ignores %j: not a command at the start of a line outside code and quotes", (body) => {
    expect(parseCommand(body)).toEqual({ command: null, problems: [] });
  });

  it("runs a command that follows a closed fence", () => {
    expect(parseCommand("```\n/deprovision\n```\n/resize small").command).toEqual({ name: "resize", size: "small" });
  });

  it.each([
    [
      "/provison small",
      "command.unknown",
      "`/provison` is not a command.",
      "Did you mean `/provision <size> [key=value ...]`? Commands: `/provision <size> [key=value ...]`, `/resize <size>`, `/deprovision`, `/preview [<size>] [key=value ...]`, `/help`.",
    ],
    [
      "/provisionsmall",
      "command.unknown",
      "`/provisionsmall` is not a command.",
      "Did you mean `/provision <size> [key=value ...]`? Commands: `/provision <size> [key=value ...]`, `/resize <size>`, `/deprovision`, `/preview [<size>] [key=value ...]`, `/help`.",
    ],
    [
      "/provision",
      "command.missing-size",
      "`/provision` needs a size.",
      "Usage: `/provision <size> [key=value ...]`, for example `/provision small`.",
    ],
    [
      "/provision team=a",
      "command.missing-size",
      "`/provision` needs a size.",
      "Usage: `/provision <size> [key=value ...]`, for example `/provision small`.",
    ],
    ["/provision SMALL!", "command.bad-size", "`SMALL!` is not a size.", "Sizes are lowercase words such as small, medium or large."],
    [
      "/provision small team",
      "command.bad-argument",
      "`team` is not a `key=value` pair.",
      'Write values as key=value, for example team=payments or note="two words".',
    ],
    [
      "/provision small =x",
      "command.bad-argument",
      "`=x` is not a `key=value` pair.",
      'Write values as key=value, for example team=payments or note="two words".',
    ],
    ["/provision small team=a team=b", "command.duplicate-key", "`team` is given twice.", "Give each value once."],
    ['/provision small note="open', "command.unclosed-quote", 'A quote (") is never closed.', 'Close it: key="a value".'],
    ["/resize", "command.missing-size", "`/resize` needs a size.", "Usage: `/resize <size>`, for example `/resize small`."],
    ["/resize large team=b", "command.unexpected-argument", "`/resize` takes only a size.", "Use /provision to change other values."],
    ["/deprovision now", "command.unexpected-argument", "`/deprovision` takes no arguments.", "Usage: `/deprovision`."],
    ["/help me", "command.unexpected-argument", "`/help` takes no arguments.", "Usage: `/help`."],
  ])("refuses %j with %s", (body, code, message, hint) => {
    const parsed = parseCommand(body);
    expect(parsed.command).toBeNull();
    expect(parsed.problems[0]).toMatchObject({ code, message, severity: "error", hint });
  });

  it.each([
    ["/provison small", "/provision <size> [key=value ...]"],
    ["/provisionsmall", "/provision <size> [key=value ...]"],
    ["/Provison small", "/provision <size> [key=value ...]"],
    ["/deprovison", "/deprovision"],
    ["/reszie large", "/resize <size>"],
    ["/previwe", "/preview [<size>] [key=value ...]"],
    ["/cc @alice\n/provison small", "/provision <size> [key=value ...]"],
  ])("answers the near miss %j with the command it was meant to be", (body, usage) => {
    const parsed = parseCommand(body);
    expect(parsed.command).toBeNull();
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]?.hint).toBe(
      `Did you mean \`${usage}\`? Commands: \`/provision <size> [key=value ...]\`, \`/resize <size>\`, \`/deprovision\`, \`/preview [<size>] [key=value ...]\`, \`/help\`.`,
    );
  });

  it.each([
    ["/lgtm"],
    ["/assign @bob"],
    ["/cc @alice"],
    ["/deploy"],
    ["/review"],
    ["/approve"],
    ["/hold"],
    ["/retest"],
    ["/label bug"],
    ["/close"],
    ["/hlep"],
    ["/x".padEnd(200, "y")],
  ])("stays quiet on %j: a slash command that is not the bot's", (body) => {
    expect(parseCommand(body)).toEqual({ command: null, problems: [] });
  });

  it.each([
    ["<!-- /provision small -->"],
    ["<!--\n/provision small\n-->"],
    ["<!-- a note\n/deprovision\nmore -->"],
    ["  <!--\n/resize large"],
    ["text <!-- start\n/provision small\n--> /deprovision"],
  ])("ignores %j: a command inside an HTML comment", (body) => {
    expect(parseCommand(body)).toEqual({ command: null, problems: [] });
  });

  it("runs a command after a closed HTML comment and drops comments from its line", () => {
    expect(parseCommand("<!-- hidden\n/deprovision\n-->\n/resize small").command).toEqual({ name: "resize", size: "small" });
    expect(parseCommand("/resize small <!-- why -->").command).toEqual({ name: "resize", size: "small" });
    // What GitHub shows is the command: the comment before it is invisible.
    expect(parseCommand("<!-- x --> /resize small").command).toEqual({ name: "resize", size: "small" });
  });

  it("reads a comment opener inside a code fence as code", () => {
    expect(parseCommand("```\n<!--\n```\n/resize small").command).toEqual({ name: "resize", size: "small" });
  });

  it("runs the first of several commands and warns about the rest", () => {
    const parsed = parseCommand("/cc @alice\n/resize large\n/deprovision");
    expect(parsed.command).toEqual({ name: "resize", size: "large" });
    expect(parsed.problems).toEqual([
      expect.objectContaining({
        code: "command.several",
        severity: "warning",
        message: "This comment holds 2 commands; only the first (line 2) was considered.",
      }),
    ]);
  });

  it("escapes hostile input in messages: no markdown or mention breaks out of the code span", () => {
    const parsed = parseCommand("/provision small `@everyone`");
    expect(parsed.problems[0]?.message).toBe("`` `@everyone` `` is not a `key=value` pair.");
  });
});
