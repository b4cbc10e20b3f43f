import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import type { Finding } from "../../../src/core/policy/types.js";
import { formatFindings } from "../../../src/core/report/format-findings.js";

const findings: Finding[] = [
  {
    policy: "disallow-privileged-containers",
    rule: "privileged-containers",
    severity: "error",
    file: "apps/shop/web.yaml",
    line: 12,
    column: 13,
    path: "spec.template.spec.containers[0].securityContext.privileged",
    message: 'Deployment "web": Privileged mode is not allowed.',
  },
  {
    policy: "require-probes",
    rule: "probes",
    severity: "warning",
    file: "apps/shop/web.yaml",
    line: 20,
    column: 11,
    path: "spec.template.spec.containers[0]",
    message: 'Deployment "web": Add a readinessProbe\nand a livenessProbe.',
    hint: "See the probes guide.",
  },
  {
    policy: "platform",
    rule: "deprecated-api",
    severity: "notice",
    file: "apps/my team/cron job.yaml",
    line: 1,
    column: 1,
    path: "apiVersion",
    message: 'CronJob "nightly" uses batch/v1beta1.',
  },
];

/**
 * The SARIF 2.1.0 schema (draft-04) as shipped by @microsoft/jest-sarif, adapted for Ajv 8, which
 * reads draft-07: the draft-04 `id` keyword is spelled `$id` there. The schema uses no other
 * draft-04-only keyword (no boolean exclusiveMinimum/Maximum). Its language pattern has a stray `]`
 * that is only legal outside unicode mode, hence `unicodeRegExp: false`.
 */
function sarifValidator() {
  const require = createRequire(import.meta.url);
  const path = require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
  const schema = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  const { $schema: _draft, id, ...rest } = schema;
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats.default(ajv);
  return ajv.compile({ ...rest, $id: String(id) });
}

describe("formatFindings", () => {
  it("prints compiler-style lines that editors and CI logs link", () => {
    expect(formatFindings({ findings, format: "text" })).toBe(
      [
        'apps/shop/web.yaml:12:13: error: Deployment "web": Privileged mode is not allowed. [disallow-privileged-containers/privileged-containers]',
        'apps/shop/web.yaml:20:11: warning: Deployment "web": Add a readinessProbe and a livenessProbe. [require-probes/probes]',
        "  hint: See the probes guide.",
        'apps/my team/cron job.yaml:1:1: notice: CronJob "nightly" uses batch/v1beta1. [platform/deprecated-api]',
        "",
        "1 error, 1 warning, 1 notice in 2 files.",
        "",
      ].join("\n"),
    );
    expect(formatFindings({ findings: [], format: "text" })).toBe("No findings.\n");
  });

  it("prints JSON with a summary and the findings as they are", () => {
    const skipped = [{ path: "charts/web/templates/a.yaml", reason: "helm-chart" as const, detail: "inside the Helm chart charts/web/" }];
    const parsed = JSON.parse(formatFindings({ findings, format: "json", skipped })) as unknown;
    expect(parsed).toEqual({ version: 1, summary: { errors: 1, warnings: 1, notices: 1, files: 2 }, findings, skipped });
  });

  it("prints SARIF 2.1.0 that validates against the official schema", () => {
    const validate = sarifValidator();
    const sarif = JSON.parse(formatFindings({ findings, format: "sarif", toolVersion: "0.1.0" })) as unknown;
    const valid = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    const empty = JSON.parse(formatFindings({ findings: [], format: "sarif" })) as unknown;
    expect(validate(empty)).toBe(true);
    // The validator is not vacuous: a result with an unknown level is rejected.
    const broken = JSON.parse(formatFindings({ findings, format: "sarif" })) as { runs: { results: { level: string }[] }[] };
    broken.runs[0]!.results[0]!.level = "fatal";
    expect(validate(broken)).toBe(false);
  });

  it("fills what GitHub code scanning reads: rules with ids, levels, messages and locations", () => {
    const sarif = JSON.parse(
      formatFindings({
        findings,
        format: "sarif",
        toolVersion: "0.1.0",
        ruleDescriptions: { "require-probes/probes": "Require readiness and liveness probes" },
      }),
    ) as {
      version: string;
      runs: {
        tool: {
          driver: {
            name: string;
            version: string;
            rules: { id: string; shortDescription: { text: string }; defaultConfiguration: { level: string } }[];
          };
        };
        results: {
          ruleId: string;
          ruleIndex: number;
          level: string;
          message: { text: string };
          locations: unknown[];
          partialFingerprints: Record<string, string>;
        }[];
      }[];
    };
    expect(sarif.version).toBe("2.1.0");
    const run = sarif.runs[0];
    expect(run?.tool.driver.name).toBe("gitops-bot");
    expect(run?.tool.driver.version).toBe("0.1.0");
    expect(run?.tool.driver.rules.map((r) => [r.id, r.defaultConfiguration.level, r.shortDescription.text])).toEqual([
      ["disallow-privileged-containers/privileged-containers", "error", "privileged-containers (policy disallow-privileged-containers)"],
      ["require-probes/probes", "warning", "Require readiness and liveness probes"],
      ["platform/deprecated-api", "note", "deprecated-api (policy platform)"],
    ]);
    expect(run?.results.map((r) => [r.ruleId, r.ruleIndex, r.level, r.message.text])).toEqual([
      ["disallow-privileged-containers/privileged-containers", 0, "error", 'Deployment "web": Privileged mode is not allowed.'],
      ["require-probes/probes", 1, "warning", 'Deployment "web": Add a readinessProbe and a livenessProbe. See the probes guide.'],
      ["platform/deprecated-api", 2, "note", 'CronJob "nightly" uses batch/v1beta1.'],
    ]);
    expect(run?.results[2]?.locations).toEqual([
      { physicalLocation: { artifactLocation: { uri: "apps/my%20team/cron%20job.yaml" }, region: { startLine: 1, startColumn: 1 } } },
    ]);
    // The fingerprint ignores the line, so an alert survives an edit above it.
    const moved = JSON.parse(formatFindings({ findings: [{ ...findings[0]!, line: 40 }], format: "sarif" })) as typeof sarif;
    expect(moved.runs[0]?.results[0]?.partialFingerprints).toEqual(run?.results[0]?.partialFingerprints);
  });
});
