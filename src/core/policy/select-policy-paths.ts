/**
 * The files of a policy folder, sorted: every path below `folder` ("" for the whole tree) outside
 * hidden folders. Hidden folders below the policy folder hold test resources and editor state, not
 * policies; hidden folders above it are the caller's (an npx cache path is hidden too), so only the
 * part below the folder is looked at. The one rule behind the check, the App and `validate`.
 */
export function selectPolicyPaths(params: { paths: readonly string[]; folder: string }): string[] {
  const prefix = params.folder === "" ? "" : `${params.folder}/`;
  return params.paths
    .filter(
      (path) =>
        path.startsWith(prefix) &&
        !path
          .slice(prefix.length)
          .split("/")
          .some((segment) => segment.startsWith(".")),
    )
    .sort();
}
