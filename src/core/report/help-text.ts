import type { Catalog } from "../catalog/load-catalog.js";
import type { BotConfig } from "../config/bot-config.schema.js";
import { COMMANDS } from "../request/parse-command.js";

/** Reviewers a size or environment asks for, as `@a, @org/b`; empty when none. */
function reviewersOf(list: readonly string[] | undefined): string {
  return (list ?? []).map((r) => `@${r}`).join(", ");
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/**
 * The `/help` answer: commands, the templates this repository may request with their sizes and
 * parameters, and the environments. Built from the effective catalog and config, so it is never
 * out of date.
 */
export function renderHelp(params: { config: BotConfig; catalog: Catalog }): string {
  const { config, catalog } = params;
  const allowed = config.templates ? new Set(config.templates) : null;
  const templates = [...catalog.templates.values()].filter((t) => !allowed || allowed.has(t.name)).sort((a, b) => (a.name < b.name ? -1 : 1));

  const commands = ["| Command | What it does |", "| --- | --- |", ...COMMANDS.map((c) => `| \`${c.usage}\` | ${c.summary} |`)].join("\n");

  const templateSections = templates.map((t) => {
    const sizes = Object.entries(t.sizes).map(([name, size]) => {
      const scaling = size.autoscaling ? `${size.autoscaling.min}–${size.autoscaling.max} replicas` : `${size.replicas} replica${size.replicas === 1 ? "" : "s"}`;
      const approval = reviewersOf([...(config.approvals.sizes[name] ?? []), ...(size.approval ? (config.approvals.groups[size.approval] ?? []) : [])]);
      return `| \`${name}\` | ${scaling} | ${size.cpu.request} / ${size.cpu.limit} | ${size.memory.request} / ${size.memory.limit} | ${approval || "—"} |`;
    });
    const parameters = Object.entries(t.parameters).map(([name, p]) => {
      const rule = p.required ? "required" : p.default !== undefined ? `default \`${String(p.default)}\`` : "optional";
      const choices = p.enum ? `; one of ${p.enum.map((e) => `\`${String(e)}\``).join(", ")}` : "";
      return `- \`${name}\` (${p.type}, ${rule}${choices}): ${cell(p.description)}`;
    });
    // A ready-to-copy command from the template's own examples, so a first request can succeed as written.
    const exampleValues = Object.entries(t.examples ?? {}).map(([k, v]) => `${k}=${/\s/.test(v) ? `"${v}"` : v}`);
    const smallest = Object.keys(t.sizes)[0] ?? "small";
    const example = `Example: \`/provision ${smallest} template=${t.name} name=example team=<your-team> environment=${Object.keys(config.environments)[0] ?? "dev"}${exampleValues.length > 0 ? ` ${exampleValues.join(" ")}` : ""}\``;
    return [
      `#### \`${t.name}\``,
      cell(t.description),
      "",
      "| Size | Replicas | CPU request / limit | Memory request / limit | Approval |",
      "| --- | --- | --- | --- | --- |",
      ...sizes,
      "",
      "Values: `name`, `team` and `environment` (always), and:",
      ...(parameters.length > 0 ? parameters : ["- none"]),
      "",
      example,
    ].join("\n");
  });

  const environments = [
    "| Environment | Cluster | Largest size | Approval |",
    "| --- | --- | --- | --- |",
    ...Object.entries(config.environments).map(
      ([name, env]) => `| \`${name}\` | ${cell(env.description ?? env.cluster)} | \`${env.maxSize}\` | ${reviewersOf(config.approvals.environments[name]) || "—"} |`,
    ),
  ].join("\n");

  return [
    "Commands go at the start of a line in a comment on this issue. Values with spaces take quotes: `note=\"two words\"`.",
    "",
    commands,
    "",
    "Example: `/provision small template=web-service name=checkout team=payments environment=dev image=ghcr.io/acme/checkout:1.4.2`",
    "",
    `<details><summary>Templates (${templates.length})</summary>\n\n${templateSections.join("\n\n")}\n</details>`,
    "",
    "**Environments**",
    "",
    environments,
  ].join("\n");
}
