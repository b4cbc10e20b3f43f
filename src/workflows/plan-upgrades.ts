import type { Catalog } from "../core/catalog/load-catalog.js";
import type { BotConfig } from "../core/config/bot-config.schema.js";
import { problem, type Problem } from "../core/problems.js";
import { resolveRequestPaths, type RenderedFile } from "../core/render/render-request.js";
import { parseInstance, selectApplicationPaths, type Instance } from "../core/rollout/find-instances.js";
import {
  pathsToRead,
  planInstanceUpgrade,
  renderUpgrade,
  type InstanceUpgrade,
  type UpgradeRenders,
} from "../core/rollout/plan-instance-upgrade.js";
import { PortProblemError, type BlobHasher, type CommitReader, type RepoReader, type TreeEntry } from "../ports.js";

/** An instance that could not be upgraded, and why. */
export interface FailedInstance {
  application: string;
  problems: Problem[];
}

/** A fault of one instance becomes its problem, so the others go on. */
export function faultProblem(application: string, error: unknown): Problem {
  if (error instanceof PortProblemError) return { ...error.problem, file: error.problem.file ?? application };
  const message = error instanceof Error ? error.message : String(error);
  return problem("rollout.fault", `Upgrading ${application} failed: ${message.slice(0, 300)}`, {
    file: application,
    hint: "The next template change, a merge or close of an upgrade pull request, or `gitops-bot upgrade` tries again.",
  });
}

/**
 * Reads the Applications of the configured layout (`only`: just these) into instances; an
 * Application the bot rendered before inputs were recorded is reported when `relevant` says its
 * template matters here.
 */
export async function readInstances(params: {
  tree: readonly TreeEntry[];
  repo: CommitReader;
  config: BotConfig;
  only: ReadonlySet<string> | null;
  relevant: (application: string, template: string) => boolean;
}): Promise<{ instances: Instance[]; failed: FailedInstance[] }> {
  const all = selectApplicationPaths({ paths: params.tree.map((e) => e.path), config: params.config });
  const paths = params.only ? all.filter((p) => params.only!.has(p)) : all;
  await params.repo.prefetch?.(paths);
  const instances: Instance[] = [];
  const failed: FailedInstance[] = [];
  for (const path of paths) {
    try {
      const text = await params.repo.readFile(path);
      if (text === null) continue;
      const parsed = parseInstance({ path, text });
      if (parsed.instance) instances.push(parsed.instance);
      else if (parsed.template !== null && parsed.problems.length > 0 && params.relevant(path, parsed.template))
        failed.push({ application: path, problems: parsed.problems });
    } catch (error) {
      failed.push({ application: path, problems: [faultProblem(path, error)] });
    }
  }
  return { instances, failed };
}

/** The files of an instance as they are now: its folder and its Application (the CLI reads them to check the digest). */
async function currentFiles(params: {
  instance: Instance;
  tree: readonly TreeEntry[];
  repo: RepoReader;
  manifests: string;
}): Promise<RenderedFile[]> {
  const paths = params.tree.map((e) => e.path).filter((p) => p === params.instance.application || p.startsWith(`${params.manifests}/`));
  const files: RenderedFile[] = [];
  for (const path of paths) {
    const content = await params.repo.readFile(path);
    if (content !== null) files.push({ path, content });
  }
  return files;
}

/**
 * Plans the upgrades of instances from the catalog `before` a change (null: unknown) to `after`:
 * renders each with its recorded inputs, reads only the files that differ from both renderings,
 * and merges or lists hand edits. `readCurrent` (a local clone, where reads are cheap) reads each
 * instance's files so that, without a previous catalog, an untouched instance is still known to be
 * untouched by its digest. One instance's failure is reported and the others go on.
 */
export async function planUpgrades(params: {
  instances: readonly Instance[];
  before: Catalog | null;
  after: Catalog;
  tree: readonly TreeEntry[];
  repo: CommitReader;
  config: BotConfig;
  hashBlob: BlobHasher;
  repoURL: string;
  serverUrl: string;
  readCurrent?: boolean;
}): Promise<{ upgrades: InstanceUpgrade[]; unchanged: Instance[]; failed: FailedInstance[] }> {
  const { tree, repo } = params;
  const renders: UpgradeRenders[] = [];
  const unchanged: Instance[] = [];
  const failed: FailedInstance[] = [];
  for (const instance of params.instances) {
    try {
      const folder = resolveRequestPaths({
        config: params.config,
        template: instance.request.template,
        values: instance.request.values,
      }).manifests;
      const current = params.readCurrent ? await currentFiles({ instance, tree, repo, manifests: folder }) : undefined;
      const rendered = renderUpgrade({
        instance,
        before: params.before,
        after: params.after,
        config: params.config,
        repoURL: params.repoURL,
        serverUrl: params.serverUrl,
        ...(current ? { current } : {}),
      });
      if (rendered.problems.length > 0) failed.push({ application: instance.application, problems: rendered.problems });
      else if (rendered.unchanged || !rendered.renders) unchanged.push(instance);
      else renders.push(rendered.renders);
    } catch (error) {
      failed.push({ application: instance.application, problems: [faultProblem(instance.application, error)] });
    }
  }
  const toRead = renders.map((r) => pathsToRead({ renders: r, tree, hashBlob: params.hashBlob }));
  await repo.prefetch?.(toRead.flat());
  const upgrades: InstanceUpgrade[] = [];
  for (const [index, renderResult] of renders.entries()) {
    try {
      const texts = new Map<string, string>();
      for (const path of toRead[index] ?? []) {
        const text = await repo.readFile(path);
        if (text !== null) texts.set(path, text);
      }
      const upgrade = planInstanceUpgrade({ renders: renderResult, tree, texts, hashBlob: params.hashBlob });
      if (upgrade.changeset.isEmpty) unchanged.push(renderResult.instance);
      else upgrades.push(upgrade);
    } catch (error) {
      failed.push({ application: renderResult.instance.application, problems: [faultProblem(renderResult.instance.application, error)] });
    }
  }
  return { upgrades, unchanged, failed };
}
