import { resolve } from "node:path";
import { gitBlobSha } from "../adapters/git-blob-sha.js";
import { LocalRepo } from "../adapters/local/local-repo.js";
import { readBuiltinCatalog } from "../adapters/local/read-builtin-catalog.js";
import type { Catalog } from "../core/catalog/load-catalog.js";
import type { BotConfig } from "../core/config/bot-config.schema.js";
import { problem } from "../core/problems.js";
import { renderUpgradeBody, renderUpgradeTitle } from "../core/report/upgrade-pr-body.js";
import type { InstanceUpgrade } from "../core/rollout/plan-instance-upgrade.js";
import { upgradeBranch } from "../core/rollout/plan-rollout.js";
import { planUpgrades, readInstances } from "../workflows/plan-upgrades.js";
import { effectiveCatalog } from "../workflows/run-request.js";
import { defineCommand } from "./define-command.js";
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, printProblems, type CliIO } from "./io.js";
import { loadCliConfig } from "./load-cli-config.js";
import { renderStat } from "./request-commands.js";

const UPGRADE_COMMAND = defineCommand({
  usage: "upgrade --repo DIR [options]",
  about: `Renders every request (instance) in a local clone of the GitOps repository again, with its recorded
inputs and the current templates; each one whose files change gets its own branch with one commit,
as the App's upgrade pull requests do.`,
  options: {
    repo: { type: "string", value: "DIR", help: "the clone (required)" },
    template: { type: "string", value: "NAME", help: "only the instances of this template" },
    preview: { type: "boolean", help: "print the diffs; write nothing" },
    since: { type: "string", value: "REF", help: "the commit before the template change: hand edits are merged three-way against it" },
    stat: { type: "boolean", help: "a line per file instead of the full diff" },
    config: {
      type: "string",
      value: "FILE",
      help: "the bot configuration (default: the clone's .github/gitops-bot.yml, else the defaults)",
    },
    "repo-url": { type: "string", value: "URL", help: "what the Argo CD Application reads when the config names no argocd.repoURL" },
    backfill: {
      type: "boolean",
      help: "record the inputs of Applications rendered before the bot recorded them, recovered from their files (one branch)",
    },
  },
  maxPositionals: 0,
  footer: "Exit codes: 0 done, 1 an instance could not be upgraded, 2 bad usage or a clone that cannot be read.",
});

function describeDrift(upgrade: InstanceUpgrade): string[] {
  return upgrade.drift.map(({ path, upgrade: file }) => {
    if (file.kind === "merged") return `  edited by hand, edit kept (three-way merge): ${path}`;
    if (file.kind === "kept") return `  edited by hand, kept although the template no longer renders it: ${path}`;
    const lost = file.lostLines.map((l) => `\n    -${l}`).join("");
    const why =
      file.reason === "deleted-by-hand"
        ? "deleted by hand, recreated"
        : file.reason === "no-base"
          ? "differs from what the bot last wrote, overwritten"
          : "edit conflicts with the template, overwritten there";
    return `  ${why}: ${path}${lost ? `; lines lost:${lost}` : ""}`;
  });
}

/**
 * The catalog as it was at `since`, before the change: the base of the three-way merge of hand
 * edits. Null when that catalog has problems (no base, so no merge); undefined when the clone has
 * no such commit.
 */
async function catalogBefore(params: {
  repoDir: string;
  since: string;
  builtin: Catalog;
  catalogPath: string;
}): Promise<Catalog | null | undefined> {
  const old = new LocalRepo(params.repoDir, params.since);
  try {
    const oldTree = await old.listFiles().catch(() => null);
    if (oldTree === null) return undefined;
    const previous = await effectiveCatalog({ builtin: params.builtin, tree: oldTree, repo: old, catalogPath: params.catalogPath });
    return previous.problems.length > 0 ? null : previous.catalog;
  } finally {
    old.close();
  }
}

/** Prints each upgrade and, unless previewing, writes its branch with one commit; returns how many branches were written. */
async function writeUpgrades(params: {
  upgrades: readonly InstanceUpgrade[];
  repo: LocalRepo;
  config: BotConfig;
  io: CliIO;
  preview: boolean;
  stat: boolean;
}): Promise<number> {
  const { repo, config, io } = params;
  const baseBranch = config.gitops.baseBranch;
  const head = (await repo.resolveBranch(baseBranch)) ?? baseBranch;
  let written = 0;
  for (const upgrade of params.upgrades) {
    const branch = upgradeBranch({ config, request: upgrade.instance.request });
    io.stdout(
      `\n${upgrade.instance.application} (${upgrade.instance.request.template}): ${upgrade.changeset.changes.length} file(s) change${params.preview ? "" : `, branch ${branch}`}\n`,
    );
    for (const line of describeDrift(upgrade)) io.stdout(`${line}\n`);
    io.stdout(params.stat ? `${renderStat(upgrade.changeset)}\n` : upgrade.changeset.diff);
    if (params.preview) continue;
    const title = renderUpgradeTitle(upgrade);
    const body = renderUpgradeBody({
      upgrade,
      cause: { commit: head, commitUrl: null, templates: [upgrade.instance.request.template] },
      issueUrl: null,
    });
    const result = await repo.publish({
      branch,
      baseBranch,
      commitMessage: `${title}\n\n${body.replace(/<!--.*?-->\n?/g, "")}`,
      changes: upgrade.changeset.changes.map((c) => ({ path: c.path, content: c.after })),
    });
    if (result.commit !== null) written += 1;
  }
  return written;
}

