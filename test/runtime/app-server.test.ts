import nock from "nock";
import { afterEach, describe, expect, it, vi } from "vitest";
import { GitHubMock, githubError } from "../helpers/github-mock.js";
import {
  APP_ID,
  INSTALLATION_TOKEN,
  WEBHOOK_SECRET,
  mockInstallationToken,
  startAppServer,
  type AppServer,
} from "../helpers/app-server.js";
import * as replies from "../helpers/github-replies.js";
import {
  BRANCH,
  EXAMPLE_CONFIG,
  GITOPS,
  PROVISION,
  README,
  REQUESTS,
  mockBase,
  mockCommentReaction,
  mockComments,
  mockConfig,
  mockCreateComment,
  mockFirstPublish,
  mockMembership,
  provisionComment,
} from "../helpers/github-scenario.js";
import { INSTALLATION, issueCommentCreated } from "../helpers/payloads.js";

let app: AppServer | null = null;
afterEach(async () => {
  await app?.stop();
  app = null;
});

/** A first `/provision small` on issue 12, one reply carrying GitHub's rate limit headers. */
function mockProvision(gh: GitHubMock): void {
  mockInstallationToken(gh, INSTALLATION.id);
  mockConfig(gh, REQUESTS, EXAMPLE_CONFIG);
  gh.on("GET /repos/{owner}/{repo}/collaborators/{username}/permission", {
    params: { ...REQUESTS, username: "alice" },
    reply: {
      status: 200,
      data: replies.permissionReply("alice", "write"),
      headers: { "x-ratelimit-remaining": "4321", "x-ratelimit-limit": "5000" },
    },
  });
  mockMembership(gh, "acme/payments", "alice", "active");
  mockComments(gh, 12, []);
  const entries = mockBase(gh, [README]);
  mockFirstPublish(gh, entries, { number: 7, labels: ["gitops-bot", "infrastructure"], branch: BRANCH });
  mockCreateComment(gh, 12);
  mockCommentReaction(gh, 9001, "rocket");
}

async function metrics(server: AppServer): Promise<string> {
  const response = await fetch(`${server.url}/metrics`, { headers: { authorization: "Bearer scrape-token-do-not-log" } });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/plain");
  return response.text();
}

