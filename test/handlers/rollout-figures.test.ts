import { randomUUID } from "node:crypto";
import type { EmitterWebhookEvent } from "@octokit/webhooks";
import { Probot } from "probot";
import { beforeAll, describe, expect, it } from "vitest";
import { readBuiltinCatalog } from "../../src/adapters/local/read-builtin-catalog.js";
import type { Catalog } from "../../src/core/catalog/load-catalog.js";
import { createAppDeps, registerHandlers } from "../../src/handlers/register-handlers.js";
import { RolloutFakeGitHub } from "../helpers/rollout-fake-github.js";
import { TestOctokit } from "../helpers/octokit.js";
import { AFTER, BEFORE, GITOPS_CONFIG_TEXT, loadBuiltinFiles, pushPayload, repository } from "../helpers/rollout-scenario.js";

let catalog: Catalog;
beforeAll(async () => {
  catalog = (await readBuiltinCatalog()).catalog;
  await loadBuiltinFiles();
});

/** The 5 writes of a request's pull request: tree, commit, branch, pull request, labels. */
const PULL_REQUEST_WRITES = /^POST \/repos\/acme\/gitops\/(git\/trees|git\/commits|git\/refs|pulls|issues\/\d+\/labels)$/;
/** The request issue's status comment: found, then edited in place. */
const STATUS_COMMENT = /^(GET \/repos\/acme\/requests\/issues\/\d+\/comments|PATCH \/repos\/acme\/requests\/issues\/comments\/\d+)$/;
/** Application files: a blob each, or one archive of the commit from 50 on. */
const APPLICATION_READS = /^GET \/repos\/acme\/gitops\/(git\/blobs\/[0-9a-f]{40}|tarball\/[0-9a-f]{40})$/;

describe("figures: GitHub requests of a template rollout", () => {
  const rows: string[] = [];

  it.each([1, 10, 100])("%i upgraded instances (and 2 of another template)", async (count) => {
    const repo = repository({ catalog, count, others: 2 });
    const github = new RolloutFakeGitHub({
      head: AFTER,
      commits: { [BEFORE]: repo.before, [AFTER]: repo.after },
      // A limit as large as the rollout, so every instance is upgraded by this one push.
      config: `${GITOPS_CONFIG_TEXT}rollout:\n  maxOpenPullRequests: 100\n`,
      statusComments: new Map(repo.instances.map((i) => [i.issue, i.statusComment])),
    });
    const probot = new Probot({ githubToken: "test", Octokit: TestOctokit, logLevel: "fatal", request: { fetch: github.fetch } });
    const deps = { ...createAppDeps(probot.log), catalog: async () => catalog };
    await probot.load((app: Probot) => registerHandlers(app, deps));
    await probot.receive({ id: randomUUID(), name: "push", payload: pushPayload() } as unknown as EmitterWebhookEvent);

    const catalogReads = 11; // the changed template's files, read once per push
    const writes = github.count(PULL_REQUEST_WRITES);
    const comments = github.count(STATUS_COMMENT);
    const blobsAndArchive = github.count(APPLICATION_READS);
    const applications = blobsAndArchive - catalogReads;
    const total = github.calls.length;
    const fixed = total - writes - comments - blobsAndArchive;
    expect(github.count(/^POST \/repos\/acme\/gitops\/pulls$/)).toBe(count);
    expect(github.calls.filter((c) => c.includes("/pulls") && c.includes("job-"))).toEqual([]);
    expect(writes).toBe(5 * count);
    expect(comments).toBe(2 * count);
    // Config, base ref and listing, the listing before the push, the rollout issue, the open pull requests.
    expect(fixed).toBe(6);
    rows.push(
      `| ${count} | ${total} | ${fixed} + ${catalogReads} template files | ${applications} ${applications === 1 ? "(one archive)" : "(a blob each)"} | 5 + 2 | ${((total - fixed - catalogReads) / count).toFixed(2)} |`,
    );
  });

  it("prints the table", () => {
    console.log(
      [
        "GitHub requests of a template rollout (a push changes web-service; 2 worker instances are left alone):",
        "| upgraded instances | requests | fixed per push | Application reads | per instance: PR writes + status comment | per instance, all but the fixed part |",
        "|---|---|---|---|---|---|",
        ...rows,
        "A request's pull request costs 5 writes (tree, commit, branch, pull request, labels); a whole provision 12 requests.",
      ].join("\n"),
    );
    expect(rows).toHaveLength(3);
  });
});
