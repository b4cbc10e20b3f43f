import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { DEFAULT_BOT_CONFIG } from "../core/config/bot-config.schema.js";
import { load } from "../core/yaml/js-yaml.js";
import { BOT_CONFIG_FILE, parseBotConfig, parseBotConfigText } from "../core/config/parse-bot-config.js";
import { findingFromProblem, sortFindings } from "../core/policy/evaluate.js";
import { readPolicies } from "../workflows/read-policies.js";
import type { Finding } from "../core/policy/types.js";
import { formatFindings } from "../core/report/format-findings.js";
import { kubernetesModelsSchemas } from "../adapters/schemas/kubernetes-models-schemas.js";
import { checkTemplates } from "../workflows/check-templates.js";
import { findTemplateFolders } from "../workflows/find-template-folders.js";
import { collectCheckInputs } from "./check-inputs.js";
import { defineCommand } from "./define-command.js";
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from "./io.js";

const VALIDATE_COMMAND = defineCommand({
  usage: "validate [DIR] [options]",
  about: `Validates what the platform team writes, before a pull request does: in DIR (default: the current
folder, a clone of the GitOps repository or a folder of templates)
  - the bot configuration, .github/gitops-bot.yml (or --config FILE);
  - the policies and the PlatformConfig under the configuration's gitops.policiesPath;
  - every template folder (a template.yaml of kind Template) anywhere under DIR: its schema, its
    sizes and examples, that it renders in every size, and that what it renders passes the
    Kubernetes schemas and the PrometheusRule and dashboard checks.
Every problem is shown, not just the first, at its file:line:column, with "did you mean" for an
unknown key.`,
  options: {
    config: { type: "string", value: "FILE", help: "the bot configuration to validate (default: DIR/.github/gitops-bot.yml)" },
    "no-color": { type: "boolean", help: "no colours (default: colours when writing to a terminal, unless NO_COLOR)" },
  },
  maxPositionals: 1,
  footer: "Exit codes: 0 valid (warnings may be printed), 1 problems found, 2 bad usage.",
});

/** `gitops.policiesPath` of a configuration that does not validate as a whole, when it is usable. */
function policiesPathOf(text: string): string | undefined {
  const parsed = parseBotConfig({ raw: { gitops: { policiesPath: rawPoliciesPath(text) } } });
  return parsed.ok && parsed.value ? parsed.value.gitops.policiesPath : undefined;
}

function rawPoliciesPath(text: string): unknown {
  try {
    const raw = load(text) as { gitops?: { policiesPath?: unknown } } | null;
    return raw?.gitops?.policiesPath;
  } catch {
    return undefined;
  }
}

/** `gitops-bot validate`: the bot config, the platform config and every template of a folder. */
export const runValidate = VALIDATE_COMMAND.run(async ({ values, positionals, io, usageError }) => {
  const dir = path.resolve(io.cwd, positionals[0] ?? ".");
  if (!(await stat(dir).catch(() => undefined))?.isDirectory()) return usageError(`${positionals[0]} is not a folder`);
  const shown = (absolute: string) => path.relative(io.cwd, absolute).split(path.sep).join("/") || ".";
  const findings: Finding[] = [];
  const validated: string[] = [];

  const configFile = values.config ? path.resolve(io.cwd, values.config) : path.join(dir, BOT_CONFIG_FILE);
  const configText = await readFile(configFile, "utf8").catch(() => null);
  let config = DEFAULT_BOT_CONFIG;
  if (configText === null && values.config) {
    io.stderr(`error: cannot read the config file ${values.config}\n`);
    return EXIT_USAGE;
  }
  if (configText !== null) {
    const result = parseBotConfigText({ file: shown(configFile), text: configText });
    findings.push(...result.problems.map(findingFromProblem));
    if (result.ok) config = result.value;
    // A config with other mistakes still says where its policies are: they are validated too.
    else config = { ...config, gitops: { ...config.gitops, policiesPath: policiesPathOf(configText) ?? config.gitops.policiesPath } };
    validated.push(shown(configFile));
  }

  // Problems land on paths relative to DIR; they are shown relative to where the command runs.
  const inputs = await collectCheckInputs({ cwd: dir, root: dir, args: ["."], exclude: [], context: false });
  const files = await inputs.source.listFiles();
  const policies = await readPolicies({ sources: [{ source: inputs.source, folder: config.gitops.policiesPath }] });
  findings.push(...policies.problems.map(findingFromProblem));
  if (policies.files.length > 0)
    validated.push(
      `${config.gitops.policiesPath} (${policies.policies.length} ${policies.policies.length === 1 ? "policy" : "policies"}${policies.platformFile ? ", the PlatformConfig" : ""})`,
    );

  const templates = await findTemplateFolders(inputs.source, files);
  findings.push(
    ...(await checkTemplates({ source: inputs.source, folders: templates, config, policies: [], schemas: kubernetesModelsSchemas })),
  );
  if (templates.length > 0) validated.push(`${templates.length} template${templates.length === 1 ? "" : "s"}`);
  findings.push(...inputs.source.unreadable());

  const relocated = sortFindings(
    findings.map((f) => (f.file === "" || f.file === shown(configFile) ? f : { ...f, file: shown(path.join(dir, f.file)) })),
  );
  io.stdout(formatFindings({ findings: relocated, format: "text", color: io.color === true && values["no-color"] !== true }));
  io.stdout(
    validated.length > 0
      ? `Validated ${validated.join(", ")}.\n`
      : `Nothing to validate in ${shown(dir)}: no ${BOT_CONFIG_FILE}, no policies under ${config.gitops.policiesPath}, no template.\n`,
  );
  if (validated.length === 0) return EXIT_USAGE;
  return relocated.some((f) => f.severity === "error") ? EXIT_FINDINGS : EXIT_OK;
});
