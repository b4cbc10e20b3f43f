import { evaluateConditions, type Conditions } from "./conditions.js";
import { matchesRule, type MatchSubject } from "./match-resource.js";
import type { KyvernoPolicyException } from "./parse-policy-exception.js";
import type { KyvernoPolicy } from "./types.js";
import type { VariableResolver } from "./variables.js";
import { matchWildcard } from "./wildcard.js";

/** How Kyverno names a policy in `policyName`: `name` for a ClusterPolicy, `namespace/name` for a Policy. */
export function policyExceptionName(policy: Pick<KyvernoPolicy, "kind" | "name" | "namespace">): string {
  return policy.kind === "Policy" && policy.namespace ? `${policy.namespace}/${policy.name}` : policy.name;
}

/** True when the exception names this policy and a rule name (wildcards allowed) that is this rule, as Kyverno's `Exception.Contains`. */
export function exceptsRule(exception: KyvernoPolicyException, policyName: string, rule: string): boolean {
  return exception.exceptions.some(
    (entry) => entry.policyName === policyName && entry.ruleNames.some((pattern) => matchWildcard(pattern, rule)),
  );
}

/**
 * The PolicyExceptions that skip one rule for one resource, as Kyverno decides it: the exception
 * names the policy and the engine's rule name (an autogen rule is `autogen-<rule>`, so it must be
 * listed, or matched by a wildcard, as upstream requires), its `match` selects the resource
 * (`any`/`all` filters, the rule matcher's semantics, an empty filter matching nothing), and its
 * `conditions` hold. An exception whose conditions cannot be evaluated is not applied (Kyverno
 * logs and skips it). Returns the exceptions' keys (`namespace/name`), in the given order.
 */
export function findMatchingExceptions(params: {
  exceptions: readonly KyvernoPolicyException[];
  policyName: string;
  rule: string;
  subject: MatchSubject;
  /** The request's variables, built only when an exception has conditions. */
  resolve: () => VariableResolver;
}): string[] {
  const keys: string[] = [];
  for (const exception of params.exceptions) {
    if (!exceptsRule(exception, params.policyName, params.rule)) continue;
    if (!matchesRule({ match: exception.match }, params.subject)) continue;
    if (exception.conditions !== undefined) {
      try {
        if (!evaluateConditions(exception.conditions as Conditions, params.resolve()).result) continue;
      } catch {
        continue;
      }
    }
    keys.push(exception.key);
  }
  return keys;
}
