import type { BotConfig } from "../core/config/bot-config.schema.js";
import type { FileSource } from "../ports.js";
import type { PolicySource } from "./check-files.js";

/**
 * What judges a GitOps repository and what is not judged as manifests, from its configuration:
 * the one answer behind the pull request check and `gitops-bot check` run in a clone.
 *
 * Policies: the built-in ones (unless the caller leaves them out), then the repository's folder
 * `gitops.policiesPath`, then any extra folders, later ones overriding earlier ones by name. Its
 * policy and catalog folders hold policies and templates with placeholders: never manifests.
 */
export function gitOpsCheckScope(params: {
  config: BotConfig;
  /** The built-in policies; omitted when a caller replaces them (`--no-builtin-policies`). */
  builtin?: FileSource;
  /** The repository whose policy folder applies (a pull request's base commit, or a clone). */
  repository: FileSource;
  extra?: readonly PolicySource[];
}): { policySources: PolicySource[]; excludeFolders: string[] } {
  const { gitops } = params.config;
  return {
    policySources: [
      ...(params.builtin ? [{ source: params.builtin, folder: "", label: "built-in" }] : []),
      { source: params.repository, folder: gitops.policiesPath, label: `from ${gitops.policiesPath}` },
      ...(params.extra ?? []),
    ],
    excludeFolders: [gitops.policiesPath, gitops.catalogPath],
  };
}
