import { describe, expect, it } from "vitest";
import type { Finding } from "../../../src/core/policy/types.js";
import {
  batchAnnotations,
  MAX_ANNOTATIONS_PER_REQUEST,
  MAX_CHECK_TEXT_LENGTH,
  renderCheckOutput,
} from "../../../src/core/report/check-output.js";

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    policy: "disallow-privileged-containers",
    rule: "privileged-containers",
    severity: "error",
    file: "apps/shop/web.yaml",
    line: 12,
    column: 13,
    path: "spec.template.spec.containers[0].securityContext.privileged",
    message: 'Deployment "web": Privileged mode is not allowed.',
    ...overrides,
  };
}

describe("renderCheckOutput", () => {
  it("passes with nothing to say when there are no findings", () => {
    const report = renderCheckOutput({ findings: [], checkedFiles: 3, policyCount: 1 });
    expect(report).toEqual({
      conclusion: "success",
      title: "All policies pass",
      summary: "Checked 3 files against 1 policy: no findings.",
      text: "",
      annotations: [],
    });
  });

  it("fails on an error and summarises counts by policy and rule", () => {
    const findings = [
      finding(),
      finding({ line: 30, file: "apps/shop/worker.yaml" }),
      finding({ policy: "require-probes", rule: "probes", severity: "warning", line: 14, column: 11, path: "", message: "Add probes." }),
      finding({ policy: "platform", rule: "deprecated-api", severity: "notice", line: 1, column: 1, hint: "Use batch/v1." }),
    ];
    const report = renderCheckOutput({ findings, checkedFiles: 2, policyCount: 16 });
    expect(report.conclusion).toBe("failure");
    expect(report.title).toBe("2 errors, 1 warning, 1 notice");
    expect(report.summary).toMatchInlineSnapshot(`
      "Checked 2 files against 16 policies: 2 errors, 1 warning, 1 notice.

      | Policy | Rule | Errors | Warnings | Notices |
      | --- | --- | ---: | ---: | ---: |
      | \`disallow-privileged-containers\` | \`privileged-containers\` | 2 | 0 | 0 |
      | \`require-probes\` | \`probes\` | 0 | 1 | 0 |
      | \`platform\` | \`deprecated-api\` | 0 | 0 | 1 |

      Errors block the merge; warnings and notices do not. Each finding is annotated at its line in **Files changed**."
    `);
    expect(report.text).toMatchInlineSnapshot(`
      "### \`apps/shop/web.yaml\`

      - **notice** line 1, column 1: Deployment "web": Privileged mode is not allowed. Use batch/v1. (\`platform/deprecated-api\`)
      - **error** line 12, column 13: Deployment "web": Privileged mode is not allowed. (\`disallow-privileged-containers/privileged-containers\`)
      - **warning** line 14, column 11: Add probes. (\`require-probes/probes\`)

      ### \`apps/shop/worker.yaml\`

      - **error** line 30, column 13: Deployment "web": Privileged mode is not allowed. (\`disallow-privileged-containers/privileged-containers\`)"
    `);
  });

  it("is neutral when there are warnings but no errors", () => {
    expect(renderCheckOutput({ findings: [finding({ severity: "warning" })] }).conclusion).toBe("neutral");
    expect(renderCheckOutput({ findings: [finding({ severity: "notice" })] }).conclusion).toBe("success");
  });

  it("annotates each finding at its line and column in GitHub's shape, errors first", () => {
    const report = renderCheckOutput({
      findings: [
        finding({
          severity: "warning",
          policy: "require-probes",
          rule: "probes",
          line: 3,
          column: 5,
          path: "",
          hint: "Add a readinessProbe.",
        }),
        finding(),
      ],
    });
    expect(report.annotations).toEqual([
      {
        path: "apps/shop/web.yaml",
        start_line: 12,
        end_line: 12,
        start_column: 13,
        end_column: 13,
        annotation_level: "failure",
        message: 'Deployment "web": Privileged mode is not allowed.',
        title: "disallow-privileged-containers/privileged-containers",
        raw_details: "Field: spec.template.spec.containers[0].securityContext.privileged",
      },
      {
        path: "apps/shop/web.yaml",
        start_line: 3,
        end_line: 3,
        start_column: 5,
        end_column: 5,
        annotation_level: "warning",
        message: 'Deployment "web": Privileged mode is not allowed.',
        title: "require-probes/probes",
        raw_details: "Fix: Add a readinessProbe.",
      },
    ]);
  });

  it("neutralises markdown and HTML from policy messages in the text", () => {
    const report = renderCheckOutput({
      findings: [finding({ message: "see [here](https://evil.example) <img src=x> @org/admins #12", policy: "a|b" })],
    });
    expect(report.text).toContain("see \\[here\\](https://evil.example) \\<img src=x\\> @\u2060org/admins \\#\u206012");
    expect(report.summary).toContain("| `a\\|b` |");
  });

  it("batches annotations by 50, the most GitHub takes per request", () => {
    expect(MAX_ANNOTATIONS_PER_REQUEST).toBe(50);
    const annotations = renderCheckOutput({ findings: Array.from({ length: 120 }, (_, i) => finding({ line: i + 1 })) }).annotations;
    const batches = batchAnnotations(annotations);
    expect(batches.map((b) => b.length)).toEqual([50, 50, 20]);
    expect(batches.flat()).toEqual(annotations);
    expect(batchAnnotations([])).toEqual([]);
  });

  it("cuts summary and text to GitHub's 65,535-character limit and says so", () => {
    const findings = Array.from({ length: 3000 }, (_, i) =>
      finding({ file: `apps/team-${i}/web.yaml`, rule: `rule-${i}`, message: `Message ${i} ${"é".repeat(40)}` }),
    );
    const report = renderCheckOutput({ findings });
    for (const field of [report.summary, report.text]) {
      expect(new TextEncoder().encode(field).length).toBeLessThanOrEqual(MAX_CHECK_TEXT_LENGTH);
      expect(field).toMatch(/output truncated to GitHub's 65,535-character limit: \d+ more lines of (table rows|findings) not shown/);
    }
    expect(report.annotations).toHaveLength(3000);
  });
});
