import { describe, expect, it } from "vitest";
import { gitBlobSha } from "../../src/adapters/git-blob-sha.js";
import { readBuiltinCatalog } from "../../src/adapters/local/read-builtin-catalog.js";
import type { RequestTrigger } from "../../src/core/request/derive-request.js";
import { BotConfigSchema, type BotConfig } from "../../src/core/config/bot-config.schema.js";
import { problem } from "../../src/core/problems.js";
import { PortProblemError, type AccessReader, type Conversation } from "../../src/ports.js";
import { handleRequest, type RequestEvent } from "../../src/workflows/handle-request.js";

const issue = { repository: "acme/requests", number: 12, url: "https://github.com/acme/requests/issues/12" };

function memory() {
  const written: string[] = [];
  const reactions: string[] = [];
  const conversation: Conversation = {
    readStatusComment: async () => written.at(-1) ?? null,
    ensureStatusComment: async (body) => void written.push(body),
    react: async (content) => void reactions.push(content),
    hasReaction: async (content) => reactions.includes(content),
    close: async () => {},
  };
  return { conversation, written, reactions };
}

function accessReader(permission: Awaited<ReturnType<AccessReader["permissionOf"]>>, teams: string[] = []) {
  const asked: string[] = [];
  const reader: AccessReader = {
    permissionOf: async () => permission,
    isTeamMember: async (team) => {
      asked.push(team);
      return teams.includes(team);
    },
  };
  return { reader, asked };
}

async function run(params: {
  event: Partial<RequestEvent>;
  config?: BotConfig;
  permission?: Awaited<ReturnType<AccessReader["permissionOf"]>>;
  teams?: string[];
  listFiles?: () => Promise<never>;
}) {
  const { conversation, written, reactions } = memory();
  const access = accessReader(params.permission === undefined ? "write" : params.permission, params.teams ?? ["acme/team-b"]);
  const config =
    params.config ??
    BotConfigSchema.parse({
      access: { teams: ["acme/a", "acme/b", "acme/c"], admins: ["root", "acme/platform"] },
      teams: { b: ["acme/team-b"], c: ["acme/team-c", "acme/team-c2"] },
    });
  const result = await handleRequest({
    event: { trigger: { name: "help" }, parseProblems: [], form: null, actor: { login: "alice", type: "User" }, issue, ...params.event },
    config: { ok: true, value: config, problems: [] },
    catalog: (await readBuiltinCatalog()).catalog,
    conversation,
    access: access.reader,
    openGitOps: () => ({
      repo: { listFiles: params.listFiles ?? (async () => []), readFile: async () => null },
      publisher: { publish: async () => ({ commit: null, pullRequest: null, warnings: [] }) },
    }),
    hashBlob: gitBlobSha,
    describeFault: () => null,
    retry: null,
    serverUrl: "https://github.com",
  });
  return { result, written, reactions, asked: access.asked };
}

