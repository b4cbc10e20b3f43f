import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { parseRedeliveryInterval } from "../../src/core/config/parse-redelivery-interval.js";
import { runRedelivery, startRedelivery } from "../../src/handlers/start-redelivery.js";
import { DeliveryMemory } from "../../src/workflows/redeliver-failed.js";
import { NO_TELEMETRY, type Telemetry } from "../../src/ports.js";
import { GitHubMock, githubError } from "../helpers/github-mock.js";
import * as replies from "../helpers/github-replies.js";
import {
  BRANCH,
  EXAMPLE_CONFIG,
  GITOPS,
  NEW_COMMIT,
  README,
  REQUESTS,
  mockBase,
  mockBranch,
  mockCommentReaction,
  mockComments,
  mockConfig,
  mockCreateComment,
  mockFindPull,
  mockMembership,
  mockPermission,
  mockTreeAndCommit,
  mockUpdateComment,
  postedStatus,
  provisionComment,
  mockOpenPull,
} from "../helpers/github-scenario.js";
import { createTestProbot, deliver } from "../helpers/probot.js";

const LINK = (cursor: string) => ({ link: `<https://api.github.com/app/hook/deliveries?per_page=100&cursor=${cursor}>; rel="next"` });

function mockDeliveries(gh: GitHubMock, page: replies.DeliveryFields[], options: { cursor?: string; next?: string } = {}): void {
  gh.on("GET /app/hook/deliveries", {
    params: {},
    query: { per_page: 100, ...(options.cursor ? { cursor: options.cursor } : {}) },
    reply: { status: 200, data: replies.deliveriesReply(page), ...(options.next ? { headers: LINK(options.next) } : {}) },
  });
}

function mockRedeliver(gh: GitHubMock, id: number): void {
  gh.on("POST /app/hook/deliveries/{delivery_id}/attempts", { params: { delivery_id: id }, reply: { status: 202, data: {} } });
}

function mockFirstProvisionUntilPullRequest(gh: GitHubMock, comments: Parameters<typeof mockComments>[2] = []) {
  mockConfig(gh, REQUESTS, EXAMPLE_CONFIG);
  mockPermission(gh, "alice", "write");
  mockMembership(gh, "acme/payments", "alice", "active");
  mockComments(gh, 12, comments);
  return mockTreeAndCommit(gh, mockBase(gh, [README]));
}

