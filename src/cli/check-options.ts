import { FINDING_FORMATS, type FindingFormat } from "../core/report/format-findings.js";
import { defineCommand, type ValuesOf } from "./define-command.js";

/** `gitops-bot check`: its options, declared once for the parser and for `--help`. */
export const CHECK_COMMAND = defineCommand({
  usage: "check [paths|globs|-]… [options]",
  about: `Judges Kubernetes manifests, and template folders, as the GitOps repository's pull request check
does, printing every finding with its file, line and column. Inside a GitOps repository (a folder
with .github/gitops-bot.yml, or --config) it reads that configuration, adds the policies under its
gitops.policiesPath to the built-in ones, leaves gitops.policiesPath and gitops.catalogPath out of
the manifests, and judges the named files with the whole repository as context (quotas,
references), exactly as a pull request changing those files would be judged.`,
  sections: `Inputs (default: the current folder):
  FILE             always checked, whatever its folder, name or extension (JSON is read as manifests)
  FOLDER           walked; its files are read by the pull request check's rules (.yaml, .yml, .json
                   that Argo CD would apply, hidden folders too; Helm charts, Jsonnet and files
                   holding no Kubernetes object are skipped and listed); kustomize overlays are
                   read as plain manifests, not built
  'GLOB'           expanded by the tool (quote it): * and ? stay in a folder, ** crosses folders
  -                manifests from standard input`,
  options: {
    policies: {
      type: "string",
      multiple: true,
      value: "DIR",
      help: "add a folder of Kyverno policies (and a PlatformConfig); repeatable, later folders override earlier ones by policy name",
    },
    "no-builtin-policies": { type: "boolean", help: "leave the built-in policies out (with --policies: replace them)" },
    config: {
      type: "string",
      value: "FILE",
      help: "the bot configuration (default: the repository's .github/gitops-bot.yml, else the defaults)",
    },
    exclude: { type: "string", multiple: true, value: "GLOB", help: "leave out walked or expanded files matching GLOB; repeatable" },
    format: {
      type: "string",
      value: "FORMAT",
      help: "text (default, file:line:column like a compiler), json, or sarif (2.1.0, for GitHub code scanning)",
    },
    sarif: {
      type: "string",
      value: "FILE",
      help: "also write the findings as SARIF 2.1.0 to FILE (for code scanning, while the log shows the text)",
    },
    "fail-on": { type: "string", value: "LEVEL", help: "error (default) or warning: the least severity that exits 1" },
    quiet: { type: "boolean", short: "q", help: "print the findings only (text): no counts, no summary" },
    "no-color": { type: "boolean", help: "no colours (default: colours when writing to a terminal, unless NO_COLOR)" },
  },
  footer: `Exit codes: 0 no errors (warnings may be printed), 1 error findings (or warnings with
--fail-on warning), 2 bad usage or an input that cannot be read.`,
});

export interface CheckOptions {
  paths: string[];
  policies: string[];
  builtinPolicies: boolean;
  config?: string;
  exclude: string[];
  format: FindingFormat;
  sarif?: string;
  failOn: "error" | "warning";
  quiet: boolean;
  color?: false;
}

/** `gitops-bot check`'s parsed arguments as the check uses them; a string is the usage error to print. */
export function toCheckOptions(values: ValuesOf<typeof CHECK_COMMAND>, paths: string[]): CheckOptions | string {
  const format = values.format ?? "text";
  if (!(FINDING_FORMATS as readonly string[]).includes(format))
    return `unknown format \`${format}\`; use one of: ${FINDING_FORMATS.join(", ")}`;
  const failOn = values["fail-on"] ?? "error";
  if (failOn !== "error" && failOn !== "warning") return `unknown --fail-on level \`${failOn}\`; use error or warning`;
  return {
    paths,
    policies: values.policies ?? [],
    builtinPolicies: values["no-builtin-policies"] !== true,
    ...(values.config !== undefined ? { config: values.config } : {}),
    exclude: values.exclude ?? [],
    format: format as FindingFormat,
    ...(values.sarif !== undefined ? { sarif: values.sarif } : {}),
    failOn,
    quiet: values.quiet === true,
    ...(values["no-color"] ? { color: false as const } : {}),
  };
}
