import type { CheckConclusion } from "../../report/check-output.js";
import { codeSpan, escapeInline, mention, plural, tableCell } from "../../report/markdown.js";
import { exceptFinding } from "../evaluate.js";
import { authoredRuleName } from "../kyverno/autogen.js";
import type { Finding } from "../types.js";

/** A policy owner's `/approve-policy`, as the check records it. */
export interface PolicyApproval {
  policy: string;
  /**
   * How a PolicyException names the policy when that differs from `policy`: `namespace/name` for a
   * namespaced Kyverno `Policy` (Kyverno matches `exceptions[].policyName` against that key).
   */
  policyName?: string;
  /** Omitted: every rule of the policy. */
  rule?: string;
  /** The owner's login. */
  by: string;
  reason: string;
  /** The head commit it was given on. */
  commit: string;
  /** The files holding the findings it excepts, with their blob SHAs then: it holds while they are unchanged. */
  files: Record<string, string>;
  /** The resources it excepts (for the PolicyException that records it). */
  resources?: ExceptedResource[];
}

/** A resource with a finding, as a PolicyException's match block names it. */
export interface ExceptedResource {
  file: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** Violations of one Kyverno rule that an owner could still except, and where they are. */
export interface OpenRule {
  policy: string;
  /** See {@link PolicyApproval.policyName}. */
  policyName?: string;
  rule: string;
  errors: number;
  warnings: number;
  /** File -> blob SHA at the head commit. */
  files: Record<string, string>;
  resources?: ExceptedResource[];
}

/**
 * What a Check Run records about exceptions, hidden in its summary: only this App writes its Check
 * Runs, and each belongs to one commit, so the record needs no bot memory and nobody else can
 * forge it. An approval re-concludes the run from it without judging the repository again.
 */
export interface ExceptionRecord {
  headSha: string;
  /** Errors and warnings no approval can except: platform rules, validation, YAML, the bot's own. */
  fixedErrors: number;
  fixedWarnings: number;
  /** Findings already shown as notices (PolicyExceptions, approvals). */
  notices: number;
  open: OpenRule[];
  approvals: PolicyApproval[];
}

const MARKER = "gitops-bot:policy-exceptions";
const MARKER_PATTERN = new RegExp(`<!-- ${MARKER} (\\{.*?\\}) -->`);

/**
 * Applies the approvals in force to a check's findings: a Kyverno finding of an approved policy
 * (and rule, when one was named) in a file whose blob is the one approved becomes a notice "Excepted
 * by @owner: reason". An approval whose files changed since no longer excepts there: a new push
 * asks again, unless it leaves the excepted findings' files as they were. Returns the findings and
 * the record the Check Run keeps; approvals that except nothing any more are dropped from it.
 */
export function applyPolicyApprovals(params: {
  findings: readonly Finding[];
  approvals: readonly PolicyApproval[];
  /** Blob SHA of each file at the head commit. */
  blobs: ReadonlyMap<string, string>;
  /** Names of the Kyverno policies in force: only their findings can be excepted. */
  kyvernoPolicies: ReadonlySet<string>;
  /** Policy name -> the name a PolicyException gives it, where they differ (namespaced `Policy`: `namespace/name`). */
  exceptionNames?: ReadonlyMap<string, string>;
  headSha: string;
  /** Every rule result, to name the resources behind each open rule's findings. */
  results?: readonly {
    policy: string;
    rule: string;
    status: string;
    file: string;
    kind: string;
    name: string;
    namespace?: string | undefined;
  }[];
}): { findings: Finding[]; record: ExceptionRecord } {
  const used = new Set<PolicyApproval>();
  const open = new Map<string, OpenRule>();
  const record: ExceptionRecord = { headSha: params.headSha, fixedErrors: 0, fixedWarnings: 0, notices: 0, open: [], approvals: [] };
  const findings = params.findings.map((finding) => {
    if (finding.severity === "notice") {
      if (finding.exception) record.notices += 1;
      return finding;
    }
    if (!params.kyvernoPolicies.has(finding.policy)) {
      if (finding.severity === "error") record.fixedErrors += 1;
      else record.fixedWarnings += 1;
      return finding;
    }
    const blob = params.blobs.get(finding.file);
    const approval = params.approvals.find(
      (a) =>
        a.policy === finding.policy &&
        (a.rule === undefined || a.rule === finding.rule) &&
        blob !== undefined &&
        a.files[finding.file] === blob,
    );
    if (approval) {
      used.add(approval);
      record.notices += 1;
      return exceptFinding(finding, `${mention(approval.by)}: ${approval.reason}`);
    }
    const key = `${finding.policy}/${finding.rule}`;
    const policyName = params.exceptionNames?.get(finding.policy);
    const entry = open.get(key) ?? {
      policy: finding.policy,
      ...(policyName !== undefined && policyName !== finding.policy ? { policyName } : {}),
      rule: finding.rule,
      errors: 0,
      warnings: 0,
      files: {},
    };
    if (finding.severity === "error") entry.errors += 1;
    else entry.warnings += 1;
    if (blob !== undefined) entry.files[finding.file] = blob;
    open.set(key, entry);
    return finding;
  });
  record.open = [...open.values()].map((entry) => {
    const resources = resourcesOf({ results: params.results ?? [], policy: entry.policy, rule: entry.rule, files: entry.files });
    return resources.length > 0 ? { ...entry, resources } : entry;
  });
  record.approvals = params.approvals.filter((a) => used.has(a));
  return { findings, record };
}

/** The resources whose results of the rule (autogen names included) failed, in the given files, each once. */
function resourcesOf(params: {
  results: NonNullable<Parameters<typeof applyPolicyApprovals>[0]["results"]>;
  policy: string;
  rule: string;
  files: Record<string, string>;
}): ExceptedResource[] {
  const seen = new Map<string, ExceptedResource>();
  for (const result of params.results) {
    if (result.policy !== params.policy || authoredRuleName(result.rule) !== params.rule) continue;
    if ((result.status !== "fail" && result.status !== "error") || params.files[result.file] === undefined) continue;
    const resource: ExceptedResource = {
      file: result.file,
      kind: result.kind,
      name: result.name,
      ...(result.namespace ? { namespace: result.namespace } : {}),
    };
    seen.set(`${resource.file}\0${resource.kind}\0${resource.namespace ?? ""}\0${resource.name}`, resource);
  }
  return [...seen.values()];
}

/** The conclusion a record stands for: errors fail, warnings alone are neutral. */
export function recordConclusion(record: ExceptionRecord): { conclusion: CheckConclusion; errors: number; warnings: number } {
  const errors = record.fixedErrors + record.open.reduce((sum, r) => sum + r.errors, 0);
  const warnings = record.fixedWarnings + record.open.reduce((sum, r) => sum + r.warnings, 0);
  return { conclusion: errors > 0 ? "failure" : warnings > 0 ? "neutral" : "success", errors, warnings };
}

/**
 * Adds an owner's approval to the record of the head it was given on. Refused (as a message for
 * the owner) when the head has no open finding of that policy or rule.
 */
export function addPolicyApproval(params: {
  record: ExceptionRecord;
  approval: Omit<PolicyApproval, "files" | "commit">;
}): { record: ExceptionRecord; excepted: number } | { problem: string } {
  const { record, approval } = params;
  const matched = record.open.filter((r) => r.policy === approval.policy && (approval.rule === undefined || r.rule === approval.rule));
  const name = codeSpan(approval.rule === undefined ? approval.policy : `${approval.policy}/${approval.rule}`, 120);
  if (matched.length === 0) {
    const listed = record.open.map((r) => codeSpan(`${r.policy}/${r.rule}`, 120));
    const what =
      listed.length > 0
        ? `Open findings that can be excepted: ${listed.slice(0, 10).join(", ")}.`
        : "It has no finding a policy owner can except.";
    return {
      problem: `The policy check of commit ${codeSpan(record.headSha.slice(0, 7))} has no open finding of ${name}, so there is nothing to except. ${what}`,
    };
  }
  const files: Record<string, string> = {};
  for (const rule of matched) Object.assign(files, rule.files);
  const resources = matched.flatMap((rule) => rule.resources ?? []);
  const policyName = matched.find((rule) => rule.policyName !== undefined)?.policyName;
  const excepted = matched.reduce((sum, r) => sum + r.errors + r.warnings, 0);
  return {
    record: {
      ...record,
      notices: record.notices + excepted,
      open: record.open.filter((r) => !matched.includes(r)),
      approvals: [
        ...record.approvals,
        {
          ...approval,
          ...(policyName !== undefined ? { policyName } : {}),
          commit: record.headSha,
          files,
          ...(resources.length > 0 ? { resources } : {}),
        },
      ],
    },
    excepted,
  };
}

/** The Check Run section on approvals in force, with the hidden record at its end. */
export function renderApprovalSection(record: ExceptionRecord): string {
  const marker = `<!-- ${MARKER} ${JSON.stringify(record).replace(/</g, "\\u003c").replace(/>/g, "\\u003e")} -->`;
  if (record.approvals.length === 0) return marker;
  const rows = record.approvals.map((a) => {
    const target = a.rule === undefined ? `${a.policy} (every rule)` : `${a.policy}/${a.rule}`;
    return `| ${tableCell(codeSpan(target, 120))} | ${tableCell(`${mention(a.by)}: ${escapeInline(a.reason, 500)}`)} | ${tableCell(codeSpan(a.commit.slice(0, 7)))} | ${tableCell(
      Object.keys(a.files)
        .slice(0, 5)
        .map((f) => codeSpan(f, 120))
        .join(", "),
    )} |`;
  });
  return [
    `**Excepted by policy owners.** ${plural(record.approvals.length, "approval")} with \`/approve-policy\` ${record.approvals.length === 1 ? "is" : "are"} in force: their findings are shown as notices, not blocking. An approval holds while the files of its findings stay as they were at its commit; a push that changes them asks again.`,
    "",
    "| excepted | by, and why | given on | files |",
    "|---|---|---|---|",
    ...rows,
    "",
    marker,
  ].join("\n");
}

/** The record hidden in a Check Run summary, or null when there is none or it is unreadable. */
export function parseExceptionRecord(summary: string | null | undefined): ExceptionRecord | null {
  const match = summary ? MARKER_PATTERN.exec(summary) : null;
  if (!match?.[1]) return null;
  try {
    const value = JSON.parse(match[1]) as Partial<ExceptionRecord>;
    if (typeof value.headSha !== "string" || !Array.isArray(value.open) || !Array.isArray(value.approvals)) return null;
    return {
      headSha: value.headSha,
      fixedErrors: Number(value.fixedErrors) || 0,
      fixedWarnings: Number(value.fixedWarnings) || 0,
      notices: Number(value.notices) || 0,
      open: value.open,
      approvals: value.approvals,
    };
  } catch {
    return null;
  }
}

/**
 * The Check Run output after an approval, without judging the repository again: the earlier
 * summary with the approvals section replaced, and the conclusion and title from the record.
 */
export function renderApprovedCheck(params: { summary: string; record: ExceptionRecord }): {
  conclusion: CheckConclusion;
  title: string;
  summary: string;
} {
  const { conclusion, errors, warnings } = recordConclusion(params.record);
  const start = params.summary.indexOf("**Excepted by policy owners.**");
  const markerAt = params.summary.search(MARKER_PATTERN);
  const cut = start >= 0 ? start : markerAt >= 0 ? markerAt : params.summary.length;
  const before = params.summary.slice(0, cut).replace(/\s+$/, "");
  const excepted = params.record.notices;
  const title =
    errors + warnings === 0
      ? `All policies pass (${plural(excepted, "finding")} excepted)`
      : `${plural(errors, "error")}, ${plural(warnings, "warning")} (${plural(excepted, "finding")} excepted)`;
  const note = "The annotations below were written before the approval; the next run of the check shows the excepted ones as notices.";
  return { conclusion, title, summary: `${before}\n\n${renderApprovalSection(params.record)}\n\n${note}` };
}
