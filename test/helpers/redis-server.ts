/**
 * A real Redis for tests: Debian's `redis-server`, started on a free loopback port without
 * persistence and stopped after. `.ci/run` installs the package when it is missing, so CI never
 * skips; on a laptop without it the tests that need it skip and say why.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { Redis } from "ioredis";
import { freePort } from "./app-server.js";

const BINARY = process.env["REDIS_SERVER_BIN"] ?? "redis-server";

/** Why Redis tests cannot run here, or null when `redis-server` is installed. */
export const REDIS_MISSING: string | null = (() => {
  const probe = spawnSync(BINARY, ["--version"], { encoding: "utf8" });
  if (probe.status === 0) return null;
  // CI (.ci/run) installs it and sets this: there a missing Redis fails instead of skipping quietly.
  if (process.env["GITOPS_BOT_REQUIRE_REDIS"] === "1")
    throw new Error(`${BINARY} is required (GITOPS_BOT_REQUIRE_REDIS=1) but not installed`);
  return `${BINARY} is not installed (apt-get install -y redis-server; .ci/run installs it)`;
})();

export interface RedisServer {
  url: string;
  /** A client for assertions (closed by stop). */
  client: Redis;
  stop(): Promise<void>;
}

export async function startRedisServer(options: { password?: string } = {}): Promise<RedisServer> {
  const port = await freePort();
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--appendonly",
    "no",
    "--daemonize",
    "no",
    ...(options.password ? ["--requirepass", options.password] : []),
  ];
  const child: ChildProcess = spawn(BINARY, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = `redis://${options.password ? `:${encodeURIComponent(options.password)}@` : ""}127.0.0.1:${port}`;
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  // Connection errors while the server starts are expected; they are retried below.
  client.on("error", () => undefined);
  for (let attempt = 0; ; attempt++) {
    try {
      await client.connect();
      await client.ping();
      break;
    } catch (error) {
      client.disconnect();
      if (attempt > 500 || child.exitCode !== null) {
        child.kill();
        throw new Error(`redis-server did not start: ${output}`, { cause: error });
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return {
    url,
    client,
    stop: async () => {
      client.disconnect();
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
