import type { RuleOutcome } from "./kyverno/evaluate-policy.js";
import type { PolicyResult } from "./evaluate.js";
import type { Manifest } from "./types.js";

/**
 * Every rule result of a check, in order. Most outcomes are passes, one shared outcome per rule:
 * those are kept as the outcome and its manifest and written out as results only when read (keeping
 * tens of thousands of result objects alive cost a tenth of the policy stage in garbage
 * collection). The others are written at once, so their outcomes, with paths the result does not
 * need, are not kept alive.
 */
export class ResultLog {
  /** The pass's manifest, or null where {@link entries} holds the result itself. */
  private readonly manifests: (Manifest | null)[] = [];
  private readonly entries: (RuleOutcome | PolicyResult)[] = [];
  private written: PolicyResult[] | undefined;

  pass(manifest: Manifest, outcome: RuleOutcome): void {
    this.manifests.push(manifest);
    this.entries.push(outcome);
  }

  other(result: PolicyResult): void {
    this.manifests.push(null);
    this.entries.push(result);
  }

  list(): PolicyResult[] {
    if (this.written) return this.written;
    const written: PolicyResult[] = [];
    let identity: Identity | undefined;
    let of: Manifest | undefined;
    for (let index = 0; index < this.entries.length; index++) {
      const manifest = this.manifests[index];
      const entry = this.entries[index];
      if (!manifest) written.push(entry as PolicyResult);
      else {
        if (manifest !== of) [of, identity] = [manifest, identify(manifest)];
        written.push(policyResult(manifest, identity as Identity, entry as RuleOutcome));
      }
    }
    return (this.written = written);
  }
}

export function policyResult(manifest: Manifest, identity: Identity, outcome: RuleOutcome): PolicyResult {
  const result: PolicyResult = {
    policy: outcome.policy,
    rule: outcome.rule,
    status: outcome.status,
    severity: outcome.severity,
    file: manifest.file,
    documentIndex: manifest.documentIndex,
    kind: identity.kind,
    name: identity.name,
    // Always present (possibly undefined) so every result has one shape.
    namespace: identity.namespace,
    message: outcome.message,
  };
  // Set after the literal, not spread into it: one shape for the many results, and no copy.
  if (outcome.excepted) result.exceptions = outcome.excepted.by;
  return result;
}

export interface Identity {
  kind: string;
  name: string;
  namespace: string | undefined;
  label: string;
}

export function identify(manifest: Manifest): Identity {
  const object = manifest.object;
  const metadata = typeof object.metadata === "object" && object.metadata !== null ? (object.metadata as Record<string, unknown>) : {};
  const kind = typeof object.kind === "string" ? object.kind : "object";
  const name = typeof metadata.name === "string" ? metadata.name : typeof metadata.generateName === "string" ? metadata.generateName : "";
  const namespace = typeof metadata.namespace === "string" && metadata.namespace !== "" ? metadata.namespace : undefined;
  return { kind, name, namespace, label: `${kind} "${name}"` };
}
