import type { GitHubGateway } from "../adapters/github/gateway.js";
import { parseExceptionRecord, type ExceptionRecord } from "../core/policy/approvals/policy-approvals.js";
import { POLICY_CHECK_NAME } from "../core/report/check-run-updates.js";

/**
 * The exception record of this App's latest concluded policy Check Run on `commit`: one request
 * (plus `GET /app` once per process). Another App may name a Check Run the same, so only runs this
 * App wrote are read; a record made for another commit is not this commit's.
 */
export async function findExceptionRecord(params: {
  gateway: GitHubGateway;
  commit: string;
  appLogin: () => Promise<string | null>;
}): Promise<{ checkRunId: number; summary: string; record: ExceptionRecord } | null> {
  const runs = await params.gateway.checkRuns.listCompleted({ ref: params.commit, name: POLICY_CHECK_NAME });
  if (runs.length === 0) return null;
  const slug = (await params.appLogin())?.replace(/\[bot\]$/, "") ?? null;
  for (const run of runs) {
    if (run.app === null || run.app !== slug || run.summary === null) continue;
    const record = parseExceptionRecord(run.summary);
    if (record?.headSha === params.commit) return { checkRunId: run.id, summary: run.summary, record };
  }
  return null;
}
