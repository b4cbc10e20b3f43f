import { performance } from "node:perf_hooks";
import { Probot, type ProbotOctokit } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGitOpsOctokit } from "../../src/adapters/github/gitops-octokit.js";
import { gitTreeSha } from "../../src/adapters/github/git-tree-sha.js";
import { createApp } from "../../src/app.js";
import type { AppRuntime } from "../../src/runtime/app-runtime.js";
import { RedisDeliveryClaims } from "../../src/runtime/redis-delivery-claims.js";
import { Redis } from "ioredis";
import { GitHubMock } from "../helpers/github-mock.js";
import * as replies from "../helpers/github-replies.js";
import {
  EXAMPLE_CONFIG,
  GITOPS,
  NEW_COMMIT,
  README,
  REQUESTS,
  mockBase,
  mockCommentReaction,
  mockComments,
  mockConfig,
  mockCreateComment,
  mockMembership,
  mockPermission,
} from "../helpers/github-scenario.js";
import { issueCommentCreated } from "../helpers/payloads.js";
import { REDIS_MISSING, startRedisServer, type RedisServer } from "../helpers/redis-server.js";

const REQUEST_COUNT = 10;
/** Write spacing of Probot's throttle in this test (GitHub's is 1 s per installation; 70 writes would take a minute). */
const MIN_TIME_MS = 25;

type Options = NonNullable<ConstructorParameters<typeof ProbotOctokit>[0]>;
type Throttle = { connection?: { disconnect?: () => Promise<void> }; Bottleneck?: { Group: new (options: object) => unknown } };

/**
 * The App's Octokit (retries off), with Probot's throttling on and Redis-backed as Probot builds it
 * from `redisConfig`; the write and notification groups get a shorter spacing, and reads are
 * limited per replica to save Redis round trips (Probot would share them too). Each replica
 * has its own Redis connection and its own Bottleneck groups: whatever they share, they share
 * through Redis.
 */
const connections: NonNullable<Throttle["connection"]>[] = [];
const groupsByConnection = new WeakMap<object, Record<string, unknown>>();
const ThrottledOctokit = createGitOpsOctokit({ enabled: false }).defaults<typeof ProbotOctokit>((options: Options) => {
  const throttle = (options.throttle ?? {}) as Throttle & Record<string, unknown>;
  const { connection, Bottleneck } = throttle;
  if (!connection || !Bottleneck) throw new Error("Probot passed no Redis connection to the throttle");
  let groups = groupsByConnection.get(connection);
  if (!groups) {
    connections.push(connection);
    // A busy test machine can stall heartbeats past Bottleneck's 10 s client timeout: allow a minute.
    const common = { connection, timeout: 120_000, clientTimeout: 60_000 };
    groups = {
      // Reads stay local here (in production Probot shares this group too): fewer Redis round trips.
      global: new Bottleneck.Group({ id: "octokit-global", maxConcurrent: 10 }),
      write: new Bottleneck.Group({ id: "octokit-write", maxConcurrent: 1, minTime: MIN_TIME_MS, ...common }),
      notifications: new Bottleneck.Group({ id: "octokit-notifications", maxConcurrent: 1, minTime: MIN_TIME_MS, ...common }),
    };
    groupsByConnection.set(connection, groups);
  }
  return { ...options, throttle: { ...throttle, enabled: true, ...groups } };
});

interface Replica {
  probot: Probot;
  runtime: AppRuntime;
}

async function startReplica(redisUrl: string, name: string): Promise<Replica> {
  const probot = new Probot({ githubToken: "test", Octokit: ThrottledOctokit, redisConfig: redisUrl, logLevel: "fatal" });
  let runtime: AppRuntime | null = null;
  // The App's 2 s Redis command timeout grants a claim Redis did not answer in time: on a machine
  // loaded past that, both replicas would handle a delivery and this test would fail for the load.
  const app = createApp({ env: { REDIS_URL: redisUrl, HOSTNAME: name }, onRuntime: (r) => (runtime = r), redisCommandTimeoutMs: 60_000 });
  await probot.load(app, { cwd: process.cwd(), addHandler: () => undefined });
  if (runtime === null) throw new Error("no runtime");
  return { probot, runtime };
}

