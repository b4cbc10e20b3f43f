import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { load, YAMLException } from "js-yaml";
import { BotConfigSchema, type BotConfig } from "../core/config/bot-config.schema.js";
import { formatPath, problem, type Problem } from "../core/problems.js";

/** The config path inside a repository, as the App reads it. */
export const CONFIG_PATH = ".github/gitops-bot.yml";

/**
 * Reads the bot config for the CLI: an explicit `--config` file, else the clone's
 * `.github/gitops-bot.yml`, else the defaults. Invalid config is reported, never guessed around.
 */
export async function loadCliConfig(params: { explicit?: string; repoDir?: string }): Promise<{ config?: BotConfig; file: string | null; problems: Problem[] }> {
  const candidates = params.explicit ? [params.explicit] : params.repoDir ? [join(params.repoDir, CONFIG_PATH)] : [];
  for (const file of candidates) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch {
      if (params.explicit) return { file, problems: [problem("cli.config-missing", `Cannot read the config file ${file}.`, { hint: "Check the --config path." })] };
      continue;
    }
    let data: unknown;
    try {
      data = load(text, { filename: file }) ?? {};
    } catch (error) {
      if (!(error instanceof YAMLException)) throw error;
      return { file, problems: [problem("config.yaml-syntax", `${file} is not valid YAML: ${error.reason}.`, { file, ...(error.mark ? { line: error.mark.line + 1, column: error.mark.column + 1 } : {}) })] };
    }
    const parsed = BotConfigSchema.safeParse(data);
    if (!parsed.success) {
      return {
        file,
        problems: parsed.error.issues.map((i) =>
          problem("config.invalid", `${file}: \`${formatPath(i.path as (string | number)[]) || "(root)"}\`: ${i.message}.`, { file, hint: "See docs/github-app.md for every config key." }),
        ),
      };
    }
    return { config: parsed.data, file, problems: [] };
  }
  return { config: BotConfigSchema.parse({}), file: null, problems: [] };
}
