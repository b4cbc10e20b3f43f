import type { LocalRepo } from "../adapters/local/local-repo.js";
import type { Catalog } from "../core/catalog/load-catalog.js";
import type { BotConfig } from "../core/config/bot-config.schema.js";
import type { Problem } from "../core/problems.js";
import { resolveRequestPaths } from "../core/render/render-request.js";
import { parseInstance, selectApplicationPaths } from "../core/rollout/find-instances.js";
import { readLabelledRequest, recoverRequest } from "../core/rollout/recover-request.js";
import type { FileWrite } from "../ports.js";
import { EXIT_FINDINGS, EXIT_OK, printProblems, type CliIO } from "./io.js";

/**
 * `upgrade --backfill`: Applications rendered before the bot recorded its requests' inputs get
 * them, recovered from the files themselves and accepted only when they render exactly those
 * files. All of them go to one branch `<branchPrefix>/backfill` with one commit (or, with
 * --preview, are only listed).
 */
export async function runBackfill(params: {
  repo: LocalRepo;
  config: BotConfig;
  catalog: Catalog;
  repoURL: string;
  preview: boolean;
  io: CliIO;
}): Promise<number> {
  const { repo, config, io } = params;
  const tree = await repo.listFiles();
  const changes: FileWrite[] = [];
  const problems: Problem[] = [];
  let recorded = 0;
  for (const path of selectApplicationPaths({ paths: tree.map((e) => e.path), config })) {
    const text = await repo.readFile(path);
    if (text === null) continue;
    const parsed = parseInstance({ path, text });
    if (parsed.instance) recorded += 1;
    if (parsed.instance || parsed.template === null) continue;
    const labelled = readLabelledRequest(text);
    if (!labelled) {
      problems.push(...parsed.problems);
      continue;
    }
    const folder = resolveRequestPaths({ config, template: labelled.template, values: labelled.values }).manifests;
    const files = new Map<string, string>();
    for (const entry of tree.filter((e) => e.path.startsWith(`${folder}/`))) {
      const content = await repo.readFile(entry.path);
      if (content !== null) files.set(entry.path, content);
    }
    const result = recoverRequest({
      application: { path, text },
      labelled,
      files,
      catalog: params.catalog,
      config,
      repoURL: params.repoURL,
    });
    problems.push(...result.problems);
    if (result.text !== null) {
      changes.push({ path, content: result.text });
      io.stdout(`${path}: inputs recovered (${labelled.template}, ${labelled.size})\n`);
    }
  }
  printProblems(io, problems);
  if (changes.length > 0 && !params.preview) {
    const branch = `${config.gitops.branchPrefix.replace(/\/+$/, "")}/backfill`;
    const result = await repo.publish({
      branch,
      baseBranch: config.gitops.baseBranch,
      commitMessage: `Record the inputs of ${changes.length} request(s) on their Applications\n\nRecovered from the files and checked: each renders exactly the files in the repository.`,
      changes,
    });
    io.stdout(
      result.commit === null
        ? `Branch ${branch} already holds this backfill: nothing written.\n`
        : `Wrote branch ${branch}: one commit ${result.commit.slice(0, 12)} with ${changes.length} Application(s).\n`,
    );
  }
  io.stdout(
    `${changes.length} Application(s) ${params.preview ? "would be backfilled (nothing written)" : "backfilled"}; ${recorded} already recorded; ${problems.length} could not be recovered.\n`,
  );
  return problems.length > 0 ? EXIT_FINDINGS : EXIT_OK;
}
