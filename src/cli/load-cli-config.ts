import { readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { DEFAULT_BOT_CONFIG, type BotConfig } from "../core/config/bot-config.schema.js";
import { BOT_CONFIG_FILE, parseBotConfigText } from "../core/config/parse-bot-config.js";
import { problem, type Problem } from "../core/problems.js";

/**
 * Reads the bot config for the CLI: an explicit `--config` file, else the clone's
 * `.github/gitops-bot.yml`, else the defaults. It is validated by the App's own parser, so the
 * problems carry the same lines, "did you mean" hints and wording; invalid config is reported,
 * never guessed around. Warnings (an `_extends` not followed) come with a config.
 */
export async function loadCliConfig(params: {
  explicit?: string;
  repoDir?: string;
  cwd?: string;
}): Promise<{ config?: BotConfig; file: string | null; problems: Problem[] }> {
  const file = params.explicit ?? (params.repoDir ? join(params.repoDir, BOT_CONFIG_FILE) : undefined);
  if (file === undefined) return { config: DEFAULT_BOT_CONFIG, file: null, problems: [] };
  const shown = params.cwd ? relative(params.cwd, file).split(sep).join("/") || file : file;
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    if (missing && !params.explicit) return { config: DEFAULT_BOT_CONFIG, file: null, problems: [] };
    return {
      file,
      problems: [
        problem("cli.config-missing", `Cannot read the config file ${shown}${missing ? ": it does not exist" : ""}.`, {
          file: shown,
          hint: "Check the --config path.",
        }),
      ],
    };
  }
  const parsed = parseBotConfigText({ file: shown, text });
  return parsed.ok ? { config: parsed.value, file, problems: parsed.problems } : { file, problems: parsed.problems };
}
