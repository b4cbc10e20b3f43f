import { readFileSync } from "node:fs";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { ARGO_STATES } from "../../src/core/delivery/delivery-state.js";
import { parseArgoStatus } from "../../src/core/delivery/parse-argo-status.js";

// The shipped Argo CD Notifications configuration must produce exactly the statuses the App reads.
const configMap = load(readFileSync(new URL("../../deploy/argocd-notifications/argocd-notifications-cm.yaml", import.meta.url), "utf8")) as { data: Record<string, string> };
const data = configMap.data;
const entries = (prefix: string) => Object.entries(data).filter(([key]) => key.startsWith(prefix)).map(([key, text]) => [key.slice(prefix.length), load(text)] as const);
const templates = new Map(entries("template.") as [string, { message: string; github: { revisionPath: string; status: { state: string; label: string; targetURL: string } } }][]);
const triggers = new Map(entries("trigger.") as [string, { when: string; send: string[]; oncePer: string }[]][]);
const application = load(readFileSync(new URL("../fixtures/render/web-service-small-dev/expected/argocd/dev/payments-checkout.yaml", import.meta.url), "utf8")) as { metadata: { name: string; labels: Record<string, string> } };

describe("deploy/argocd-notifications", () => {
  it("has a trigger for each step, each sending one of its templates", () => {
    expect([...triggers.keys()].sort()).toEqual(["gitops-bot-deployed", "gitops-bot-health-degraded", "gitops-bot-sync-failed", "gitops-bot-sync-running"]);
    for (const [name, conditions] of triggers) {
      for (const condition of conditions) {
        expect(condition.send.every((t) => templates.has(t)), name).toBe(true);
        expect(condition.oncePer, name).toMatch(/revision$/);
      }
    }
  });

  it("sets pending, success, failure and error statuses with the label the App reads, on the synced revision", () => {
    const states = new Map([...templates].map(([name, t]) => [name, t.github.status.state]));
    expect(Object.fromEntries(states)).toEqual({ "gitops-bot-sync-running": "pending", "gitops-bot-deployed": "success", "gitops-bot-health-degraded": "failure", "gitops-bot-sync-failed": "error" });
    for (const [name, template] of templates) {
      expect(ARGO_STATES as readonly string[], name).toContain(template.github.status.state);
      expect(template.github.revisionPath, name).toMatch(/revision\}\}$/);
      // What the label becomes for the bot's Application is what the App maps back to it.
      const label = template.github.status.label.replace("{{.app.metadata.name}}", application.metadata.name);
      const parsed = parseArgoStatus({ source: "status", context: label, state: template.github.status.state, sha: "a".repeat(40), description: null, targetUrl: null, commitDate: null });
      expect(parsed, name).toMatchObject({ status: { application: "payments-checkout-dev" } });
      expect(template.github.status.targetURL, name).toMatch(/^\{\{\.context\.argocdUrl\}\}\/applications\//);
    }
  });

  it("subscribes the Applications the bot generates, by the label every one of them carries", () => {
    const subscriptions = load(data.subscriptions ?? "") as { recipients: string[]; selector: string; triggers: string[] }[];
    expect(subscriptions).toHaveLength(1);
    const [subscription] = subscriptions;
    expect(subscription?.recipients).toEqual(["github"]);
    expect(subscription?.triggers.sort()).toEqual([...triggers.keys()].sort());
    const [key, value] = (subscription?.selector ?? "").split("=");
    expect(application.metadata.labels[key ?? ""]).toBe(value);
  });
});
