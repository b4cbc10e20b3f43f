import type { Catalog } from "../catalog/load-catalog.js";
import type { BotConfig } from "../config/bot-config.schema.js";
import { planChangeset, type Changeset } from "../plan/plan-changeset.js";
import type { Problem } from "../problems.js";
import { renderRequest, type RenderedFile } from "../render/render-request.js";
import { renderedDigest } from "../render/rendered-digest.js";
import type { ProvisionRequest } from "../request/request.js";
import { instanceProblem, type Instance } from "./find-instances.js";
import { mergeRenderedFile, type FileUpgrade } from "./merge-rendered-file.js";

/** A file of the base branch: path and git blob SHA. */
interface Entry {
  path: string;
  sha: string;
}

/** An instance rendered with the catalog before the change (the last rendered text) and after it. */
export interface UpgradeRenders {
  instance: Instance;
  /** The rendering at the previous template version; null when the previous catalog could not render it. */
  before: RenderedFile[] | null;
  /** True when `before` is what the bot last wrote (the recorded digest matches): hand edits can be merged. */
  baseKnown: boolean;
  after: RenderedFile[];
  reviewers: string[];
}

/** The request an instance records, as a request the renderer takes. */
export function recordedToRequest(instance: Instance, serverUrl: string): ProvisionRequest {
  const { request } = instance;
  const issue = request.issue
    ? { ...request.issue, url: `${serverUrl.replace(/\/+$/, "")}/${request.issue.repository}/issues/${request.issue.number}` }
    : undefined;
  // The requester is not recorded (templates do not render it); the issue says who asked.
  return {
    action: "provision",
    template: request.template,
    size: request.size,
    values: { ...request.values },
    requester: "gitops-bot",
    ...(issue ? { issue } : {}),
  };
}

/**
 * Renders an instance with its recorded inputs, before and after a catalog change. The recorded
 * values are validated against the template again, as any request's are. Returns `unchanged`
 * when the change renders the same files for this instance: nothing is to be written then.
 */
export function renderUpgrade(params: {
  instance: Instance;
  before: Catalog | null;
  after: Catalog;
  config: BotConfig;
  repoURL: string;
  serverUrl: string;
  /** The instance's files as they are now, when cheap to read: if their digest is the recorded one, nobody edited them. */
  current?: readonly RenderedFile[];
}): { renders: UpgradeRenders | null; unchanged: boolean; problems: Problem[] } {
  const { instance, config } = params;
  const request = recordedToRequest(instance, params.serverUrl);
  const after = renderRequest({ request, catalog: params.after, config, repoURL: params.repoURL });
  if (after.problems.length > 0)
    return { renders: null, unchanged: false, problems: after.problems.map((p) => ({ ...p, file: p.file ?? instance.application })) };
  if (after.paths?.application !== instance.application) {
    const message = `${instance.application} renders to \`${after.paths?.application ?? "?"}\` under the current configuration, so it is left alone.`;
    return {
      renders: null,
      unchanged: false,
      problems: [
        instanceProblem(instance.application, message, "Run `/provision` on the request issue to move it where the configuration puts it."),
      ],
    };
  }
  const manifests = (files: readonly RenderedFile[]) => files.filter((f) => f.path !== instance.application);
  const isLastWritten = (files: readonly RenderedFile[]) =>
    instance.request.digest !== null && renderedDigest(manifests(files)) === instance.request.digest;
  const previous = params.before ? renderRequest({ request, catalog: params.before, config, repoURL: params.repoURL }) : null;
  let before = previous && previous.problems.length === 0 ? previous.files : null;
  let baseKnown = before !== null && isLastWritten(before);
  // Without the previous catalog (a new gitops-bot's built-in templates), untouched files are still known by their digest.
  if (!baseKnown && params.current && isLastWritten(params.current)) {
    before = [...params.current];
    baseKnown = true;
  }
  const same =
    before !== null &&
    before.length === after.files.length &&
    before.every((f, i) => f.path === after.files[i]?.path && f.content === after.files[i]?.content);
  return { renders: { instance, before, baseKnown, after: after.files, reviewers: after.reviewers }, unchanged: same, problems: [] };
}