describe("handleRequest", () => {
  it("asks team memberships only when the permission is not enough, and stops at the first", async () => {
    expect((await run({ event: {} })).asked).toEqual([]);
    const viaTeam = await run({ event: {}, permission: "read", teams: ["acme/b"] });
    expect(viaTeam.asked).toEqual(["acme/a", "acme/b"]);
    expect(viaTeam.reactions).toEqual(["+1"]);
  });

  it("never answers a bot", async () => {
    const { result, written } = await run({ event: { actor: { login: "gitops-bot[bot]", type: "Bot" } } });
    expect(result).toEqual({ kind: "ignored", reason: "@gitops-bot[bot] is a bot." });
    expect(written).toEqual([]);
  });

  it("shows parse warnings next to the answer", async () => {
    const warning = {
      ...problem("command.several", "This comment holds 2 commands; only the first (line 1) was considered."),
      severity: "warning" as const,
    };
    const { written } = await run({ event: { parseProblems: [warning] } });
    expect(written[0]).toContain("**Note**\n- This comment holds 2 commands; only the first (line 1) was considered.");
  });

  it("refuses a template the repository may not request, before reading the GitOps repository", async () => {
    const { written, reactions } = await run({
      event: { trigger: { name: "provision", size: "small", values: { template: "cron-job", name: "a", team: "b", environment: "dev" } } },
      config: BotConfigSchema.parse({ templates: ["web-service"] }),
      listFiles: async () => {
        throw new Error("must not be read");
      },
    });
    expect(written[0]).toContain("Template `cron-job` may not be requested from this repository.");
    expect(reactions).toEqual(["confused"]);
  });

  it("turns an unreachable GitOps repository into a problem for the requester", async () => {
    const { written } = await run({
      event: {
        trigger: {
          name: "provision",
          size: "small",
          values: { template: "web-service", name: "a", team: "b", environment: "dev", image: "ghcr.io/a/b:1.0.0" },
        },
      },
      listFiles: async () => {
        throw new PortProblemError(
          problem("gitops.base-branch-missing", "The GitOps repository `acme/gitops` has no branch `main`, or the App cannot read it."),
        );
      },
    });
    expect(written[0]).toContain("has no branch `main`, or the App cannot read it.");
  });

  it("lets a fault propagate: the delivery fails and Probot logs it", async () => {
    await expect(
      run({
        event: {
          trigger: {
            name: "provision",
            size: "small",
            values: { template: "web-service", name: "a", team: "b", environment: "dev", image: "ghcr.io/a/b:1.0.0" },
          },
        },
        listFiles: async () => {
          throw new Error("GitHub API error while reading: 502");
        },
      }),
    ).rejects.toThrow("502");
  });

  describe("requests act only for their own team", () => {
    const request = (action: "provision" | "preview", team: string) => ({
      trigger: {
        name: action,
        size: "small",
        values: { template: "web-service", name: "a", team, environment: "dev", image: "ghcr.io/a/b:1.0.0" },
      } as RequestTrigger,
    });
    const form = (team: string) => ({
      template: "web-service",
      size: "small",
      values: { name: "a", team, environment: "dev", image: "ghcr.io/a/b:1.0.0" },
    });

    it("lets a member of the team's GitHub team act, asking only that team", async () => {
      const { written, asked } = await run({ event: request("preview", "b") });
      expect(asked).toEqual(["acme/team-b"]);
      expect(written[0]).toContain("### 👀 Preview");
    });

    it.each([
      ["provision", { ...request("provision", "c") }],
      ["preview", { ...request("preview", "c") }],
      ["resize", { trigger: { name: "resize", size: "medium" } as RequestTrigger, form: form("c") }],
      ["deprovision", { trigger: { name: "deprovision" } as RequestTrigger, form: form("c") }],
    ])("refuses %s for another team, saying who may, and reads nothing of the GitOps repository", async (_action, event) => {
      const { written, reactions, asked } = await run({
        event,
        listFiles: async () => {
          throw new Error("must not be read");
        },
      });
      expect(asked).toEqual(["acme/team-c", "acme/team-c2", "acme/platform"]);
      expect(written[0]).toContain("### 🚫 Not allowed");
      expect(written[0]).toContain(
        "@alice may not make requests for team `c`: they are not a member of @acme/team-c or @acme/team-c2, and not a platform admin.",
      );
      expect(reactions).toEqual(["-1"]);
    });

    it("lets a platform admin act for every team: by login without asking, or through an admin team", async () => {
      const byLogin = await run({ event: { ...request("preview", "c"), actor: { login: "Root", type: "User" } } });
      expect(byLogin.asked).toEqual([]);
      expect(byLogin.written[0]).toContain("### 👀 Preview");
      const byTeam = await run({ event: request("preview", "c"), teams: ["acme/platform"] });
      expect(byTeam.asked).toEqual(["acme/team-c", "acme/team-c2", "acme/platform"]);
      expect(byTeam.written[0]).toContain("### 👀 Preview");
    });

    it.each([
      ["an unknown team", "payments", "There is no team `payments` in this repository's configuration.", "Choose one of: b, c."],
      ["an inherited name", "constructor", "There is no team `constructor` in this repository's configuration.", "Choose one of: b, c."],
      ["no team", "", "`team` (the owning team) is required.", "Add team=\\<team\\>. Choose one of: b, c."],
    ])("refuses %s before asking anyone", async (_name, team, message, hint) => {
      const { written, asked, reactions } = await run({ event: request("provision", team), teams: ["acme/platform"] });
      expect(asked).toEqual([]);
      expect(written[0]).toContain(message);
      expect(written[0]).toContain(hint);
      expect(reactions).toEqual(["confused"]);
    });

    it("refuses every request while no teams are configured, even an admin's, and says how to configure them", async () => {
      const { written } = await run({
        event: { ...request("preview", "b"), actor: { login: "root", type: "User" } },
        config: BotConfigSchema.parse({ access: { admins: ["root"] } }),
      });
      expect(written[0]).toContain("There is no team `b` in this repository's configuration.");
      expect(written[0]).toContain("No teams are configured: add the team under `teams` in .github/gitops-bot.yml");
    });
  });
});
