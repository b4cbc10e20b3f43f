/**
 * Requests under GitHub faults and racing replicas, against a stateful fake GitHub whose every
 * request and reply is checked against GitHub's OpenAPI description. Prints the figures of
 * issue 9 (run `npx vitest run test/handlers/replicas-and-faults.test.ts` to see them).
 */
import type { EmitterWebhookEvent } from "@octokit/webhooks";
import { describe, expect, it } from "vitest";
import type { RetrySettings } from "../../src/adapters/github/gitops-octokit.js";
import { DEFAULT_RETRY_LIMITS } from "../../src/adapters/github/retry-policy.js";
import { runRedelivery } from "../../src/handlers/start-redelivery.js";
import { DeliveryMemory } from "../../src/workflows/redeliver-failed.js";
import { FakeGitHub, type FaultKind, type InjectedFault } from "../helpers/fake-github.js";
import { REQUESTS } from "../helpers/github-scenario.js";
import { INSTANT_RETRIES } from "../helpers/octokit.js";
import { issueCommentCreated } from "../helpers/payloads.js";
import { createTestProbot } from "../helpers/probot.js";

const INTERVAL = 300;

function provision(issue: number, name = `svc-${issue}`): EmitterWebhookEvent {
  const payload = issueCommentCreated({
    repo: { owner: REQUESTS.owner, name: REQUESTS.repo },
    body: `/provision small template=web-service name=${name} team=payments environment=dev image=ghcr.io/acme/${name}:1.0.0`,
    sender: { login: "alice" },
    issue: { number: issue },
    commentId: 50_000 + issue,
  });
  return { id: "", name: "issue_comment", payload };
}

/** A small deterministic PRNG (mulberry32), so that a run injects the same faults every time. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KINDS: FaultKind[] = ["server-error", "too-many-requests", "secondary-rate-limit", "network"];

/** `rate` of the writes fail, of each kind in turn; half of them after GitHub did the write. */
function injector(rate: number, seed: number): { faults: (route: string) => InjectedFault | null; injected: () => number } {
  const dice = random(seed);
  let injected = 0;
  return {
    faults: () => {
      if (dice() >= rate) return null;
      return { kind: KINDS[injected++ % KINDS.length]!, applied: dice() < 0.5 };
    },
    injected: () => injected,
  };
}

async function replica(fake: FakeGitHub, retries: Partial<RetrySettings>, memory = new DeliveryMemory()) {
  return { probot: await createTestProbot({ retries, retry: { everySeconds: INTERVAL }, deliveries: memory }), memory, fake };
}

/** Redelivery runs, each followed by GitHub delivering what was asked, until a run asks for nothing. */
async function redeliverUntilQuiet(params: {
  fake: FakeGitHub;
  probot: Awaited<ReturnType<typeof replica>>["probot"];
  memory: DeliveryMemory;
  maxRuns: number;
}): Promise<{ runs: number; asked: number }> {
  let asked = 0;
  for (let run = 1; run <= params.maxRuns; run++) {
    const report = await runRedelivery({ probot: params.probot, memory: params.memory });
    if (!report || report.redeliver.length === 0) return { runs: run, asked };
    asked += report.redeliver.length;
    await params.fake.deliverRequested(params.probot);
  }
  return { runs: params.maxRuns, asked };
}

function outcome(fake: FakeGitHub, issues: readonly number[]) {
  const withPullRequest = issues.filter(
    (i) =>
      fake.pulls.some((p) => p.head === `gitops-bot/web-service/payments-svc-${i}-dev`) &&
      fake.statusComments(i)[0]?.body.includes("pull request"),
  ).length;
  const duplicateComments = issues.filter((i) => fake.statusComments(i).length > 1).length;
  const heads = fake.pulls.map((p) => p.head);
  return { withPullRequest, orphans: fake.orphanBranches().length, duplicatePulls: heads.length - new Set(heads).size, duplicateComments };
}