/** Paths whose render changed, with the last rendered and the new text (null: not rendered). */
function changedPaths(renders: UpgradeRenders): { path: string; base: string | null; next: string | null }[] {
  const before = new Map((renders.before ?? []).map((f) => [f.path, f.content]));
  const after = new Map(renders.after.map((f) => [f.path, f.content]));
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  return paths.flatMap((path) => {
    const base = before.get(path) ?? null;
    const next = after.get(path) ?? null;
    // Without the last rendered text every new file is compared with what is there.
    return renders.before !== null && base === next ? [] : [{ path, base, next }];
  });
}

/**
 * The files of the base branch whose text an upgrade must read: those whose blob SHA is neither
 * the last rendered nor the new text (edited by hand). The others are known without a request.
 */
export function pathsToRead(params: { renders: UpgradeRenders; tree: readonly Entry[]; hashBlob: (text: string) => string }): string[] {
  const shas = new Map(params.tree.map((e) => [e.path, e.sha]));
  return changedPaths(params.renders).flatMap(({ path, base, next }) => {
    const sha = shas.get(path);
    if (sha === undefined) return [];
    if ((base !== null && sha === params.hashBlob(base)) || (next !== null && sha === params.hashBlob(next))) return [];
    return [path];
  });
}

/** The upgrade of one instance: its changeset and what happened to each file a person had edited. */
export interface InstanceUpgrade {
  instance: Instance;
  changeset: Changeset;
  /** Files whose upgrade is not a plain replacement: merged, overwritten or kept. */
  drift: { path: string; upgrade: Exclude<FileUpgrade, { kind: "unchanged" } | { kind: "upgraded" }> }[];
  /** False when what the bot last wrote is unknown (digest mismatch), so no edit could be merged. */
  baseKnown: boolean;
  reviewers: string[];
}

/**
 * Plans one instance's upgrade from its two renders and the base branch: files nobody edited take
 * the new text; edited files are merged three-way or listed with their lost lines; files outside
 * the template's change, and files a person added, are never touched. `texts` holds the files
 * {@link pathsToRead} named.
 */
export function planInstanceUpgrade(params: {
  renders: UpgradeRenders;
  tree: readonly Entry[];
  texts: ReadonlyMap<string, string>;
  hashBlob: (text: string) => string;
}): InstanceUpgrade {
  const { renders, hashBlob } = params;
  const shas = new Map(params.tree.map((e) => [e.path, e.sha]));
  const writes: RenderedFile[] = [];
  const deletes = new Set<string>();
  const previous = new Map<string, string>();
  const drift: InstanceUpgrade["drift"] = [];
  for (const { path, base, next } of changedPaths(renders)) {
    const sha = shas.get(path);
    let current: string | null = null;
    if (sha !== undefined)
      current =
        base !== null && sha === hashBlob(base) ? base : next !== null && sha === hashBlob(next) ? next : (params.texts.get(path) ?? null);
    if (current !== null) previous.set(path, current);
    const upgrade = mergeRenderedFile({ path, base, current, next, baseKnown: renders.baseKnown });
    if (upgrade.kind === "merged" || upgrade.kind === "overwritten" || upgrade.kind === "kept") drift.push({ path, upgrade });
    if (upgrade.kind === "unchanged" || upgrade.kind === "kept") continue;
    if (upgrade.content === null) deletes.add(path);
    else writes.push({ path, content: upgrade.content });
  }
  const changeset = planChangeset({ desired: writes, existing: params.tree, owned: (p) => deletes.has(p), hashBlob, previous });
  return { instance: renders.instance, changeset, drift, baseKnown: renders.baseKnown, reviewers: renders.reviewers };
}
