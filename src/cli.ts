#!/usr/bin/env node
import { realpathSync } from "node:fs";
import module from "node:module";
import { fileURLToPath } from "node:url";
import { EXIT_USAGE, type CliIO } from "./cli/io.js";
import { markPhase } from "./cli/mark-phase.js";
import { packageVersion } from "./cli/package-info.js";

type Command = (argv: string[], io: CliIO) => Promise<number>;

/**
 * The commands: a usage line each, and the module that runs it, imported only when chosen so that
 * `gitops-bot check` does not pay for the request commands' start-up (and the other way round).
 */
const COMMANDS: Record<string, { usage: string; load: () => Promise<Command> }> = {
  render: {
    usage: "render <template> <size> name=… team=… environment=… [key=value …]   print what a request renders",
    load: async () => (await import("./cli/request-commands.js")).runRender,
  },
  provision: {
    usage: "provision   --repo DIR <template> <size> key=value …   one branch, one commit, in a local clone",
    load: async () => localRequest("provision"),
  },
  resize: {
    usage: "resize      --repo DIR <template> <size> key=value …   the same request in another size",
    load: async () => localRequest("resize"),
  },
  deprovision: {
    usage: "deprovision --repo DIR <template> name=… team=… environment=…   delete exactly the request's files",
    load: async () => localRequest("deprovision"),
  },
  preview: {
    usage: "preview     --repo DIR <template> <size> key=value …   the diff and the pull request, nothing written",
    load: async () => localRequest("preview"),
  },
  upgrade: {
    usage:
      "upgrade     --repo DIR [--template NAME] [--preview] [--since REF]   render every request again with the current templates: a branch each",
    load: async () => (await import("./cli/upgrade.js")).runUpgrade,
  },
  check: {
    usage: "check [paths|globs|-]…   judge manifests and templates as the pull request check does",
    load: async () => (await import("./cli/check.js")).runCheck,
  },
  test: {
    usage: "test [DIR…]   run Kyverno CLI test folders (kyverno-test.yaml, .kyverno-test/)",
    load: async () => (await import("./cli/kyverno-test.js")).runKyvernoTestCommand,
  },
  validate: {
    usage: "validate [DIR]   check the bot config, the platform config and every template",
    load: async () => (await import("./cli/validate.js")).runValidate,
  },
  demo: {
    usage: "demo   provision a sample request into a copy of examples/gitops-repo",
    load: async () => (await import("./cli/demo.js")).runDemo,
  },
};

async function localRequest(action: "provision" | "resize" | "deprovision" | "preview"): Promise<Command> {
  const { runLocalRequest } = await import("./cli/request-commands.js");
  return (argv, io) => runLocalRequest(action, argv, io);
}

const HELP = `gitops-bot: turn one-line infrastructure requests into reviewed GitOps changes.

Usage: gitops-bot <command> [options]   (gitops-bot <command> --help lists every option)

${Object.values(COMMANDS)
  .map((c) => `  gitops-bot ${c.usage}`)
  .join("\n")}

Options: --version, -h/--help.
Exit codes: 0 success, 1 findings (check, test), 2 bad input or usage (nothing written).
`;

/** Dispatches a command line; returns the exit code. Exported for tests. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "--version" || command === "-v" || command === "version") {
    io.stdout(`${packageVersion()}\n`);
    return 0;
  }
  if (command === "help" || command === "--help" || command === "-h") {
    io.stdout(HELP);
    return 0;
  }
  const entry = command !== undefined && Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!entry) {
    io.stderr(`${command ? `error: unknown command \`${command}\`\n\n` : ""}${HELP}`);
    return EXIT_USAGE;
  }
  const run = await entry.load();
  // Start-up to here is the import of the command's code.
  markPhase("command-loaded");
  return run(rest, io);
}

function isEntryPoint(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/** Standard input as text, read on demand (`gitops-bot check -`). */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

if (isEntryPoint()) {
  // Node 22.1+ keeps the compiled code of the modules loaded from here on (the chosen command's) on
  // disk between runs; Node 20 has no such cache, and the call is absent there.
  (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  markPhase("started");
  // A reader that went away (`gitops-bot check | head`) is not a failure worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  const color = process.stdout.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== "dumb";
  const io: CliIO = {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    cwd: process.cwd(),
    readStdin,
    color,
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`gitops-bot: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 70;
    },
  );
}
