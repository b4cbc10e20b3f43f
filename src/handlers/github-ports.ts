import type { ProbotOctokit } from "probot";
import type { BlobCache } from "../adapters/github/blob-cache.js";
import { GitHubGateway } from "../adapters/github/gateway.js";
import type { BotConfig } from "../core/config/bot-config.schema.js";
import { botConfigLoadProblem, BOT_CONFIG_FILE, parseBotConfig } from "../core/config/parse-bot-config.js";
import type { Result } from "../core/problems.js";
import { parseYamlDocuments } from "../core/yaml/parse-yaml-documents.js";
import { STATUS_MARKER } from "../core/report/status-comment.js";
import type { GitOpsPorts } from "../ports.js";

/** `owner/name` -> coordinates. Config values are validated as `owner/name` before they get here. */
export function splitRepository(fullName: string): { owner: string; repo: string } {
  const [owner = "", repo = ""] = fullName.split("/");
  return { owner, repo };
}

/**
 * Reads and validates `.github/gitops-bot.yml` of a repository (Probot's loader: `_extends` works),
 * from its default branch or, with `ref`, as committed there.
 */
export async function loadBotConfig(gateway: GitHubGateway, ref?: string): Promise<Result<BotConfig | null>> {
  const read = await gateway.contents.readConfig(BOT_CONFIG_FILE, ref);
  if ("error" in read) return { ok: false, problems: [botConfigLoadProblem(read.error)] };
  const parsed = parseBotConfig({ raw: read.raw });
  if (parsed.ok) return parsed;
  // Only a broken file pays for reading its text again: the lines of its problems come from it.
  const text = await gateway.contents.readTextFile(BOT_CONFIG_FILE, ref);
  const document = text === null ? undefined : parseYamlDocuments({ file: BOT_CONFIG_FILE, text }).documents[0];
  return document ? parseBotConfig({ raw: read.raw, positionOf: (path) => document.positionOf(path) }) : parsed;
}

/** The GitOps repository ports for a request made in `requestRepository`. */
export function gitOpsPorts(params: {
  octokit: ProbotOctokit;
  requestRepository: string;
  blobCache: BlobCache;
  config: BotConfig;
  branchMayExist: boolean;
}): GitOpsPorts {
  const target = splitRepository(params.config.gitops.repository ?? params.requestRepository);
  const gateway = new GitHubGateway({ octokit: params.octokit, ...target, blobCache: params.blobCache });
  const reader = gateway.repoReader(params.config.gitops.baseBranch);
  return { repo: reader, publisher: gateway.publisher({ reader, branchMayExist: params.branchMayExist }) };
}

/** The status-comment conversation on a request issue. */
export function requestConversation(gateway: GitHubGateway, issueNumber: number, commentId?: number) {
  return gateway.conversation({ issueNumber, marker: STATUS_MARKER, ...(commentId !== undefined ? { commentId } : {}) });
}
