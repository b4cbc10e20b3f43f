import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const PROJECT = fileURLToPath(new URL("../../", import.meta.url));
const TSX = pathToFileURL(path.join(PROJECT, "node_modules/tsx/dist/loader.mjs")).href;
const POD =
  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: app\n      image: nginx:latest\n      securityContext: { privileged: true }\n";

const dir = mkdtempSync(path.join(tmpdir(), "gitops-bot-pipe-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("gitops-bot as a process", () => {
  it("ends quietly when the reader of its output goes away (| head)", async () => {
    // Far more output than a pipe holds (64 KiB), so writing after `head -1` left is EPIPE.
    for (let i = 0; i < 150; i++) writeFileSync(path.join(dir, `pod-${i}.yaml`), POD);
    const script = `node --import ${TSX} ${path.join(PROJECT, "src/cli.ts")} check . | head -1; echo "status \${PIPESTATUS[0]}" >&2`;
    const { stdout, stderr } = await run("bash", ["-c", script], { cwd: dir });
    expect(stdout.split("\n").filter(Boolean)).toHaveLength(1);
    expect(stderr).not.toMatch(/Error|at .*\.js:\d+|EPIPE/);
    expect(stderr).toMatch(/status [01]\n/);
  }, 120_000);
});