describe("10 requests under 20% injected write faults", () => {
  it("every request ends with its pull request, at once or after redelivery; no orphan branch, no duplicate", async () => {
    const fake = new FakeGitHub();
    const faults = injector(0.2, 9);
    fake.faults = faults.faults;
    // The App's retry limits; only the waits are skipped (they still count against the time budget).
    const { probot, memory } = await replica(fake, { ...INSTANT_RETRIES, limits: DEFAULT_RETRY_LIMITS });
    const issues = Array.from({ length: 10 }, (_, i) => i + 1);
    const slow = random(3);
    let failedHandlings = 0;
    let toldOnIssue = 0;
    for (const issue of issues) {
      // Half the failures happen after Probot has answered 202 (GitHub records them as delivered).
      if (!(await fake.deliver(probot, provision(issue), { slow: slow() < 0.5 }))) {
        failedHandlings++;
        if (fake.statusComments(issue)[0]?.body.includes("The request could not be finished")) toldOnIssue++;
      }
    }
    const first = outcome(fake, issues);
    const redelivery = await redeliverUntilQuiet({ fake, probot, memory, maxRuns: 10 });
    const final = outcome(fake, issues);
    console.log(
      `figure: 10 requests, ${faults.injected()} write faults injected; ${first.withPullRequest}/10 opened their pull request in the first handling, ` +
        `${failedHandlings} handling${failedHandlings === 1 ? "" : "s"} failed (${toldOnIssue} told on the issue, the rest could not write either); after ${redelivery.asked} redeliveries in ${redelivery.runs} runs: ` +
        `${final.withPullRequest}/10 with their pull request, ${final.orphans} branches without a pull request, ${final.duplicatePulls} duplicate pull requests, ${final.duplicateComments} duplicate status comments`,
    );
    expect(final).toEqual({ withPullRequest: 10, orphans: 0, duplicatePulls: 0, duplicateComments: 0 });
    // Ten provisions and their redeliveries, each request checked against OpenAPI: slow on a busy machine.
  }, 60_000);
});

describe("after GitHub recovers from an outage that failed every write", () => {
  it("the request converges with no human action within one REDELIVERY_INTERVAL; a run with nothing failed costs 1 request", async () => {
    const fake = new FakeGitHub();
    const { probot, memory } = await replica(fake, { ...INSTANT_RETRIES });
    // Simulated time in seconds: the outage lasts from 0 to 450; redelivery runs every 300 s.
    let outage = true;
    fake.faults = () => (outage ? { kind: "server-error", applied: false } : null);
    const recoveredAt = 450;
    expect(await fake.deliver(probot, provision(1))).toBe(false);
    let convergedAt: number | null = null;
    for (let t = INTERVAL; t <= 4 * INTERVAL && convergedAt === null; t += INTERVAL) {
      outage = t < recoveredAt;
      const report = await runRedelivery({ probot, memory });
      expect(report?.redeliver.length).toBe(1);
      await fake.deliverRequested(probot);
      if (outcome(fake, [1]).withPullRequest === 1) convergedAt = t;
    }
    const quiet = await runRedelivery({ probot, memory });
    console.log(
      `figure: outage of every write until t=${recoveredAt} s, redelivery every ${INTERVAL} s: converged at t=${convergedAt} s, ${(convergedAt ?? Infinity) - recoveredAt} s after recovery (within one interval: ${(convergedAt ?? Infinity) - recoveredAt <= INTERVAL})`,
    );
    console.log(`figure: GitHub requests of a redelivery run when nothing failed: ${quiet?.requests}`);
    expect(convergedAt).toBe(600);
    expect(quiet?.requests).toBe(1);
    expect(outcome(fake, [1])).toEqual({ withPullRequest: 1, orphans: 0, duplicatePulls: 0, duplicateComments: 0 });
  });
});

describe("replicas racing on the same delivery", () => {
  it.each([2, 3])(
    "%d replicas: one branch, one pull request, one status comment (a duplicate converges on the next write)",
    async (count) => {
      const fake = new FakeGitHub();
      const replicas = await Promise.all(Array.from({ length: count }, () => replica(fake, INSTANT_RETRIES)));
      const guid = "5f0c1a2e-0000-4000-8000-000000000009";
      const results = await Promise.all(replicas.map(({ probot }) => fake.deliver(probot, provision(7), { guid })));
      expect(results.every(Boolean)).toBe(true);
      const afterRace = fake.statusComments(7).length;
      expect(fake.branches.size).toBe(1);
      expect(fake.pulls).toHaveLength(1);
      expect(fake.orphanBranches()).toEqual([]);

      // The next write of the request (here: the event delivered again) leaves one status comment.
      await fake.deliver(replicas[0]!.probot, provision(7));
      console.log(
        `figure: ${count} replicas on one delivery: ${fake.branches.size} branch, ${fake.pulls.length} pull request, ${afterRace} status comments after the race, ${fake.statusComments(7).length} after the next write`,
      );
      expect(fake.statusComments(7)).toHaveLength(1);
      expect(fake.pulls).toHaveLength(1);
    },
  );
});
