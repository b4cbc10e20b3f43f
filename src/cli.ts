#!/usr/bin/env node
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runDemo } from "./cli/demo.js";
import { EXIT_USAGE, type CliIO } from "./cli/io.js";
import { runLocalRequest, runRender } from "./cli/request-commands.js";

const HELP = `gitops-bot: turn one-line infrastructure requests into reviewed GitOps changes.

Usage:
  gitops-bot render <template> <size> name=… team=… environment=… [key=value …]
  gitops-bot provision   --repo DIR <template> <size> key=value …   one branch, one commit, in a local clone
  gitops-bot resize      --repo DIR <template> <size> key=value …
  gitops-bot deprovision --repo DIR <template> name=… team=… environment=…
  gitops-bot preview     --repo DIR <template> <size> key=value …   the diff and the pull request, nothing written
  gitops-bot check [paths…] [--policies DIR] [--format text|json|sarif]
  gitops-bot demo        provision a sample request into a copy of examples/gitops-repo

Exit codes: 0 success, 1 policy errors (check), 2 bad input (nothing written).
`;

/** Dispatches a command line; returns the exit code. Exported for tests. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "render":
      return runRender(rest, io);
    case "provision":
    case "resize":
    case "deprovision":
    case "preview":
      return runLocalRequest(command, rest, io);
    case "check": {
      const { runCheck } = await import("./cli/check.js");
      return runCheck(rest, io);
    }
    case "demo":
      return runDemo(rest, io);
    case "help":
    case "--help":
    case "-h":
      io.stdout(HELP);
      return 0;
    default:
      io.stderr(`${command ? `error: unknown command \`${command}\`\n\n` : ""}${HELP}`);
      return EXIT_USAGE;
  }
}

function isEntryPoint(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const io: CliIO = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), cwd: process.cwd() };
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
