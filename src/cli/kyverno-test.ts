import { stat } from "node:fs/promises";
import path from "node:path";
import { DISK_TEST_READER, findKyvernoTestDirs } from "../adapters/local/find-kyverno-test-dirs.js";
import { runKyvernoTestDir, type KyvernoTestRow } from "../workflows/run-kyverno-test.js";
import { defineCommand } from "./define-command.js";
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, printProblems } from "./io.js";

const TEST_COMMAND = defineCommand({
  usage: "test [DIR…] [options]",
  about: `Runs Kyverno CLI test folders with gitops-bot's policy engine, as \`kyverno test\` does: every folder
under DIR (default: the current folder) holding kyverno-test.yaml, or .kyverno-test/kyverno-test.yaml,
has its policies applied to its resources (with its values and variables), and each expected result
(pass, fail, skip, per policy, rule and resource) is compared with the engine's.`,
  options: {
    "fail-only": { type: "boolean", help: "list only the expectations that were not met" },
    "no-color": { type: "boolean", help: "no colours (default: colours when writing to a terminal, unless NO_COLOR)" },
  },
  footer: "Exit codes: 0 every expectation met, 1 any mismatch, 2 bad usage or a test that cannot be read.",
});

/** `gitops-bot test`: the Kyverno CLI's test command over gitops-bot's engine. */
export const runKyvernoTestCommand = TEST_COMMAND.run(async ({ values, positionals, io, usageError }) => {
  const color = io.color === true && values["no-color"] !== true;
  const started = performance.now();
  const dirs: string[] = [];
  for (const root of positionals.length > 0 ? positionals : ["."]) {
    const absolute = path.resolve(io.cwd, root);
    if (!(await stat(absolute).catch(() => undefined))?.isDirectory()) return usageError(`${root} is not a folder`);
    const found = await findKyvernoTestDirs(absolute);
    if (found.length === 0) {
      io.stderr(`error: no Kyverno test folder (kyverno-test.yaml or .kyverno-test/kyverno-test.yaml) under ${root}\n`);
      return EXIT_USAGE;
    }
    dirs.push(...found);
  }

  let passed = 0;
  let failed = 0;
  let broken = 0;
  for (const dir of dirs) {
    const shown = path.relative(io.cwd, dir) || ".";
    let result;
    try {
      result = await runKyvernoTestDir(dir, DISK_TEST_READER);
    } catch (error) {
      broken++;
      io.stderr(`${shown}: error: the test cannot be read: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}\n`);
      continue;
    }
    passed += result.passed;
    failed += result.expected - result.passed;
    printProblems(
      io,
      result.problems.map((p) => ({ ...p, ...(p.file ? { file: path.join(shown, p.file) } : {}) })),
    );
    const rows = values["fail-only"] ? result.rows.filter((row) => !row.ok) : result.rows;
    if (rows.length > 0) io.stdout(`\nTest ${shown}\n${formatTable(rows, color)}`);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  io.stdout(
    `\nTest Summary: ${passed} test${passed === 1 ? "" : "s"} passed and ${failed} test${failed === 1 ? "" : "s"} failed, in ${dirs.length} folder${dirs.length === 1 ? "" : "s"} (${seconds} s).\n`,
  );
  if (broken > 0) return EXIT_USAGE;
  return failed > 0 ? EXIT_FINDINGS : EXIT_OK;
});

/** The table `kyverno test` prints: ID, policy, rule, resource, result, reason. */
function formatTable(rows: readonly KyvernoTestRow[], color: boolean): string {
  const cells = rows.map((row, index) => [
    String(index + 1),
    row.policy,
    row.rule,
    row.resource,
    row.ok ? "Pass" : "Fail",
    row.ok ? "Ok" : `Want ${row.expected}, got ${row.actual}`,
  ]);
  const header = ["ID", "POLICY", "RULE", "RESOURCE", "RESULT", "REASON"];
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((cell) => (cell[column] ?? "").length)));
  const line = (cell: readonly string[]) =>
    `│ ${cell
      .map((value, column) => {
        const padded = value.padEnd(widths[column] ?? 0);
        if (!color || column !== 4) return padded;
        return `${value === "Pass" ? "\u001b[32m" : "\u001b[31m"}${padded}\u001b[0m`;
      })
      .join(" │ ")} │`;
  const rule = `│${widths.map((width) => "─".repeat(width + 2)).join("│")}│`;
  return `${[rule, line(header), rule, ...cells.map(line), rule].join("\n")}\n`;
}
