import { describe, expect, it } from "vitest";
import { defineCommand } from "../../src/cli/define-command.js";
import type { CliIO } from "../../src/cli/io.js";

const EXAMPLE = defineCommand({
  usage: "example [DIR] [options]",
  about: "Does an example thing.",
  options: {
    repo: { type: "string", value: "DIR", help: "the clone" },
    exclude: {
      type: "string",
      multiple: true,
      value: "GLOB",
      help: "leave out files matching GLOB; repeatable, and described at length so that the help has to wrap this text onto a second line",
    },
    quiet: { type: "boolean", short: "q", help: "say less" },
  },
  maxPositionals: 1,
  footer: "Exit codes: 0 fine, 2 bad usage.",
});

function capture(): { io: CliIO; out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return { io: { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd: "/" }, out: () => out, err: () => err };
}

describe("defineCommand: one declaration parses the options and writes the help", () => {
  const seen: unknown[] = [];
  const run = EXAMPLE.run(async ({ values, positionals }) => {
    seen.push({ values, positionals });
    return 0;
  });

  it("lists every declared option, with its value name and short form, and -h, --help", () => {
    expect(EXAMPLE.help).toMatch(/^Usage: gitops-bot example \[DIR\] \[options\]\n\nDoes an example thing\.\n\nOptions:\n/);
    for (const option of ["--repo DIR", "--exclude GLOB", "-q, --quiet", "-h, --help"]) expect(EXAMPLE.help).toContain(option);
    // Long text wraps under its own column, never past 100 characters.
    expect(EXAMPLE.help).toMatch(/described at length so that the\n {18}help has to wrap this text onto a second line/);
    expect(Math.max(...EXAMPLE.help.split("\n").map((l) => l.length))).toBeLessThanOrEqual(100);
    expect(EXAMPLE.help.endsWith("Exit codes: 0 fine, 2 bad usage.\n")).toBe(true);
  });

  it("answers --help on stdout with exit 0, without running the command", async () => {
    const c = capture();
    expect(await run(["-h"], c.io)).toBe(0);
    expect(c.out()).toBe(EXAMPLE.help);
    expect(seen).toEqual([]);
  });

  it("passes typed values and positionals to the command", async () => {
    const c = capture();
    expect(await run(["--repo", "r", "--exclude", "a", "--exclude", "b", "-q", "dir"], c.io)).toBe(0);
    expect(seen.pop()).toEqual({ values: { repo: "r", exclude: ["a", "b"], quiet: true }, positionals: ["dir"] });
  });

  it.each([
    [["--bogus"], "error: Unknown option '--bogus'"],
    [["--repo"], "error: Option '--repo <value>' argument missing"],
    [["one", "two"], "error: `example` takes one argument, not one two"],
  ])("reports bad usage %j on stderr with the help, exit 2, and runs nothing", async (argv, message) => {
    const c = capture();
    expect(await run(argv, c.io)).toBe(2);
    expect(c.out()).toBe("");
    expect(c.err()).toContain(message);
    expect(c.err().endsWith(EXAMPLE.help)).toBe(true);
    expect(seen).toEqual([]);
  });
});
