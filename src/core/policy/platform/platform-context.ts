import type { Manifest } from "../types.js";
import { globToRegExp, matchesAny } from "./glob.js";
import type { PlatformConfig } from "./platform-config.schema.js";
import { compileIndexedSelector } from "./label-selector.js";
import { resolveEnvironments, type EnvironmentOf } from "./resolve-environments.js";
import { asRecord, describeWorkload, identifyObject, type PlatformObject, type Workload } from "./workloads.js";

/** What every platform rule reads, computed once per evaluation. */
export interface PlatformContext {
  config: PlatformConfig;
  /** Every manifest of the repository after the change: the context for cross-object rules. */
  manifests: readonly Manifest[];
  workloads: readonly Workload[];
  /** True when findings may be reported on this file (it is part of the change being judged). */
  isJudged(file: string): boolean;
  /** The environment an object (or workload) belongs to and the ceilings of its largest allowed size. */
  environmentOf: EnvironmentOf;
  /** The highest replica count an HPA may scale the workload to, when one targets it. */
  hpaMaxReplicas(workload: Workload): number | undefined;
  /** Teams that own a repository path (from the ownership layout and team paths). */
  teamsOwningPath(path: string): string[];
  /** True when the namespace belongs to the team. */
  teamOwnsNamespace(team: string, namespace: string): boolean;
  /** Declared teams (platform config `teams`) that own the namespace. */
  teamsOwningNamespace(namespace: string): string[];
  /** Every manifest with its identity, in repository order. */
  objects: readonly PlatformObject[];
  /** The objects of one kind, in repository order. */
  objectsOfKind(kind: string): readonly PlatformObject[];
  /** The first object of a kind and name that shares the namespace (see {@link sameNamespace}). */
  findObject(kind: string, name: string, namespace: string | undefined): PlatformObject | undefined;
  /** Workloads that may share the namespace: those in it and those that leave it unset. */
  workloadsNear(namespace: string | undefined): readonly Workload[];
  /** Workloads that name a namespace, by namespace, in the order each namespace first appears. */
  workloadsByNamespace: ReadonlyMap<string, readonly Workload[]>;
  /**
   * True when the selector matches the pod labels of a workload near the namespace (see
   * {@link PlatformContext.workloadsNear}); `emptySelects` as in `compileSelector`.
   */
  selectsWorkload(params: { namespace: string | undefined; selector: unknown; emptySelects: boolean }): boolean;
}

/** Namespaces left out of a manifest are filled in by the deployer, so they match any namespace. */
export function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

/** Builds the shared context: workload facts, environment and team resolution, HPA targets. */
export function createPlatformContext(params: {
  config: PlatformConfig;
  manifests: readonly Manifest[];
  isJudged: (file: string) => boolean;
}): PlatformContext {
  const { config, manifests } = params;
  const { objects, byKind, byKindName, workloads } = indexManifests(manifests);
  const { workloadsNear, workloadsByNamespace } = indexWorkloadsByNamespace(workloads);
  const hpaMaxReplicas = indexHpaTargets(byKind.get("HorizontalPodAutoscaler") ?? []);
  return {
    config,
    manifests,
    workloads,
    isJudged: params.isJudged,
    environmentOf: resolveEnvironments(config),
    hpaMaxReplicas,
    ...resolveOwnership({ config, manifests }),
    objects,
    objectsOfKind: (kind) => byKind.get(kind) ?? [],
    findObject: (kind, name, namespace) =>
      byKindName(kind)
        .get(name)
        ?.find((o) => sameNamespace(o.namespace, namespace)),
    workloadsNear,
    workloadsByNamespace,
    selectsWorkload: indexPodLabels(workloadsNear),
  };
}

/**
 * Answers "does this selector match a workload near the namespace" by testing only the workloads
 * that carry the selector's first required label, not every workload of the namespace: a
 * namespace of thousands of Services and workloads would otherwise cost their product.
 */
function indexPodLabels(workloadsNear: PlatformContext["workloadsNear"]): PlatformContext["selectsWorkload"] {
  // Per namespace (undefined: every workload), label key, then value; built when first asked.
  const indexes = new Map<string | undefined, Map<string, Map<string, Workload[]>>>();
  const indexOf = (namespace: string | undefined) => {
    let index = indexes.get(namespace);
    if (!index) {
      indexes.set(namespace, (index = new Map<string, Map<string, Workload[]>>()));
      for (const workload of workloadsNear(namespace)) {
        const labels = workload.podLabels;
        for (const key in labels) {
          if (!Object.hasOwn(labels, key)) continue;
          let values = index.get(key);
          if (!values) index.set(key, (values = new Map<string, Workload[]>()));
          push(values, labels[key] as string, workload);
        }
      }
    }
    return index;
  };
  return ({ namespace, selector, emptySelects }) => {
    const { matches, required } = compileIndexedSelector(selector, emptySelects);
    const candidates = required ? (indexOf(namespace).get(required[0])?.get(required[1]) ?? []) : workloadsNear(namespace);
    return candidates.some((workload) => matches(workload.podLabels));
  };
}

