import { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { PrometheusTelemetry } from "../../../src/adapters/metrics/prometheus-telemetry.js";
import { instrumentedOn } from "../../../src/handlers/instrumented-on.js";
import type { DeliveryClaims } from "../../../src/ports.js";
import { DeliveryMemory } from "../../../src/workflows/redeliver-failed.js";
import { TestOctokit } from "../../helpers/octokit.js";
import { issueCommentCreated } from "../../helpers/payloads.js";

async function series(telemetry: PrometheusTelemetry, name: string): Promise<string[]> {
  return (await telemetry.scrape()).body.split("\n").filter((l) => l.startsWith(`${name}{`));
}

describe("PrometheusTelemetry keeps labels bounded", () => {
  it("counts policy checks by conclusion and findings by policy, capping policy names", async () => {
    const telemetry = new PrometheusTelemetry({ defaultMetrics: false });
    telemetry.policyCheck({
      conclusion: "failure",
      findings: [{ policy: "disallow-latest-tag" }, { policy: "disallow-latest-tag" }, { policy: "Not A Name" }],
    });
    telemetry.policyCheck({ conclusion: "<script>", findings: [] });
    for (let i = 0; i < 250; i++) telemetry.policyCheck({ conclusion: "success", findings: [{ policy: `policy-${i}` }] });
    expect(await series(telemetry, "gitops_bot_policy_checks_total")).toEqual(
      expect.arrayContaining([
        'gitops_bot_policy_checks_total{conclusion="failure"} 1',
        'gitops_bot_policy_checks_total{conclusion="success"} 250',
        'gitops_bot_policy_checks_total{conclusion="other"} 1',
      ]),
    );
    const findings = await series(telemetry, "gitops_bot_policy_findings_total");
    expect(findings).toContain('gitops_bot_policy_findings_total{policy="disallow-latest-tag"} 2');
    expect(findings.length).toBe(201);
    expect(findings).toContain('gitops_bot_policy_findings_total{policy="other"} 52');
  });

  it("caps events, actions and installations, and never takes a raw path as a route", async () => {
    const telemetry = new PrometheusTelemetry({ defaultMetrics: false });
    telemetry.webhook({ event: "issues", action: "opened; drop", outcome: "handled", seconds: 0.1 });
    for (let i = 0; i < 600; i++) telemetry.rateLimitRemaining({ installation: i + 1, remaining: 10 });
    telemetry.githubRequest({ method: "GET", route: "/repos/acme/secret-repo/contents/x", status: 200, seconds: 0.1 });
    telemetry.githubRequest({ method: "BREW", route: "https://api.github.com/repositories/1/issues?page=2", status: 0, seconds: 0.1 });
    expect(await series(telemetry, "gitops_bot_webhooks_total")).toContain(
      'gitops_bot_webhooks_total{event="issues",action="other",outcome="handled"} 1',
    );
    expect((await series(telemetry, "gitops_bot_github_rate_limit_remaining")).length).toBe(501);
    expect(await series(telemetry, "gitops_bot_github_requests_total")).toEqual([
      'gitops_bot_github_requests_total{method="GET",route="(other)",status="200"} 1',
      'gitops_bot_github_requests_total{method="OTHER",route="(absolute url)",status="error"} 1',
    ]);
  });
});

describe("instrumentedOn", () => {
  it("counts a delivery no handler subscribes to as ignored, a throwing handler as failed, and frees its claim", async () => {
    const telemetry = new PrometheusTelemetry({ defaultMetrics: false });
    const log: string[] = [];
    const claims: DeliveryClaims = {
      claim: async (key) => (log.push(`claim ${key}`), true),
      complete: async (key) => void log.push(`complete ${key}`),
      release: async (key) => void log.push(`release ${key}`),
    };
    const probot = new Probot({ githubToken: "test", Octokit: TestOctokit, logLevel: "fatal" });
    await probot.load((app: Probot) => {
      const on = instrumentedOn(app, { telemetry, claims, deliveries: new DeliveryMemory() });
      on("issue_comment.created", async () => {
        throw new Error("boom");
      });
    });
    const payload = issueCommentCreated({ repo: { owner: "acme", name: "requests" }, body: "/help", sender: { login: "alice" } });
    await expect(probot.receive({ id: "d-1", name: "issue_comment", payload } as never)).rejects.toThrow("boom");
    await probot.receive({ id: "d-2", name: "issue_comment", payload: { ...payload, action: "deleted" } } as never);
    const webhooks = await series(telemetry, "gitops_bot_webhooks_total");
    expect(webhooks).toContain('gitops_bot_webhooks_total{event="issue_comment",action="created",outcome="failed"} 1');
    expect(webhooks).toContain('gitops_bot_webhooks_total{event="issue_comment",action="deleted",outcome="ignored"} 1');
    expect(log).toEqual(["claim d-1:h0", "release d-1:h0"]);
  });
});
