import { describe, expect, it } from "vitest";
import { gitBlobSha } from "../../src/adapters/git-blob-sha.js";
import { readBuiltinCatalog } from "../../src/adapters/local/read-builtin-catalog.js";
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

async function run(params: { event: Partial<RequestEvent>; config?: BotConfig; permission?: Awaited<ReturnType<AccessReader["permissionOf"]>>; teams?: string[]; listFiles?: () => Promise<never> }) {
  const { conversation, written, reactions } = memory();
  const access = accessReader(params.permission === undefined ? "write" : params.permission, params.teams);
  const config = params.config ?? BotConfigSchema.parse({ access: { teams: ["acme/a", "acme/b", "acme/c"] } });
  const result = await handleRequest({
    event: { trigger: { name: "help" }, parseProblems: [], form: null, actor: { login: "alice", type: "User" }, issue, ...params.event },
    config: { ok: true, value: config, problems: [] },
    catalog: (await readBuiltinCatalog()).catalog,
    conversation,
    access: access.reader,
    openGitOps: () => ({
      repo: { listFiles: params.listFiles ?? (async () => []), readFile: async () => null },
      publisher: { publish: async () => ({ commit: null, pullRequest: null }) },
      notes: () => [],
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
    const warning = { ...problem("command.several", "This comment holds 2 commands; only the first (line 1) was considered."), severity: "warning" as const };
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
      event: { trigger: { name: "provision", size: "small", values: { template: "web-service", name: "a", team: "b", environment: "dev", image: "ghcr.io/a/b:1.0.0" } } },
      listFiles: async () => {
        throw new PortProblemError(problem("gitops.base-branch-missing", "The GitOps repository `acme/gitops` has no branch `main`, or the App cannot read it."));
      },
    });
    expect(written[0]).toContain("has no branch `main`, or the App cannot read it.");
  });

  it("lets a fault propagate: the delivery fails and Probot logs it", async () => {
    await expect(
      run({
        event: { trigger: { name: "provision", size: "small", values: { template: "web-service", name: "a", team: "b", environment: "dev", image: "ghcr.io/a/b:1.0.0" } } },
        listFiles: async () => {
          throw new Error("GitHub API error while reading: 502");
        },
      }),
    ).rejects.toThrow("502");
  });
});
