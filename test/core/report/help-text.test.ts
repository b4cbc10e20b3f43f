import { describe, expect, it } from "vitest";
import { readBuiltinCatalog } from "../../../src/adapters/local/read-builtin-catalog.js";
import { BotConfigSchema } from "../../../src/core/config/bot-config.schema.js";
import { renderHelp } from "../../../src/core/report/help-text.js";

describe("renderHelp", () => {
  it("lists every command, the allowed templates with sizes and parameters, and the environments", async () => {
    const { catalog } = await readBuiltinCatalog();
    const config = BotConfigSchema.parse({
      templates: ["web-service", "worker"],
      environments: { dev: { cluster: "https://dev.example" }, prod: { cluster: "https://prod.example", maxSize: "medium" } },
      approvals: { sizes: { large: ["acme/platform-team"] }, environments: { prod: ["acme/sre"] } },
    });
    const help = renderHelp({ config, catalog });
    for (const usage of [
      "/provision <size> [key=value ...]",
      "/resize <size>",
      "/deprovision",
      "/preview [<size>] [key=value ...]",
      "/help",
    ])
      expect(help).toContain(`\`${usage}\``);
    expect(help).toContain("#### `web-service`");
    expect(help).toContain("#### `worker`");
    expect(help).not.toContain("#### `cron-job`");
    expect(help).toMatch(/\| `large` \|.*@acme\/platform-team/);
    expect(help).toContain("- `image` (string, required");
    expect(help).toContain("| `prod` | https://prod.example | `medium` | @acme/sre |");
    // Each template shows a command built from its own examples, ready to copy.
    expect(help).toMatch(/Example: `\/provision small template=web-service name=example team=<your-team> environment=dev image=\S+:\S+`/);
  });
});
