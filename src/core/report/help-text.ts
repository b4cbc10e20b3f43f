import type { Catalog } from "../catalog/load-catalog.js";
import { own } from "../own.js";
import type { BotConfig } from "../config/bot-config.schema.js";
import { COMMANDS } from "../request/parse-command.js";
import { codeSpan, escapeInline, mention, plural, tableCell } from "./markdown.js";

/** Reviewers a size or environment asks for, as `@a, @org/b`; empty when none. */
function reviewersOf(list: readonly string[] | undefined): string {
  return (list ?? []).map(mention).join(", ");
}

/** Descriptions come from the GitOps repository's templates and config: text with code spans, escaped. */
function cell(text: string): string {
  return tableCell(escapeInline(text, 500));
}

/**
 * The `/help` answer: commands, the templates this repository may request with their sizes and
 * parameters, and the environments. Built from the effective catalog and config, so it is never
 * out of date.
 */
export function renderHelp(params: { config: BotConfig; catalog: Catalog }): string {
  const { config, catalog } = params;
  const allowed = config.templates ? new Set(config.templates) : null;
  const templates = [...catalog.templates.values()]
    .filter((t) => !allowed || allowed.has(t.name))
    .sort((a, b) => (a.name < b.name ? -1 : 1));

  const commands = ["| Command | What it does |", "| --- | --- |", ...COMMANDS.map((c) => `| \`${c.usage}\` | ${c.summary} |`)].join("\n");

  const templateSections = templates.map((t) => {
    const sizes = Object.entries(t.sizes).map(([name, size]) => {
      const scaling = size.autoscaling ? `${size.autoscaling.min}–${size.autoscaling.max} replicas` : plural(size.replicas, "replica");
      const approval = reviewersOf([
        ...(own(config.approvals.sizes, name) ?? []),
        ...(size.approval ? (own(config.approvals.groups, size.approval) ?? []) : []),
      ]);
      return `| ${tableCell(codeSpan(name, 30))} | ${scaling} | ${size.cpu.request} / ${size.cpu.limit} | ${size.memory.request} / ${size.memory.limit} | ${approval || "—"} |`;
    });
    const parameters = Object.entries(t.parameters).map(([name, p]) => {
      const rule = p.required ? "required" : p.default !== undefined ? `default ${codeSpan(String(p.default), 100)}` : "optional";
      const choices = p.enum ? `; one of ${p.enum.map((e) => codeSpan(String(e), 100)).join(", ")}` : "";
      return `- ${codeSpan(name, 63)} (${p.type}, ${rule}${choices}): ${escapeInline(p.description, 500)}`;
    });
    // A ready-to-copy command from the template's own examples, so a first request can succeed as written.
    const exampleValues = Object.entries(t.examples ?? {}).map(([k, v]) => `${k}=${/\s/.test(v) ? `"${v}"` : v}`);
    const smallest = Object.keys(t.sizes)[0] ?? "small";
    const example = `Example: ${codeSpan(`/provision ${smallest} template=${t.name} name=example team=<your-team> environment=${Object.keys(config.environments)[0] ?? "dev"}${exampleValues.length > 0 ? ` ${exampleValues.join(" ")}` : ""}`, 1_000)}`;
    return [
      `#### ${codeSpan(t.name, 63)}`,
      escapeInline(t.description, 1_000),
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
      ([name, env]) =>
        `| ${tableCell(codeSpan(name, 63))} | ${cell(env.description ?? env.cluster)} | ${tableCell(codeSpan(env.maxSize, 30))} | ${reviewersOf(own(config.approvals.environments, name)) || "—"} |`,
    ),
  ].join("\n");

  return [
    'Commands go at the start of a line in a comment on this issue. Values with spaces take quotes: `note="two words"`.',
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
