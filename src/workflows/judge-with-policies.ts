import { evaluatePolicies } from "../core/policy/evaluate.js";
import type { PlatformConfig } from "../core/policy/platform/platform-config.schema.js";
import { selectPolicyExceptions } from "../core/policy/select-policy-exceptions.js";
import type { Manifest } from "../core/policy/types.js";
import type { PolicySet } from "./read-policies.js";

/** The PolicyExceptions that count among the manifests, and the policies and platform rules evaluated with them. */
export function judgeWithPolicies(params: {
  policies: PolicySet;
  platform: PlatformConfig | undefined;
  manifests: readonly Manifest[];
  allFiles: readonly string[];
  changedFiles?: readonly string[];
  authorTeams?: readonly string[];
  /** Which PolicyExceptions among the manifests count (see `checkFiles`). */
  exceptions?: { fromChangedFiles: boolean; namespace?: string };
  isJudged: (file: string) => boolean;
  /** Keep every rule result (see `evaluatePolicies`). */
  results?: boolean;
}) {
  const { platform, manifests, isJudged } = params;
  const exceptions = selectPolicyExceptions({
    fromPolicies: params.policies.exceptions,
    manifests,
    isTrusted: params.exceptions?.fromChangedFiles === false ? (file) => !isJudged(file) : () => true,
    isJudged,
    ...(params.exceptions?.namespace !== undefined ? { namespace: params.exceptions.namespace } : {}),
  });
  const evaluation = evaluatePolicies({
    policies: params.policies.policies,
    manifests,
    exceptions: exceptions.exceptions,
    results: params.results === true,
    ...(platform ? { platform } : {}),
    facts: {
      files: params.allFiles,
      ...(params.changedFiles ? { changedFiles: params.changedFiles } : {}),
      ...(params.authorTeams ? { authorTeams: params.authorTeams } : {}),
    },
  });
  return { exceptions, evaluation };
}