function value(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("the App's HTTP endpoints beside the webhook route", () => {
  it("/healthz answers; /readyz is ready once the App authenticated, and probes ask GitHub nothing", async () => {
    const gh = new GitHubMock();
    gh.on("GET /app", { params: {}, reply: { status: 200, data: replies.appReply("gitops-bot", APP_ID) } });
    app = await startAppServer();
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);

    // Ready once the first check answered: polled until then (a loaded machine takes seconds, not a fixed count of tries).
    const url = app.url;
    const ready = await vi.waitFor(
      async () => {
        const response = await fetch(`${url}/readyz`);
        expect(response.status).toBe(200);
        return response;
      },
      { timeout: 15_000, interval: 20 },
    );
    expect(await ready.json()).toEqual({ ready: true, checks: { github: { ok: true, detail: "the App authenticated" } } });
    // Twenty more probes: the one GET /app mock stays the only GitHub request.
    for (let i = 0; i < 20; i++) expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
    expect(gh.count()).toBe(1);
  });

  it("/readyz is not ready while GitHub cannot be reached, and says why without the error's text", async () => {
    nock("https://api.github.com").get("/app").replyWithError({ code: "ECONNRESET", message: "socket hang up at 10.0.0.1" });
    app = await startAppServer();
    // Not ready before the first check answers, nor after it failed: every probe until then is a 503.
    const url = app.url;
    const statuses: number[] = [];
    const body = await vi.waitFor(
      async () => {
        const response = await fetch(`${url}/readyz`);
        statuses.push(response.status);
        const json: unknown = await response.json();
        expect(JSON.stringify(json)).toContain("did not answer");
        return json;
      },
      { timeout: 15_000, interval: 20 },
    );
    expect(new Set(statuses)).toEqual(new Set([503]));
    expect(body).toEqual({ ready: false, checks: { github: { ok: false, detail: "GitHub did not answer" } } });
  });

  it("/metrics counts a provision: webhook, request, pull request, GitHub requests by route template, rate limit", async () => {
    const gh = new GitHubMock();
    mockProvision(gh);
    app = await startAppServer({ logLevel: "info" });
    expect(await app.deliver("issue_comment", provisionComment(), "delivery-metrics-1")).toBe(200);

    const text = await metrics(app);
    expect(value(text, 'gitops_bot_webhooks_total{event="issue_comment",action="created",outcome="handled"}')).toBe(1);
    expect(value(text, 'gitops_bot_requests_total{outcome="provisioned"}')).toBe(1);
    expect(value(text, 'gitops_bot_pull_requests_total{change="opened"}')).toBe(1);
    expect(value(text, 'gitops_bot_github_requests_total{method="POST",route="/repos/{owner}/{repo}/git/trees",status="201"}')).toBe(1);
    expect(value(text, 'gitops_bot_github_requests_total{method="GET",route="/repos/{owner}/{repo}/contents/{path}",status="200"}')).toBe(
      1,
    );
    expect(value(text, `gitops_bot_github_rate_limit_remaining{installation="${INSTALLATION.id}"}`)).toBe(4321);
    expect(value(text, 'gitops_bot_webhook_handling_seconds_count{event="issue_comment"}')).toBe(1);
    expect(
      value(
        text,
        'gitops_bot_github_requests_total{method="GET",route="/repos/{owner}/{repo}/issues/{issue_number}/comments",status="200"}',
      ),
    ).toBe(1);
    // The installation token is asked for through the same Octokit: 7 writes and the token.
    expect(
      value(
        text,
        'gitops_bot_github_requests_total{method="POST",route="/app/installations/{installation_id}/access_tokens",status="201"}',
      ),
    ).toBe(1);
    expect(value(text, 'gitops_bot_github_request_seconds_count{method="POST"}')).toBe(8);
    // Bounded labels: no repository, branch, user or issue ever becomes a label value.
    const labelValues = text
      .split("\n")
      .filter((l) => l.startsWith("gitops_bot_"))
      .join("\n");
    for (const userInput of ["acme", "checkout", "alice", "payments", BRANCH, "/12"]) expect(labelValues).not.toContain(userInput);
  });

  it("logs every line of a handling with the delivery id, event, repository and issue, and no secret or token", async () => {
    const gh = new GitHubMock();
    mockProvision(gh);
    // A second delivery fails: GitHub refuses the tree (409), so the handler throws.
    mockConfig(gh, REQUESTS, EXAMPLE_CONFIG);
    gh.on("GET /repos/{owner}/{repo}/collaborators/{username}/permission", {
      params: { ...REQUESTS, username: "alice" },
      reply: { status: 200, data: replies.permissionReply("alice", "write") },
    });
    mockMembership(gh, "acme/payments", "alice", "active");
    mockComments(gh, 13, []);
    mockBase(gh, [README]);
    gh.on("POST /repos/{owner}/{repo}/git/trees", {
      params: GITOPS,
      reply: { status: 409, data: githubError("Git Repository is empty.") },
    });
    // The fault is told on the request's status comment before the handler throws.
    mockCreateComment(gh, 13, 502);
    app = await startAppServer({ logLevel: "trace" });
    expect(await app.deliver("issue_comment", provisionComment(), "delivery-logs-1")).toBe(200);
    const failing = issueCommentCreated({
      repo: { owner: REQUESTS.owner, name: REQUESTS.repo },
      body: PROVISION,
      sender: { login: "alice" },
      issue: { number: 13 },
    });
    expect(await app.deliver("issue_comment", failing, "delivery-logs-2")).toBe(409);
    await metrics(app);

    const lines = app.lines();
    const handling = lines.filter((l) => l["id"] === "delivery-logs-1");
    expect(handling.length).toBeGreaterThanOrEqual(12);
    for (const line of handling) {
      expect(line, JSON.stringify(line)).toMatchObject({ event: "issue_comment.created", repository: "acme/requests", issue: 12 });
    }
    // The failure is logged by Probot and @octokit/webhooks outside the handler: those lines carry the facts too.
    const failed = lines.filter((l) => l["id"] === "delivery-logs-2");
    expect(failed.filter((l) => l["level"] === 50).length).toBeGreaterThanOrEqual(2);
    for (const line of failed)
      expect(line, JSON.stringify(line).slice(0, 300)).toMatchObject({
        event: "issue_comment.created",
        repository: "acme/requests",
        issue: 13,
      });
    // Left: the access log (its request id is the delivery id) and the receipt line, which names the id in its text.
    const others = lines.filter((l) => l["id"] === undefined && JSON.stringify(l).includes("delivery-logs-"));
    for (const line of others)
      expect(line["msg"]).toMatch(/^(POST \/api\/github\/webhooks \d{3} |issue_comment event received \(id: delivery-logs-\d\))/);

    const output = app.output();
    if (process.env["SHOW_LOG"]) console.log(output);
    const keyBody = app.privateKey.split("\n").filter((l) => !l.startsWith("-----") && l.length > 20);
    const secrets = [INSTALLATION_TOKEN, WEBHOOK_SECRET, "scrape-token-do-not-log", ...keyBody];
    for (const secret of secrets) expect(output.includes(secret), `the log contains ${secret.slice(0, 12)}…`).toBe(false);
    // The App's JSON Web Token (signed with the key) starts with a base64url JSON header.
    expect(output).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ/);
    expect(output).not.toContain(GITOPS.repo + ":" + INSTALLATION_TOKEN);
  });
});
