import { parseArgs } from "node:util";
import { EXIT_OK, EXIT_USAGE, type CliIO } from "./io.js";

/** One command-line option: how it is parsed and how `--help` shows it, declared together. */
export interface CliOption {
  type: "string" | "boolean";
  short?: string;
  /** Repeatable: every value is kept, in order. */
  multiple?: boolean;
  /** What `--help` shows after the option's name: `DIR`, `FILE` (string options). */
  value?: string;
  /** What it does, one sentence; `--help` wraps it. */
  help: string;
}

/** A command's interface: the usage line, what it does, and every option it takes. */
export interface CommandSpec<Options extends Record<string, CliOption>> {
  /** The command and its arguments, after `gitops-bot `: `check [paths|globs|-]… [options]`. */
  usage: string;
  /** What the command does, in a paragraph or more (already wrapped). */
  about: string;
  /** Sections printed between the description and the options, such as the inputs it reads. */
  sections?: string;
  options: Options;
  /** The most positional arguments it takes (default: any number). */
  maxPositionals?: number;
  /** The last lines of the help: exit codes. */
  footer?: string;
}

type OptionValue<O extends CliOption> = O["type"] extends "boolean" ? boolean : O extends { multiple: true } ? string[] : string;

/** The parsed options, typed from their declaration: absent when not given. */
export type OptionValues<Options extends Record<string, CliOption>> = { [K in keyof Options]?: OptionValue<Options[K]> };

/** The parsed options of a defined command. */
export type ValuesOf<C> = C extends DefinedCommand<infer Options> ? OptionValues<Options> : never;

/** What a command's body receives once its arguments parsed. */
export interface CommandArgs<Options extends Record<string, CliOption>> {
  values: OptionValues<Options>;
  positionals: string[];
  io: CliIO;
  /** Prints `error: …` and the command's help on stderr; returns the usage exit code. */
  usageError: (message: string) => number;
}

/** A command as the dispatcher runs it: its argument list and where to write, to its exit code. */
export type Command = (argv: string[], io: CliIO) => Promise<number>;

export interface DefinedCommand<Options extends Record<string, CliOption>> {
  /** The full `--help` text, generated from the declaration. */
  help: string;
  /** Wraps the command's body: parses, answers `--help`, reports bad usage, then runs the body. */
  run: (body: (args: CommandArgs<Options>) => Promise<number>) => Command;
}

const HELP_OPTION = { type: "boolean", short: "h", help: "show this help" } as const satisfies CliOption;
const WIDTH = 100;

/**
 * Declares a command once: the same declaration parses its arguments (node:util parseArgs, strict)
 * and writes its `--help`, so the help cannot leave an option out. `-h, --help` is added to every
 * command.
 */
export function defineCommand<const Options extends Record<string, CliOption>>(spec: CommandSpec<Options>): DefinedCommand<Options> {
  const options: Record<string, CliOption> = { ...spec.options, help: HELP_OPTION };
  const help = renderHelp(spec, options);
  const run = (body: (args: CommandArgs<Options>) => Promise<number>): Command => {
    return async (argv, io) => {
      const usageError = (message: string) => {
        io.stderr(`error: ${message}\n\n${help}`);
        return EXIT_USAGE;
      };
      let parsed;
      try {
        parsed = parseArgs({
          args: argv,
          allowPositionals: spec.maxPositionals !== 0,
          options: Object.fromEntries(
            Object.entries(options).map(([name, o]) => [
              name,
              { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) },
            ]),
          ),
        });
      } catch (error) {
        return usageError(error instanceof Error ? error.message : String(error));
      }
      if (parsed.values.help === true) {
        io.stdout(help);
        return EXIT_OK;
      }
      if (spec.maxPositionals !== undefined && parsed.positionals.length > spec.maxPositionals) {
        const name = spec.usage.split(" ")[0] ?? "";
        return usageError(
          `\`${name}\` takes ${spec.maxPositionals === 1 ? "one argument" : `at most ${spec.maxPositionals} arguments`}, not ${parsed.positionals.join(" ")}`,
        );
      }
      return body({ values: parsed.values as OptionValues<Options>, positionals: parsed.positionals, io, usageError });
    };
  };
  return { help, run };
}

function renderHelp(spec: CommandSpec<Record<string, CliOption>>, options: Record<string, CliOption>): string {
  const rows = Object.entries(options).map(([name, o]) => ({
    left: `${o.short ? `-${o.short}, ` : ""}--${name}${o.value ? ` ${o.value}` : ""}`,
    text: o.help,
  }));
  const column = Math.max(...rows.map((r) => r.left.length)) + 4;
  const lines = rows.map((r) => `  ${r.left.padEnd(column - 2)}${wrap(r.text, WIDTH - column).join(`\n${" ".repeat(column)}`)}`);
  const parts = [
    `Usage: gitops-bot ${spec.usage}`,
    spec.about.trimEnd(),
    spec.sections?.trimEnd(),
    `Options:\n${lines.join("\n")}`,
    spec.footer?.trimEnd(),
  ];
  return `${parts.filter((p): p is string => p !== undefined && p !== "").join("\n\n")}\n`;
}

/** Splits text into lines of at most `width` characters, at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  return [...lines, line];
}
