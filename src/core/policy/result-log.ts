import type { RuleOutcome } from "./kyverno/evaluate-policy.js";
import type { PolicyResult } from "./evaluate.js";
import type { Manifest } from "./types.js";

/**
 * Every rule result of a check, in order. Most outcomes are passes, one shared outcome per rule:
 * those are kept as the outcome, under their manifest, and written out as results only when read (keeping
 * tens of thousands of result objects alive cost a tenth of the policy stage in garbage
 * collection). The others are written at once, so their outcomes, with paths the result does not
 * need, are not kept alive.
 */
export class ResultLog {
  /** Pass outcomes (written out when read) and results written at once, in order. */
  private readonly entries: (RuleOutcome | PolicyResult)[] = [];
  /** Where each manifest's entries start: [index of its first entry, the manifest], in order. */
  private readonly starts: [number, Manifest][] = [];
  private list_: PolicyResult[] | undefined;

  /** The manifest the entries that follow belong to. */
  begin(manifest: Manifest): void {
    const last = this.starts[this.starts.length - 1];
    if (last?.[1] !== manifest) this.starts.push([this.entries.length, manifest]);
  }

  pass(outcome: RuleOutcome): void {
    this.entries.push(outcome);
  }

  other(result: PolicyResult): void {
    this.entries.push(result);
  }

  list(): PolicyResult[] {
    if (this.list_) return this.list_;
    const list: PolicyResult[] = [];
    for (let run = 0; run < this.starts.length; run++) {
      const [start, manifest] = this.starts[run] as [number, Manifest];
      const end = this.starts[run + 1]?.[0] ?? this.entries.length;
      let identity: Identity | undefined;
      for (let index = start; index < end; index++) {
        const entry = this.entries[index] as RuleOutcome | PolicyResult;
        // A result has its resource's file; an outcome has none.
        if (isResult(entry)) list.push(entry);
        else list.push(policyResult(manifest, (identity ??= identify(manifest)), entry));
      }
    }
    return (this.list_ = list);
  }
}

function isResult(entry: RuleOutcome | PolicyResult): entry is PolicyResult {
  return (entry as Partial<PolicyResult>).file !== undefined;
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