describe("failed deliveries are redelivered", () => {
  it("a handling that failed after Probot's answer is asked for again by its delivery, and converges when GitHub delivers it", async () => {
    const gh = new GitHubMock();
    const memory = new DeliveryMemory();
    const probot = await createTestProbot({ deliveries: memory, retry: { everySeconds: 300 } });
    const guid = randomUUID();

    // 1. The first delivery: the branch is written, GitHub fails to open the pull request.
    const first = mockFirstProvisionUntilPullRequest(gh);
    gh.on("POST /repos/{owner}/{repo}/git/refs", {
      params: GITOPS,
      reply: { status: 201, data: replies.refReply(GITOPS, `heads/${BRANCH}`, NEW_COMMIT) },
    });
    gh.on("POST /repos/{owner}/{repo}/pulls", { params: GITOPS, reply: { status: 503, data: githubError("Service Unavailable") } });
    mockCreateComment(gh, 12);
    await expect(deliver(probot, "issue_comment.created", provisionComment(), guid)).rejects.toThrow();
    expect(memory.failedHandlings.map((f) => f.guid)).toEqual([guid]);

    // 2. The run: two cursor pages back to the first run's horizon; GitHub recorded 202 (Probot answered after 9 s).
    const now = Date.now();
    mockDeliveries(
      gh,
      [
        { id: 9002, guid: randomUUID(), at: now - 5_000, statusCode: 200 },
        ...Array.from({ length: 98 }, (_, i) => ({ id: 8000 + i, guid: randomUUID(), at: now - 6_000 - i, statusCode: 200 })),
        { id: 9001, guid, at: now - 10_000, statusCode: 202 },
      ],
      { next: "v1_9001" },
    );
    mockDeliveries(
      gh,
      [
        { id: 7001, guid: randomUUID(), at: now - 30_000, statusCode: 200 },
        { id: 7000, guid: randomUUID(), at: now - 2 * 3600_000, statusCode: 500 },
      ],
      { cursor: "v1_9001" },
    );
    mockRedeliver(gh, 9001);
    const run = await runRedelivery({ probot, memory, now });
    expect(run).toMatchObject({ requests: 3, redeliver: [{ id: 9001, guid, reason: "handling failed after the answer" }], complete: true });

    // 3. GitHub delivers it again (same guid): the branch is kept, the pull request opened, the status comment edited.
    const failedStatus = postedStatus(gh);
    mockFirstProvisionUntilPullRequest(gh, [failedStatus]);
    gh.on("POST /repos/{owner}/{repo}/git/refs", { params: GITOPS, reply: { status: 422, data: githubError("Reference already exists") } });
    mockBranch(gh, BRANCH, { commit: NEW_COMMIT, tree: first.tree() });
    mockFindPull(gh, BRANCH, []);
    mockOpenPull(gh, { number: 7, labels: ["gitops-bot", "infrastructure"] });
    mockUpdateComment(gh, failedStatus.id);
    mockCommentReaction(gh, 9001, "rocket");
    await deliver(probot, "issue_comment.created", provisionComment(), guid);
    expect(gh.bodies("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}")[0]?.body).toContain("### ✅ Opened pull request");
    expect(memory.failedHandlings).toEqual([]);

    // 4. The next run finds nothing failed: one GitHub request.
    const later = now + 300_000;
    mockDeliveries(gh, [
      { id: 9100, guid, at: now + 1_000, statusCode: 202, redelivery: true },
      { id: 9002, guid: randomUUID(), at: now - 5_000, statusCode: 200 },
      { id: 6000, guid: randomUUID(), at: now - 400_000, statusCode: 200 },
    ]);
    expect(await runRedelivery({ probot, memory, now: later })).toMatchObject({ requests: 1, redeliver: [] });
  });

  it("asks for deliveries GitHub recorded as failed, once each, including those another replica received", async () => {
    const gh = new GitHubMock();
    const memory = new DeliveryMemory();
    const probot = await createTestProbot({ deliveries: memory });
    const now = Date.now();
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    mockDeliveries(gh, [
      { id: 5, guid: b, at: now - 1_000, statusCode: 200, redelivery: true },
      { id: 4, guid: c, at: now - 2_000, statusCode: 0, action: null, event: "ping" },
      { id: 3, guid: a, at: now - 3_000, statusCode: 500 },
      { id: 2, guid: b, at: now - 4_000, statusCode: 502 },
    ]);
    mockRedeliver(gh, 3);
    mockRedeliver(gh, 4);
    const run = await runRedelivery({ probot, memory, now });
    expect(run?.redeliver.map((d) => [d.id, d.event])).toEqual([
      [3, "issue_comment.created"],
      [4, "ping"],
    ]);
    expect(run?.requests).toBe(3);
  });

  it("replicas sharing delivery claims (REDIS_URL) ask for each failed attempt once between them", async () => {
    const gh = new GitHubMock();
    const held = new Set<string>();
    const claims = {
      claim: async (key: string) => !held.has(key) && Boolean(held.add(key)),
      complete: async () => undefined,
      release: async (key: string) => void held.delete(key),
    };
    const now = Date.now();
    const failed = { id: 3, guid: randomUUID(), at: now - 3_000, statusCode: 500 };
    mockDeliveries(gh, [failed]);
    mockDeliveries(gh, [failed]);
    mockRedeliver(gh, 3);
    const [a, b] = [new DeliveryMemory(), new DeliveryMemory()];
    const first = await runRedelivery({ probot: await createTestProbot({ deliveries: a }), memory: a, claims, now });
    const second = await runRedelivery({ probot: await createTestProbot({ deliveries: b }), memory: b, claims, now });
    expect([first?.redeliver.length, first?.leftToOthers]).toEqual([1, 0]);
    expect([second?.redeliver.length, second?.leftToOthers, second?.requests]).toEqual([0, 1, 1]);
  });

  it("a run GitHub fails is logged and ends quietly; the next run looks back to the same place", async () => {
    const gh = new GitHubMock();
    const memory = new DeliveryMemory();
    gh.on("GET /app/hook/deliveries", { params: {}, query: { per_page: 100 }, reply: { status: 500, data: githubError("Server Error") } });
    expect(await runRedelivery({ probot: await createTestProbot({ deliveries: memory }), memory, now: Date.now() })).toBeNull();
    expect(memory.lastRunAt).toBeNull();
  });
});

