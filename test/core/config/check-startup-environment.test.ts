import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkStartupEnvironment } from "../../../src/core/config/check-startup-environment.js";

describe("checkStartupEnvironment", () => {
  it.each([
    ["no secret", { NODE_ENV: "production" }, "is not set"],
    ["an empty secret", { NODE_ENV: "production", WEBHOOK_SECRET: "  " }, "is not set"],
    ["Probot's default secret", { NODE_ENV: "production", WEBHOOK_SECRET: "development" }, 'is "development"'],
  ])("refuses production with %s", (_name, env, found) => {
    const refusal = checkStartupEnvironment(env);
    expect(refusal).toContain(`WEBHOOK_SECRET ${found}`);
    expect(refusal).toContain("Set WEBHOOK_SECRET to the webhook secret in the GitHub App's settings");
  });

  it.each([
    ["a secret in production", { NODE_ENV: "production", WEBHOOK_SECRET: "s3cret" }],
    ["development without a secret", { NODE_ENV: "development" }],
    ["no NODE_ENV", {}],
  ])("lets %s start", (_name, env) => {
    expect(checkStartupEnvironment(env)).toBeNull();
  });

  it("stops `npm start` with the message and exit code 1, before any server starts", async () => {
    const main = fileURLToPath(new URL("../../../src/main.ts", import.meta.url));
    const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));
    const env = { PATH: process.env.PATH ?? "", NODE_ENV: "production", APP_ID: "1", PRIVATE_KEY: "x", PORT: "0" };
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      // The kill only ends a process that started a server after all; tsx compiling main.ts and
      // Probot's import take seconds on a loaded machine, so it comes late.
      const child = execFile(tsx, [main], { env, timeout: 90_000 }, (error, _stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === "number" ? error.code : null) : 0, stderr }),
      );
      child.stdin?.end();
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("gitops-bot refuses to start: WEBHOOK_SECRET is not set and NODE_ENV is production.");
  }, 120_000);
});