/** GitHub for ten first provisions, stateful where replicas could race: refs and pull requests. */
function mockTenProvisions(gh: GitHubMock) {
  const refs = new Set<string>();
  const pulls = new Map<string, number>();
  for (let i = 0; i < REQUEST_COUNT; i++) {
    mockConfig(gh, REQUESTS, EXAMPLE_CONFIG);
    mockPermission(gh, "alice", "write");
    mockMembership(gh, "acme/payments", "alice", "active");
    mockComments(gh, 101 + i, []);
    mockCreateComment(gh, 101 + i, 601 + i);
    mockCommentReaction(gh, 9101 + i, "rocket");
  }
  const entries = mockBase(gh, [README]);
  for (let i = 1; i < REQUEST_COUNT; i++) mockBase(gh, [README]);
  const at = GITOPS;
  gh.on("POST /repos/{owner}/{repo}/git/trees", {
    params: at,
    times: REQUEST_COUNT,
    reply: ({ body }) => {
      const changes = (body.tree ?? []).map((t) => ({ path: t.path ?? "", content: t.sha === null ? null : (t.content ?? "") }));
      return { status: 201, data: replies.createdTreeReply(at, gitTreeSha({ entries, changes })) };
    },
  });
  gh.on("POST /repos/{owner}/{repo}/git/commits", {
    params: at,
    times: REQUEST_COUNT,
    reply: ({ body }) => ({
      status: 201,
      data: replies.commitReply(at, NEW_COMMIT, String(body.tree), "c0ffee0000000000000000000000000000000001"),
    }),
  });
  gh.on("POST /repos/{owner}/{repo}/git/refs", {
    params: at,
    times: REQUEST_COUNT,
    reply: ({ body }) => {
      const ref = String(body.ref);
      if (refs.has(ref))
        return { status: 422, data: { message: "Reference already exists", documentation_url: "https://docs.github.com/rest" } };
      refs.add(ref);
      return { status: 201, data: replies.refReply(at, ref.replace(/^refs\//, ""), NEW_COMMIT) };
    },
  });
  gh.on("POST /repos/{owner}/{repo}/pulls", {
    params: at,
    times: REQUEST_COUNT,
    reply: ({ body }) => {
      const head = String(body.head);
      if (pulls.has(head))
        return {
          status: 422,
          data: {
            message: "Validation Failed",
            documentation_url: "https://docs.github.com/rest",
            errors: [{ resource: "PullRequest", code: "custom", message: `A pull request already exists for acme:${head}.` }],
          },
        };
      const number = 201 + pulls.size;
      pulls.set(head, number);
      return {
        status: 201,
        data: replies.pullReply(at, { number, title: String(body.title), body: String(body.body), head, base: "main" }),
      };
    },
  });
  for (let i = 0; i < REQUEST_COUNT; i++) {
    gh.on("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", {
      params: { ...at, issue_number: 201 + i },
      reply: () => ({ status: 200, data: replies.labelsReply(["gitops-bot", "infrastructure"]) }),
    });
  }
  return { refs, pulls };
}

describe.skipIf(REDIS_MISSING !== null)(`two replicas sharing a real Redis${REDIS_MISSING ? ` (skipped: ${REDIS_MISSING})` : ""}`, () => {
  let redis: RedisServer;
  const replicas: Replica[] = [];
  beforeAll(async () => {
    // plugin-throttling keeps module-wide groups, made with the connection of the first Octokit that
    // sends a request. Test files share a worker: make them here without Redis, so that the Redis
    // stopped after this file is not the one later tests' throttles wait on.
    const local = new (createGitOpsOctokit({ enabled: false }))({
      auth: "local",
      request: { fetch: async () => new Response("{}", { headers: { "content-type": "application/json" } }) },
    });
    await local.request("GET /rate_limit");
    redis = await startRedisServer({ password: "redis-password-do-not-log" });
  }, 60_000);
  afterAll(async () => {
    for (const replica of replicas) await replica.runtime.close();
    for (const connection of connections.splice(0)) await connection.disconnect?.();
    await redis?.stop();
  }, 60_000);

  // Bottleneck in Redis costs a few round trips per request: about 5 s alone, 30 s and more on a
  // loaded machine, hence the long timeout (it only bounds a hang; the figure is printed below).
  it(
    "fed the same 10 provision deliveries, write one branch, one pull request and one status comment per request",
    { timeout: 180_000 },
    async () => {
      const gh = new GitHubMock();
      const { refs, pulls } = mockTenProvisions(gh);
      replicas.push(await startReplica(redis.url, "replica-a"), await startReplica(redis.url, "replica-b"));
      // Both replicas connected to Redis (a claim waits for the connection), as after their readiness.
      for (const [i, replica] of replicas.entries()) expect(await replica.runtime.claims.claim(`warm-up-${i}`)).toBe(true);

      const deliveries = Array.from({ length: REQUEST_COUNT }, (_, i) => ({
        id: `delivery-${i}`,
        payload: issueCommentCreated({
          repo: { owner: REQUESTS.owner, name: REQUESTS.repo },
          body: `/provision small template=web-service name=svc-${i} team=payments environment=dev image=ghcr.io/acme/svc:1.0.${i}`,
          sender: { login: "alice" },
          issue: { number: 101 + i },
          commentId: 9101 + i,
        }),
      }));
      // Each replica gets half of the deliveries, all at once: both write through the shared limiter.
      // Then every delivery reaches the other replica too (a redelivery, or a copy after a timeout).
      const receive = (replica: Replica, d: (typeof deliveries)[number]) =>
        replica.probot.receive({ id: d.id, name: "issue_comment", payload: d.payload } as never);
      const [a, b] = replicas as [Replica, Replica];
      const started = performance.now();
      await Promise.all(deliveries.map((d, i) => receive(i % 2 === 0 ? a : b, d)));
      await Promise.all(deliveries.map((d, i) => receive(i % 2 === 0 ? b : a, d)));
      const elapsed = performance.now() - started;

      const comments = gh.calls.filter((c) => c.route === "POST /repos/{owner}/{repo}/issues/{issue_number}/comments");
      const scrapes = await Promise.all(replicas.map((r) => r.runtime.telemetry.scrape()));
      const count = (outcome: string) => scrapes.reduce((sum, s) => sum + sumOf(s.body, outcome), 0);
      console.log(
        `two replicas, ${REQUEST_COUNT} deliveries each: ${refs.size} branches, ${pulls.size} pull requests, ${comments.length} status comments; ` +
          `handled ${count("handled")}, duplicates ${count("duplicate")} (replica a handled ${sumOf(scrapes[0]!.body, "handled")}, b ${sumOf(scrapes[1]!.body, "handled")})`,
      );
      expect(refs.size).toBe(REQUEST_COUNT);
      expect(pulls.size).toBe(REQUEST_COUNT);
      expect(new Set(comments.map((c) => c.path)).size).toBe(REQUEST_COUNT);
      expect(comments).toHaveLength(REQUEST_COUNT);
      expect(count("handled")).toBe(REQUEST_COUNT);
      expect(sumOf(scrapes[0]!.body, "handled")).toBe(REQUEST_COUNT / 2);
      expect(sumOf(scrapes[1]!.body, "handled")).toBe(REQUEST_COUNT / 2);
      expect(count("duplicate")).toBe(REQUEST_COUNT);

      // Probot's throttle kept one write limiter in Redis for both replicas: both registered with it,
      // it passed every write of both, and one write at a time, 25 ms apart, set the pace.
      const limiter = await redis.client.hgetall("b_octokit-write-no-id_settings");
      const clients = await redis.client.zcard("b_octokit-write-no-id_client_last_registered");
      const writes = gh.calls.filter((c) => c.method !== "GET").length;
      console.log(
        `the shared write limiter in Redis: ${clients} replicas registered, ${limiter["done"]} writes passed (GitHub saw ${writes}), minTime ${limiter["minTime"]} ms; all deliveries took ${elapsed.toFixed(0)} ms`,
      );
      expect(clients).toBe(2);
      expect(Number(limiter["done"])).toBe(writes);
      expect(writes).toBe(7 * REQUEST_COUNT);
      expect(elapsed).toBeGreaterThanOrEqual((writes - 1) * MIN_TIME_MS * 0.95);
    },
  );

  it("claims: one replica per delivery; a failure frees the claim for the redelivery; success keeps it", async () => {
    const warnings: string[] = [];
    const a = new RedisDeliveryClaims({ redis: redis.client, replica: "a", warn: (m) => warnings.push(m) });
    const b = new RedisDeliveryClaims({ redis: redis.client, replica: "b", warn: (m) => warnings.push(m) });
    expect(await a.claim("d-1:h0")).toBe(true);
    expect(await b.claim("d-1:h0")).toBe(false);
    await a.release("d-1:h0");
    expect(await b.claim("d-1:h0")).toBe(true);
    await b.complete("d-1:h0");
    expect(await a.claim("d-1:h0")).toBe(false);
    expect(await redis.client.pttl("gitops-bot:delivery:d-1:h0")).toBeGreaterThan(23 * 60 * 60_000);
    // A delivery id is a header the signature does not cover: odd characters never shape the key.
    expect(await a.claim("../x y\n*:h0")).toBe(true);
    expect(await redis.client.exists("gitops-bot:delivery:___x_y__:h0")).toBe(1);
    expect(warnings).toEqual([]);
  });

  it("claims: without an answer from Redis the delivery is handled anyway, with a warning", async () => {
    const gone = new Redis({ port: 1, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    gone.on("error", () => undefined);
    const warnings: string[] = [];
    const claims = new RedisDeliveryClaims({ redis: gone, replica: "a", warn: (m) => warnings.push(m) });
    expect(await claims.claim("d-2:h0")).toBe(true);
    await claims.release("d-2:h0");
    expect(warnings).toEqual([
      "Redis did not answer: handling the delivery without the duplicate check",
      "Redis did not answer: a redelivery waits for the claim to expire",
    ]);
    gone.disconnect();
  });
});

function sumOf(text: string, outcome: string): number {
  const line = text
    .split("\n")
    .find((l) => l.startsWith(`gitops_bot_webhooks_total{event="issue_comment",action="created",outcome="${outcome}"}`));
  return line ? Number(line.split(" ").at(-1)) : 0;
}