/**
 * `upgrade`: every request (instance) in a local clone of the GitOps repository rendered again with
 * its recorded inputs and the current catalog (the built-in templates of this gitops-bot plus the
 * clone's own under gitops.catalogPath); each one whose files change gets its own branch with one
 * commit, exactly as the App's upgrade pull requests, or with --preview only the diffs. --since REF
 * names the commit before a template change, so hand edits are merged three-way against it.
 */
export const runUpgrade = UPGRADE_COMMAND.run(async ({ values, io, usageError }) => {
  const repoDir = values.repo ? resolve(io.cwd, values.repo) : undefined;
  if (!repoDir) return usageError("--repo DIR (a local clone of the GitOps repository) is required.");
  const { config, problems: configProblems } = await loadCliConfig({
    explicit: values.config ? resolve(io.cwd, values.config) : undefined,
    repoDir,
  });
  const builtin = await readBuiltinCatalog();
  if (configProblems.length > 0 || builtin.problems.length > 0 || !config) {
    printProblems(io, [...configProblems, ...builtin.problems]);
    return EXIT_USAGE;
  }
  const baseBranch = config.gitops.baseBranch;
  const repo = new LocalRepo(repoDir, baseBranch);
  // One git process reads every blob of the command; it ends with the command.
  try {
    const noRef = (what: string) => {
      printProblems(io, [
        problem("cli.no-ref", `${repoDir} has no ${what}.`, {
          hint: "Point --repo at a clone of the GitOps repository; check gitops.baseBranch and --since.",
        }),
      ]);
      return EXIT_USAGE;
    };
    if ((await repo.resolveBranch(baseBranch)) === null) return noRef(`branch \`${baseBranch}\``);
    const tree = await repo.listFiles();
    const repoURL = values["repo-url"] ?? config.argocd.repoURL ?? `file://${repoDir}`;
    if (values.backfill) {
      const { runBackfill } = await import("./backfill.js");
      const { catalog } = await effectiveCatalog({ builtin: builtin.catalog, tree, repo, catalogPath: config.gitops.catalogPath });
      return runBackfill({ repo, config, catalog, repoURL, preview: values.preview === true, io });
    }
    const after = await effectiveCatalog({ builtin: builtin.catalog, tree, repo, catalogPath: config.gitops.catalogPath });
    const before = values.since
      ? await catalogBefore({ repoDir, since: values.since, builtin: builtin.catalog, catalogPath: config.gitops.catalogPath })
      : null;
    if (before === undefined) return noRef(`commit \`${values.since}\``);
    if (after.problems.length > 0) {
      printProblems(io, after.problems);
      io.stderr("The catalog has problems: nothing was upgraded.\n");
      return EXIT_USAGE;
    }
    const template = values.template;
    const found = await readInstances({ tree, repo, config, only: null, relevant: (_, t) => template === undefined || t === template });
    const instances = found.instances.filter((i) => template === undefined || i.request.template === template);
    const planned = await planUpgrades({
      instances,
      before,
      after: after.catalog,
      tree,
      repo,
      config,
      hashBlob: gitBlobSha,
      repoURL,
      serverUrl: "https://github.com",
      readCurrent: true,
    });
    const written = await writeUpgrades({
      upgrades: planned.upgrades,
      repo,
      config,
      io,
      preview: values.preview === true,
      stat: values.stat === true,
    });
    printProblems(
      io,
      planned.failed.concat(found.failed).flatMap((f) => f.problems),
    );
    const verb = values.preview
      ? "would be upgraded (nothing written)"
      : `upgraded (${written} branch${written === 1 ? "" : "es"} written, the others already held their upgrade)`;
    io.stdout(
      `\n${planned.upgrades.length} instance(s) ${verb}; ${planned.unchanged.length} unchanged; ${planned.failed.length + found.failed.length} could not be upgraded.\n`,
    );
    return planned.failed.length + found.failed.length > 0 ? EXIT_FINDINGS : EXIT_OK;
  } finally {
    repo.close();
  }
});