/** Identities, workloads, objects by kind, and (for the kinds looked up by name) by kind and name. */
function indexManifests(manifests: readonly Manifest[]): {
  objects: PlatformObject[];
  byKind: Map<string, PlatformObject[]>;
  byKindName: (kind: string) => ReadonlyMap<string, PlatformObject[]>;
  workloads: Workload[];
} {
  // Indexes keep the cross-object rules linear: a repository has thousands of objects. One pass
  // reads each manifest's identity once and shares it with its workload description.
  const objects: PlatformObject[] = [];
  const byKind = new Map<string, PlatformObject[]>();
  const workloads: Workload[] = [];
  for (const manifest of manifests) {
    const object = identifyObject(manifest);
    objects.push(object);
    push(byKind, object.kind, object);
    const workload = describeWorkload(manifest, object);
    if (workload) workloads.push(workload);
  }
  // Kind, then name: no key text to build and hash for each of thousands of objects; built for a
  // kind when a rule first looks one up by name (Services, scale targets), not for every kind.
  const byName = new Map<string, Map<string, PlatformObject[]>>();
  const byKindName = (kind: string) => {
    let names = byName.get(kind);
    if (!names) {
      byName.set(kind, (names = new Map<string, PlatformObject[]>()));
      for (const object of byKind.get(kind) ?? []) push(names, object.name, object);
    }
    return names;
  };
  return { objects, byKind, byKindName, workloads };
}

/** The workloads that may share a namespace: its own, plus those that name none (the deployer fills it in). */
function indexWorkloadsByNamespace(workloads: readonly Workload[]): Pick<PlatformContext, "workloadsNear" | "workloadsByNamespace"> {
  const workloadsByNamespace = new Map<string, Workload[]>();
  const unplaced: Workload[] = [];
  for (const workload of workloads) {
    if (workload.namespace === undefined) unplaced.push(workload);
    else push(workloadsByNamespace, workload.namespace, workload);
  }
  const nearCache = new Map<string, readonly Workload[]>();
  const workloadsNear = (namespace: string | undefined): readonly Workload[] => {
    if (namespace === undefined) return workloads;
    let near = nearCache.get(namespace);
    if (!near) {
      const inside = workloadsByNamespace.get(namespace) ?? [];
      // Most namespaces have no unplaced neighbours: their own list serves as it is.
      near = unplaced.length === 0 ? inside : [...inside, ...unplaced];
      nearCache.set(namespace, near);
    }
    return near;
  };
  return { workloadsNear, workloadsByNamespace };
}

/** The largest `maxReplicas` of the HorizontalPodAutoscalers that scale a workload. */
function indexHpaTargets(autoscalers: readonly PlatformObject[]): PlatformContext["hpaMaxReplicas"] {
  // Kind, then name: no key text to build for each of thousands of workloads.
  type Hpa = { namespace: string | undefined; maxReplicas: number };
  const hpasByTarget = new Map<string, Map<string, Hpa[]>>();
  for (const { manifest, namespace } of autoscalers) {
    const spec = asRecord(manifest.object.spec);
    const target = asRecord(spec?.scaleTargetRef);
    if (typeof target?.kind !== "string" || typeof target.name !== "string" || typeof spec?.maxReplicas !== "number") continue;
    let byName = hpasByTarget.get(target.kind);
    if (!byName) hpasByTarget.set(target.kind, (byName = new Map<string, Hpa[]>()));
    push(byName, target.name, { namespace, maxReplicas: spec.maxReplicas });
  }
  return (workload: Workload) => {
    let most: number | undefined;
    for (const hpa of hpasByTarget.get(workload.kind)?.get(workload.name) ?? []) {
      if (sameNamespace(hpa.namespace, workload.namespace) && (most === undefined || hpa.maxReplicas > most)) most = hpa.maxReplicas;
    }
    return most;
  };
}

