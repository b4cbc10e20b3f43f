import type { Manifest } from "../types.js";
import { own } from "../../own.js";
import { globToRegExp, matchesAny } from "./glob.js";
import type { Environment, PlatformConfig, Size } from "./platform-config.schema.js";
import { asRecord, stringRecord } from "./workloads.js";

/** An object's environment and the ceilings of the largest size it allows. */
export type EnvironmentOf = (object: {
  manifest: Manifest;
  namespace: string | undefined;
}) => { environment: Environment; size: Size } | undefined;

/**
 * A manifest's environment: the first in the config whose namespaces, paths or labels match it, and
 * its largest size (none when that size is not declared). Namespace and path globs are tried once per
 * distinct namespace and file, not once per object; only labels are read per object, and only those
 * of environments listed before the one its namespace or path already chose.
 */
export function resolveEnvironments(config: PlatformConfig): EnvironmentOf {
  const environments = config.environments.map((environment) => ({
    namespaces: environment.namespaces.map(globToRegExp),
    paths: environment.paths.map(globToRegExp),
    labels: Object.entries(environment.labels),
  }));
  // One answer per environment, shared by every object in it; `undefined` past the end (no match).
  const answers = config.environments.map((environment) => {
    const size = own(config.sizes, environment.maxSize);
    return size ? { environment, size } : undefined;
  });
  const none = environments.length;
  const firstByNamespace = firstMatchCache((namespace) => environments.findIndex((e) => matchesAny(e.namespaces, namespace)));
  const firstByPath = firstMatchCache((file) => environments.findIndex((e) => matchesAny(e.paths, file)));

  return ({ manifest, namespace }) => {
    let first = firstByPath(manifest.file);
    if (namespace !== undefined) first = Math.min(first, firstByNamespace(namespace));
    let labels: Readonly<Record<string, string>> | undefined;
    for (let index = 0; index < first; index++) {
      const candidate = environments[index]?.labels ?? [];
      if (candidate.length === 0) continue;
      labels ??= stringRecord(asRecord(manifest.object.metadata)?.labels);
      if (hasLabels(labels, candidate)) return answers[index];
    }
    return first < none ? answers[first] : undefined;
  };

  function firstMatchCache(find: (text: string) => number): (text: string) => number {
    const cache = new Map<string, number>();
    return (text) => {
      let index = cache.get(text);
      if (index === undefined) {
        index = find(text);
        if (index < 0) index = none;
        cache.set(text, index);
      }
      return index;
    };
  }
}

/** True when every wanted label has its value (a loop: called for thousands of objects). */
function hasLabels(labels: Readonly<Record<string, string>>, wanted: readonly (readonly [string, string])[]): boolean {
  for (const [key, value] of wanted) if (labels[key] !== value) return false;
  return true;
}
