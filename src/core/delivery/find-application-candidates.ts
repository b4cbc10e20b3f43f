/**
 * The files of a commit that may hold the Argo CD Application named `name`, by path alone, so the
 * lookup costs one tree listing and a blob read per candidate (usually one, from the blob cache):
 *
 * - a file named after the Application: `…/<name>.yaml` (or `.yml`);
 * - the default layout, `argocd/{environment}/{team}-{name}.yaml` for an Application named
 *   `{team}-{name}-{environment}`: `…/<folder>/<stem>.yaml` where `<stem>-<folder>` is the name.
 *
 * A layout where neither holds is not followed; docs/github-app.md says so, and the merge tells the
 * issue it waits for Argo CD only when the request's Application can be found this way.
 */
export function findApplicationCandidates(params: { name: string; paths: readonly string[] }): string[] {
  return params.paths.filter((path) => isApplicationCandidate(params.name, path)).sort();
}

/** Whether `path` may hold the Application `name` (see {@link findApplicationCandidates}). */
export function isApplicationCandidate(name: string, path: string): boolean {
  const match = /(?:^|\/)([^/]+)\/([^/]+)\.ya?ml$/.exec(path) ?? /^()([^/]+)\.ya?ml$/.exec(path);
  if (!match) return false;
  const [, folder = "", stem = ""] = match;
  return stem === name || (folder !== "" && `${stem}-${folder}` === name);
}