/** Which teams own a path and a namespace: the ownership layout and the teams' own claims. */
function resolveOwnership(params: {
  config: PlatformConfig;
  manifests: readonly Manifest[];
}): Pick<PlatformContext, "teamsOwningPath" | "teamOwnsNamespace" | "teamsOwningNamespace"> {
  const { config, manifests } = params;
  const ownership = config.ownership;
  const layoutPaths = (ownership?.paths ?? []).map(compileTeamPattern);
  const layoutNamespaces = ownership?.namespaces ?? [];
  const teamPaths = Object.entries(config.teams).map(([team, spec]) => ({ team, paths: spec.paths.map(globToRegExp) }));

  const ownersByPath = new Map<string, string[]>();
  const teamsOwningPath = (path: string) => {
    const cached = ownersByPath.get(path);
    if (cached) return cached;
    const owners = new Set<string>();
    for (const pattern of layoutPaths) {
      const match = pattern.exec(path);
      if (match?.groups?.team) owners.add(match.groups.team);
    }
    for (const { team, paths } of teamPaths) if (matchesAny(paths, path)) owners.add(team);
    const result = [...owners];
    ownersByPath.set(path, result);
    return result;
  };

  // Explicit namespaces (`teams.<team>.namespaces`) and the layout's (`ownership.namespaces`) are
  // kept apart: an explicit claim wins, and a layout pattern such as `{team}-*` is ambiguous.
  const explicitGlobs = new Map(Object.entries(config.teams).map(([team, spec]) => [team, spec.namespaces.map(globToRegExp)] as const));
  const layoutGlobs = new Map<string, RegExp[]>();
  const layoutGlobsOf = (team: string) => {
    let globs = layoutGlobs.get(team);
    if (!globs) layoutGlobs.set(team, (globs = layoutNamespaces.map((p) => globToRegExp(p.replaceAll("{team}", team)))));
    return globs;
  };
  // Every team this evaluation knows of: declared ones and those owning a file of the repository.
  let knownTeams: string[] | undefined;
  const allTeams = () => {
    if (!knownTeams) {
      const found = new Set(Object.keys(config.teams));
      for (const manifest of manifests) for (const team of teamsOwningPath(manifest.file)) found.add(team);
      knownTeams = [...found];
    }
    return knownTeams;
  };
  const ownsNamespaceCache = new Map<string, boolean>();
  const teamOwnsNamespace = (team: string, namespace: string) => {
    const key = `${team}\u0000${namespace}`;
    let owns = ownsNamespaceCache.get(key);
    if (owns === undefined) {
      owns = decideNamespaceOwner({ team, namespace, explicitGlobs, layoutGlobsOf, allTeams });
      ownsNamespaceCache.set(key, owns);
    }
    return owns;
  };
  const teamsOwningNamespace = (namespace: string) => Object.keys(config.teams).filter((team) => teamOwnsNamespace(team, namespace));

  return { teamsOwningPath, teamOwnsNamespace, teamsOwningNamespace };
}

/**
 * Whether `team` owns `namespace`. A team's explicit namespaces are its own, and no one else's
 * through the layout. Through the layout a namespace belongs to the most specific team whose
 * pattern matches: with `{team}-*`, team `web` matches `web-platform-prod`, but so does team
 * `web-platform`, whose longer name says more, so the namespace is `web-platform`'s.
 */
function decideNamespaceOwner(params: {
  team: string;
  namespace: string;
  explicitGlobs: ReadonlyMap<string, readonly RegExp[]>;
  layoutGlobsOf: (team: string) => readonly RegExp[];
  allTeams: () => readonly string[];
}): boolean {
  const { team, namespace } = params;
  if (matchesAny(params.explicitGlobs.get(team) ?? [], namespace)) return true;
  if (!matchesAny(params.layoutGlobsOf(team), namespace)) return false;
  for (const [other, globs] of params.explicitGlobs) if (other !== team && matchesAny(globs, namespace)) return false;
  return !params
    .allTeams()
    .some((other) => other.length > team.length && other !== team && matchesAny(params.layoutGlobsOf(other), namespace));
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** `apps/{team}/**` -> a RegExp whose `team` group captures the folder name. */
function compileTeamPattern(pattern: string): RegExp {
  const [before, ...rest] = pattern.split("{team}");
  if (rest.length === 0) return globToRegExp(pattern);
  const glob = (text: string) => globToRegExp(text).source.slice(1, -1);
  // Only the first placeholder captures; later ones must repeat the same name.
  const tail = rest.map(glob).join("\\k<team>");
  return new RegExp(`^${glob(before ?? "")}(?<team>[^/]+)${tail}$`);
}