describe("the redelivery timer", () => {
  /**
   * Telemetry that tells the test when a run ended (its backlog is reported last): the test waits on
   * that event, never on wall-clock time, so a slow machine only makes it slower.
   */
  function runEnds() {
    let ended = 0;
    const waiting: { count: number; resolve: () => void }[] = [];
    const telemetry: Telemetry = {
      ...NO_TELEMETRY,
      redeliveryBacklog: () => {
        ended++;
        for (const w of waiting.filter((x) => x.count <= ended)) w.resolve();
      },
    };
    return {
      telemetry,
      ended: () => ended,
      until: (count: number) => new Promise<void>((resolve) => (count <= ended ? resolve() : waiting.push({ count, resolve }))),
    };
  }

  it("runs first after half an interval to a full one (at random), then every interval after a run ends, until stopped", async () => {
    const gh = new GitHubMock();
    const memory = new DeliveryMemory();
    const probot = await createTestProbot({ deliveries: memory });
    const runs = runEnds();
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const timer = startRedelivery({ probot, memory, telemetry: runs.telemetry, intervalSeconds: 300, random: () => 0 });
      mockDeliveries(gh, []);
      await vi.advanceTimersByTimeAsync(149_000);
      expect(gh.count()).toBe(0);
      await vi.advanceTimersByTimeAsync(1_000);
      await runs.until(1);
      expect(gh.count("GET /app/hook/deliveries")).toBe(1);
      mockDeliveries(gh, []);
      await vi.advanceTimersByTimeAsync(299_000);
      expect(gh.count("GET /app/hook/deliveries")).toBe(1);
      await vi.advanceTimersByTimeAsync(1_000);
      await runs.until(2);
      expect(gh.count("GET /app/hook/deliveries")).toBe(2);
      timer.stop();
      await vi.advanceTimersByTimeAsync(600_000);
      expect([gh.count(), runs.ended()]).toEqual([2, 2]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("stopped while a run is under way, schedules no further run when that run ends", async () => {
    const gh = new GitHubMock();
    const memory = new DeliveryMemory();
    const probot = await createTestProbot({ deliveries: memory });
    const runs = runEnds();
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const timer = startRedelivery({ probot, memory, telemetry: runs.telemetry, intervalSeconds: 300, random: () => 0 });
      // GitHub receives the run's request, and the App stops (a shutdown) before the run ends.
      gh.on("GET /app/hook/deliveries", {
        params: {},
        query: { per_page: 100 },
        reply: () => (timer.stop(), { status: 200, data: replies.deliveriesReply([]) }),
      });
      await vi.advanceTimersByTimeAsync(150_000);
      await runs.until(1);
      await vi.advanceTimersByTimeAsync(3_000_000);
      expect([gh.count(), runs.ended()]).toEqual([1, 1]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("REDELIVERY_INTERVAL", () => {
  it.each([
    [undefined, { ok: true, seconds: 300 }],
    ["", { ok: true, seconds: 300 }],
    ["0", { ok: true, seconds: 0 }],
    ["600", { ok: true, seconds: 600 }],
    ["5", { ok: false, message: "REDELIVERY_INTERVAL must be 0 (off) or at least 30 seconds, not 5." }],
    ["5m", { ok: false, message: 'REDELIVERY_INTERVAL must be a whole number of seconds (0 switches redelivery off), not "5m".' }],
  ])("%j", (value, expected) => {
    expect(parseRedeliveryInterval(value)).toEqual(expected);
  });
});
