import type { Problem } from "../core/problems.js";

/** Where a command writes: injected so tests capture output without a child process. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  /** Everything on standard input (for `-`); absent where there is none to read. */
  readStdin?: () => Promise<string>;
  /** True when stdout is a terminal that takes colour (and NO_COLOR is not set). */
  color?: boolean;
}

/** Exit codes shared by every command. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** Prints problems like a compiler: `file:line:column: error: message` then the hint. */
export function printProblems(io: CliIO, problems: readonly Problem[]): void {
  for (const p of problems) {
    const where = p.file ? `${p.file}${p.line ? `:${p.line}${p.column ? `:${p.column}` : ""}` : ""}: ` : "";
    io.stderr(`${where}${p.severity}: ${p.message}${p.hint ? `\n  hint: ${p.hint}` : ""}\n`);
  }
}
