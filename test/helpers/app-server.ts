/**
 * The App as production runs it, in-process: Probot's HTTP server with the real App (createApp),
 * JWT authentication with a freshly generated private key, the webhook secret checked, and the
 * production logger (JSON, redaction) writing into memory. GitHub is answered by nock.
 */
import { createHmac, generateKeyPairSync } from "node:crypto";
import { createServer } from "node:net";
import { PassThrough } from "node:stream";
import nock from "nock";
import { Probot, Server } from "probot";
import { createApp } from "../../src/app.js";
import type { AppRuntime } from "../../src/runtime/app-runtime.js";
import { createLogger } from "../../src/runtime/create-logger.js";
import type { GitHubMock, ReplyData } from "./github-mock.js";
import { TestOctokit } from "./octokit.js";

export const APP_ID = 31337;
export const WEBHOOK_SECRET = "whsec-do-not-log-9c1f";
export const INSTALLATION_TOKEN = "ghs_DoNotLogThisInstallationToken0001";

/** A port nothing listens on (Probot's server treats port 0 as its default, 3000). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface AppServer {
  url: string;
  privateKey: string;
  runtime: AppRuntime;
  /** Every log line written so far, as text. */
  output(): string;
  /** Log lines parsed as JSON. */
  lines(): Record<string, unknown>[];
  /** POSTs a signed webhook delivery, as GitHub does; resolves with the HTTP status. */
  deliver(name: string, payload: unknown, id: string): Promise<number>;
  stop(): Promise<void>;
}

/** The reply of `POST /app/installations/{installation_id}/access_tokens`. */
export function mockInstallationToken(gh: GitHubMock, installation: number): void {
  const data: ReplyData<"POST /app/installations/{installation_id}/access_tokens"> = {
    token: INSTALLATION_TOKEN,
    expires_at: "2099-01-01T00:00:00Z",
    permissions: { contents: "write", issues: "write", pull_requests: "write", checks: "write", metadata: "read", members: "read" },
    repository_selection: "all",
  };
  gh.on("POST /app/installations/{installation_id}/access_tokens", {
    params: { installation_id: installation },
    reply: { status: 201, data },
  });
}

export async function startAppServer(options: { env?: NodeJS.ProcessEnv; logLevel?: "trace" | "debug" | "info" } = {}): Promise<AppServer> {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const sink = new PassThrough();
  let output = "";
  sink.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const log = await createLogger({ env: { LOG_FORMAT: "json", LOG_LEVEL: options.logLevel ?? "trace" }, destination: sink });
  const port = await freePort();
  const server = new Server({
    Probot: Probot.defaults({ appId: APP_ID, privateKey, secret: WEBHOOK_SECRET, Octokit: TestOctokit, log }),
    log,
    port,
    host: "127.0.0.1",
  });
  let runtime: AppRuntime | null = null;
  await server.load(createApp({ env: options.env ?? {}, onRuntime: (r) => (runtime = r) }));
  await server.start();
  // The App's own HTTP server is on loopback; GitHub stays behind nock.
  nock.enableNetConnect("127.0.0.1");
  const url = `http://127.0.0.1:${port}`;
  if (runtime === null) throw new Error("the App did not hand over its runtime");
  const started: AppRuntime = runtime;
  return {
    url,
    privateKey,
    runtime: started,
    output: () => output,
    lines: () =>
      output
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    deliver: async (name, payload, id) => {
      const body = JSON.stringify(payload);
      const signature = `sha256=${createHmac("sha256", WEBHOOK_SECRET).update(body).digest("hex")}`;
      const response = await fetch(`${url}/api/github/webhooks`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": name,
          "x-github-delivery": id,
          "x-hub-signature-256": signature,
          "user-agent": "GitHub-Hookshot/test",
        },
        body,
      });
      await response.text();
      return response.status;
    },
    stop: async () => {
      nock.disableNetConnect();
      await server.stop();
      await started.close();
    },
  };
}
